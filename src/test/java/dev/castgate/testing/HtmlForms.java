package dev.castgate.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the hidden fields of Castgate's pages, so tests can post forms as a browser would. */
public final class HtmlForms {
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");

    private HtmlForms() {}

    public static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) fields.put(unescape(m.group(1)), unescape(m.group(2)));
        return fields;
    }

    /** Text or an attribute value as a browser reads it, with character references decoded. */
    public static String unescapeText(String s) { return unescape(s); }

    private static final Pattern ENTITY = Pattern.compile("&(?:#(\\d+)|#[xX]([0-9a-fA-F]+)|(quot|amp|lt|gt|apos));");

    /** Decodes character references in one pass, so "&amp;lt;" stays "&lt;" as a browser reads it. */
    static String unescape(String s) {
        return ENTITY.matcher(s).replaceAll(m -> {
            int codePoint;
            if (m.group(1) != null) codePoint = Integer.parseInt(m.group(1));
            else if (m.group(2) != null) codePoint = Integer.parseInt(m.group(2), 16);
            else codePoint = switch (m.group(3)) {
                case "quot" -> '"';
                case "amp" -> '&';
                case "lt" -> '<';
                case "gt" -> '>';
                default -> '\'';
            };
            return Matcher.quoteReplacement(Character.toString(codePoint));
        });
    }
}
