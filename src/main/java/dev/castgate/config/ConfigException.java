package dev.castgate.config;

import java.util.List;

/** Every problem found in the configuration at once, so an operator fixes them in one pass. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() { return problems; }
}
