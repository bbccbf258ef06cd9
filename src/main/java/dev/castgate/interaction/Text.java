package dev.castgate.interaction;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * The page texts of one request's language, from the {@code i18n/messages} bundles. Templates
 * and page code ask it for texts by key; no page text lives in Java code.
 */
public final class Text {
    private final Locale locale;
    private final ResourceBundle bundle;
    private final List<LanguageLink> languages;

    Text(Locale locale, ResourceBundle bundle, List<LanguageLink> languages) {
        this.locale = locale;
        this.bundle = bundle;
        this.languages = List.copyOf(languages);
    }

    /** One entry of the language switcher. */
    public record LanguageLink(String label, String href, boolean current) {}

    public Locale locale() { return locale; }

    /** The value of the {@code lang} parameter for this language, such as {@code hu_HU}. */
    public String tag() { return locale.toString(); }

    /** The BCP 47 tag for {@code <html lang>}, such as {@code hu-HU}. */
    public String htmlLang() { return locale.toLanguageTag(); }

    public String get(String key) { return bundle.getString(key); }

    /** The text with {0}, {1}... replaced; plain replacement, so apostrophes in texts need no escaping. */
    public String format(String key, Object... args) {
        String text = bundle.getString(key);
        for (int i = 0; i < args.length; i++) text = text.replace("{" + i + "}", String.valueOf(args[i]));
        return text;
    }

    /** A date and time in this language's medium style, in UTC. */
    public String dateTime(Instant at) {
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale)
                .withZone(ZoneOffset.UTC).format(at) + " UTC";
    }

    public List<LanguageLink> languages() { return languages; }

    /** The same texts with a language switcher whose links lead to {@code path} with {@code params} and each language. */
    public Text withLanguageLinks(String path, Map<String, String> params) {
        List<LanguageLink> links = new ArrayList<>();
        for (Locale supported : Languages.SUPPORTED) {
            Map<String, String> query = new LinkedHashMap<>(params);
            query.remove("lang");
            query.put("lang", supported.toString());
            String href = Links.withQuery(path, query);
            links.add(new LanguageLink(Languages.bundle(supported).getString("language.name"), href, supported.equals(locale)));
        }
        return new Text(locale, bundle, links);
    }
}
