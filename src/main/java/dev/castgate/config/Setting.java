package dev.castgate.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One setting of {@link Settings}: its file key, its default as an operator would write it, how
 * its text becomes a typed value, what else that value must satisfy, and the line README.md
 * gives it. Every problem is reported as the key followed by the parser's or the check's words
 * ("port must be between 0 and 65535, not 70000"), so those words never repeat the key.
 */
record Setting<T>(String key, String defaultValue, Parser<T> parser, List<Check<T>> checks, String description) {
    Setting {
        checks = List.copyOf(checks);
    }

    /** The environment variable that sets it: {@code database.url} is {@code CASTGATE_DATABASE_URL}. */
    String envName() {
        return ConfigLoader.envName(key);
    }

    /** Turns the trimmed text of a setting into its value. */
    @FunctionalInterface
    interface Parser<T> {
        /** Throws {@link IllegalArgumentException} saying what is wrong, in words that follow the key. */
        T parse(String raw);
    }

    /** A condition on a parsed value; every check of a setting runs, so each problem is reported. */
    @FunctionalInterface
    interface Check<T> {
        /**
         * The problem with {@code value}, in words that follow the key, or empty. {@code earlier}
         * holds the settings above this one in the table that parsed, for checks that compare two.
         */
        Optional<String> problem(T value, Values earlier);

        /** A check on the value alone: {@code problem} words it when {@code ok} does not hold. */
        static <T> Check<T> that(Predicate<T> ok, Function<T, String> problem) {
            return (value, earlier) -> ok.test(value) ? Optional.empty() : Optional.of(problem.apply(value));
        }
    }

    /** The values parsed so far, by setting; a setting whose text did not parse has none. */
    interface Values {
        <T> Optional<T> find(Setting<T> setting);
    }
}
