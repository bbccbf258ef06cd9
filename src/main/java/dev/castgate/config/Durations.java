package dev.castgate.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: a number with an optional unit, s (the default), m, h or d. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(s|m|h|d)?");

    private Durations() {}

    /** Parses a positive duration; the exception's message names what was wrong. */
    public static Duration parse(String raw) {
        Matcher m = DURATION.matcher(raw.strip()); // strip, not trim: a control character is not a space to forgive
        if (!m.matches()) throw new IllegalArgumentException("must be a duration such as 90s, 15m, 24h or 30d, not '" + raw + "'");
        long amount = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (d.isZero()) throw new IllegalArgumentException("must be longer than zero");
        return d;
    }
}
