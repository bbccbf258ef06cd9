package dev.castgate.config;

import dev.castgate.http.AddressRange;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The parsers and checks the settings table is made of; their words follow the setting's key. */
final class SettingParsers {
    private SettingParsers() {}

    static Setting.Parser<String> text() { return raw -> raw; }

    static Setting.Parser<Integer> wholeNumber() {
        return raw -> {
            try {
                return Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number, not '" + raw + "'");
            }
        };
    }

    /** Out of range is a check, not a parse failure, so the value still takes part in later checks. */
    static Setting.Check<Integer> between(int min, int max) {
        return Setting.Check.that(value -> value >= min && value <= max,
                value -> "must be between " + min + " and " + max + ", not " + value);
    }

    static Setting.Parser<Boolean> trueOrFalse() {
        return raw -> switch (raw.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false, not '" + raw + "'");
        };
    }

    /** A positive duration with an optional unit, as {@link Durations} reads it. */
    static Setting.Parser<Duration> duration() { return Durations::parse; }

    /** The same, or zero written as {@code 0}, {@code 0s}, {@code 0m}... (a setting that zero turns off, or makes immediate). */
    static Setting.Parser<Duration> durationOrZero() {
        return raw -> raw.trim().matches("0+\\s*(s|m|h|d)?") ? Duration.ZERO : Durations.parse(raw);
    }

    static Setting.Check<Duration> atMost(Duration max, String problem) {
        return Setting.Check.that(value -> value.compareTo(max) <= 0, value -> problem);
    }

    static Setting.Check<Duration> within(Duration min, Duration max, String problem) {
        return Setting.Check.that(value -> value.compareTo(min) >= 0 && value.compareTo(max) <= 0, value -> problem);
    }

    /** One of an enum's constants by its lower-case name, in any case: "must be full or normal". */
    static <E extends Enum<E>> Setting.Parser<E> oneOf(Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        String choices = String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
        return raw -> {
            String lower = raw.toLowerCase(Locale.ROOT);
            for (E constant : type.getEnumConstants()) if (constant.name().toLowerCase(Locale.ROOT).equals(lower)) return constant;
            throw new IllegalArgumentException("must be " + choices + ", not '" + raw + "'");
        };
    }

    static Setting.Check<String> startsWith(String prefix, String problem) {
        return Setting.Check.that(value -> value.startsWith(prefix), value -> problem + ", not '" + value + "'");
    }

    /**
     * The issuer URL, or empty when none is set: the loader then makes one of the port. OIDC
     * Discovery §3 and RFC 8414 §2: an http(s) URL with a host and no query or fragment; plain
     * http is allowed for development and announced at start.
     */
    static Setting.Parser<Optional<URI>> issuer() {
        return raw -> {
            if (raw.isBlank()) return Optional.empty();
            URI uri;
            try {
                uri = new URI(raw);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("is not a valid URL: '" + raw + "'");
            }
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException("must be an http or https URL, not '" + raw + "'");
            }
            if (uri.getHost() == null) throw new IllegalArgumentException("must name a host: '" + raw + "'");
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("must not have a query or fragment: '" + raw + "'");
            }
            return Optional.of(uri);
        };
    }

    /** Addresses and CIDR ranges separated by commas; empty for none. */
    static Setting.Parser<List<AddressRange>> addressRanges() {
        return raw -> {
            if (raw.isBlank()) return List.of();
            List<AddressRange> ranges = new ArrayList<>();
            for (String item : raw.split(",", -1)) {
                try {
                    ranges.add(AddressRange.parse(item.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("must be addresses or CIDR ranges separated by commas: " + e.getMessage());
                }
            }
            return List.copyOf(ranges);
        };
    }

    /** A file's path, or empty when none is set. */
    static Setting.Parser<Optional<Path>> optionalFile() {
        return raw -> {
            if (raw.isBlank()) return Optional.empty();
            try {
                return Optional.of(Path.of(raw));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("is not a file path: '" + raw + "'");
            }
        };
    }
}
