package dev.castgate.interaction;

import dev.castgate.http.Form;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;

/**
 * Chooses a page's language: the {@code lang} parameter (query or form), then the browser's
 * Accept-Language, else English. Only the languages there are bundles for are ever chosen.
 */
public final class Languages {
    public static final Locale ENGLISH = Locale.of("en", "US");
    /** Offered languages, in the switcher's order; the first is the default. */
    public static final List<Locale> SUPPORTED = List.of(ENGLISH, Locale.of("hu", "HU"), Locale.of("de", "DE"));
    /** Never fall back to the JVM's default locale: a German server must still default to English. */
    private static final ResourceBundle.Control NO_FALLBACK = ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private Languages() {}

    static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle("i18n.messages", locale, NO_FALLBACK);
    }

    /** The texts in the language this request asks for, without a language switcher. */
    public static Text of(Context ctx) {
        Locale locale = choose(lang(ctx), ctx.header("Accept-Language"));
        return new Text(locale, bundle(locale), List.of());
    }

    public static Text of(Locale locale) {
        return new Text(locale, bundle(locale), List.of());
    }

    /** The texts of the language a {@code lang} value names ({@link Text#tag()}), English where it names none. */
    public static Text ofTag(String tag) {
        return of(parseTag(tag).orElse(ENGLISH));
    }

    /** The lang parameter of the query, or of a form body. */
    private static Optional<String> lang(Context ctx) {
        String fromQuery = ctx.queryParam("lang");
        if (fromQuery != null) return Optional.of(fromQuery);
        if (!"POST".equals(ctx.method().name()) || !Form.contentType(ctx).startsWith("application/x-www-form-urlencoded")) return Optional.empty();
        try {
            return Optional.ofNullable(ctx.formParam("lang"));
        } catch (RuntimeException e) {
            return Optional.empty(); // an unreadable body: the error handler answers for it; the language falls back
        }
    }

    static Locale choose(Optional<String> lang, String acceptLanguage) {
        Optional<Locale> chosen = lang.flatMap(Languages::parseTag);
        if (chosen.isPresent()) return chosen.get();
        if (acceptLanguage != null && !acceptLanguage.isBlank() && acceptLanguage.length() <= 1000) {
            try {
                List<Locale> matches = Locale.filter(Locale.LanguageRange.parse(acceptLanguage), SUPPORTED);
                if (!matches.isEmpty()) return matches.get(0);
            } catch (IllegalArgumentException malformed) {
                // a malformed header counts as none
            }
        }
        return ENGLISH;
    }

    /** The offered language {@code tag} names ({@code hu_HU}, {@code hu-HU} or {@code hu}), if it names one. */
    public static Optional<Text> supported(String tag) {
        return parseTag(tag).map(Languages::of);
    }

    /**
     * The language an operator names for a person's mail, as {@link #supported}; refused, naming
     * {@code option} as the caller spells it, when it is not one Castgate speaks.
     */
    public static Text require(String option, String tag) {
        return supported(tag).orElseThrow(() -> new dev.castgate.admin.AdminException(option + " must be one of "
                + String.join(", ", SUPPORTED.stream().map(Locale::toString).toList()) + ", not '" + tag + "'"));
    }

    /** {@code hu_HU}, {@code hu-HU} or {@code hu}, in any case. */
    static Optional<Locale> parseTag(String raw) {
        if (raw.length() > 20) return Optional.empty();
        String normalized = raw.replace('-', '_');
        return SUPPORTED.stream()
                .filter(l -> l.toString().equalsIgnoreCase(normalized) || l.getLanguage().equalsIgnoreCase(normalized))
                .findFirst();
    }
}
