package dev.castgate.http;

import java.util.Locale;
import java.util.Optional;

/**
 * Content negotiation on the {@code Accept} header (RFC 9110 §12.5.1), for the endpoints that can
 * answer in more than one media type. A range's weight is that of its most specific match, so
 * {@code application/*;q=0.1, application/json} weighs JSON 1 and other application types 0.1.
 */
public final class AcceptHeader {
    private AcceptHeader() {}

    /**
     * Whether {@code accept} asks for {@code wanted} by its own name, and weighs it at least as
     * much as {@code usual}, the type answered otherwise. A wildcard alone never picks the
     * alternative: a client that asks for {@code *}{@code /*} gets what every client got before.
     */
    public static boolean prefers(Optional<String> accept, String wanted, String usual) {
        if (accept.isEmpty()) return false;
        Optional<Double> named = weight(accept.get(), wanted, true);
        if (named.isEmpty() || named.get() <= 0) return false;
        return named.get() >= weight(accept.get(), usual, false).orElse(0.0);
    }

    /** The weight of the most specific range that matches {@code type}, if any; with {@code exactOnly}, only its own name counts. */
    private static Optional<Double> weight(String header, String type, boolean exactOnly) {
        String major = type.substring(0, type.indexOf('/'));
        int bestSpecificity = -1;
        double best = 0;
        for (String element : header.split(",")) {
            String[] parts = element.split(";");
            String range = parts[0].trim().toLowerCase(Locale.ROOT);
            int specificity = range.equals(type) ? 2 : range.equals(major + "/*") ? 1 : range.equals("*/*") ? 0 : -1;
            if (specificity < 0 || (exactOnly && specificity < 2) || specificity < bestSpecificity) continue;
            double q = quality(parts);
            // Of two equally specific ranges the first counts, as it would for a repeated parameter.
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                best = q;
            }
        }
        return bestSpecificity < 0 ? Optional.empty() : Optional.of(best);
    }

    /** The {@code q} parameter: 0 to 1 with up to three decimals (RFC 9110 §12.4.2); anything else counts as 1. */
    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.length() > 2 && (parameter.startsWith("q=") || parameter.startsWith("Q="))) {
                String value = parameter.substring(2).trim();
                if (value.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) return Double.parseDouble(value);
            }
        }
        return 1;
    }
}
