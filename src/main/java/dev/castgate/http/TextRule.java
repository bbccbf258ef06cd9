package dev.castgate.http;

import dev.castgate.error.OAuthException;
import java.util.Optional;

/**
 * What a piece of text from outside may hold before it goes further in: which characters, and how
 * many. The one rule for free text, applied at the edge: {@link Form#optional} and
 * {@link Form#require} hold every parameter to {@link #DEFAULT} unless the reader names a narrower
 * rule, and the services that keep text from the pages' forms or the command-line tool (names,
 * redirect URIs) check it with the same rules, so that the pages can show their own messages.
 *
 * <p>PostgreSQL refuses a NUL character in any text and enforces {@code varchar(n)}, so either
 * turned a request into a 500 (SQLite accepts both, so only the production database showed it).
 * Other control characters pass the database but corrupt what is shown and logged; only a
 * multi-line field takes tabs and line breaks. Lengths count characters (code points), as
 * PostgreSQL's {@code varchar(n)} does.
 *
 * @param maxLength the most characters the text may have
 * @param characters which characters it may hold
 */
public record TextRule(int maxLength, Characters characters) {
    /** Any one parameter: one line, and at most as long as a request line may be. */
    public static final TextRule DEFAULT = line(8192);
    /**
     * A name or title kept in a {@code varchar(200)} column: a person's and a client's name, a
     * device's name (grants, device codes, device passwords), a channel's or a video's title.
     */
    public static final TextRule NAME = line(200);
    /** A channel's or a video's description: several lines, {@code varchar(4000)}. */
    public static final TextRule DESCRIPTION = lines(4000);
    /** The OIDC nonce, kept with its authorization code ({@code authorization_codes.nonce varchar(500)}). */
    public static final TextRule NONCE = line(500);
    /** One redirect URI, kept with each authorization code ({@code authorization_codes.redirect_uri varchar(2000)}). */
    public static final TextRule REDIRECT_URI = line(2000);
    /** A client's redirect URIs together, joined by spaces ({@code clients.redirect_uris varchar(8000)}). */
    public static final int MAX_REDIRECT_URIS_LENGTH = 8000;

    /** Which characters a text may hold. */
    public enum Characters {
        /** No control characters at all (C0, DEL, C1). */
        LINE,
        /** No control characters but tab, line feed and carriage return. */
        LINES,
        /**
         * Any: a secret that is only ever hashed (a password), never stored, shown or looked up.
         * The sign-in pages take a password as typed, so the password grant takes the same.
         */
        ANY
    }

    public static TextRule line(int maxLength) { return new TextRule(maxLength, Characters.LINE); }

    public static TextRule lines(int maxLength) { return new TextRule(maxLength, Characters.LINES); }

    public static TextRule secret(int maxLength) { return new TextRule(maxLength, Characters.ANY); }

    /**
     * Why the text breaks the rule, worded to follow the field's name ("title is longer than 200
     * characters"), or empty when it keeps it.
     */
    public Optional<String> problem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!allowed(c)) {
                return Optional.of(characters == Characters.LINES ? "must not contain control characters other than tabs and line breaks"
                        : "must not contain control characters");
            }
        }
        // A string has at least as many chars as code points: most texts need no count.
        if (value.length() > maxLength && value.codePointCount(0, value.length()) > maxLength) {
            return Optional.of("is longer than " + maxLength + " characters");
        }
        return Optional.empty();
    }

    public boolean accepts(String value) { return problem(value).isEmpty(); }

    /** The value, or {@code invalid_request} naming the parameter when the value breaks the rule. */
    public String require(String name, String value) {
        Optional<String> problem = problem(value);
        if (problem.isPresent()) throw OAuthException.invalidRequest(name + " " + problem.get());
        return value;
    }

    private boolean allowed(char c) {
        return switch (characters) {
            case LINE -> !Character.isISOControl(c);
            case LINES -> !Character.isISOControl(c) || c == '\t' || c == '\n' || c == '\r';
            case ANY -> true;
        };
    }
}
