package dev.castgate.api;

import dev.castgate.error.OAuthException;
import dev.castgate.http.Form;
import dev.castgate.http.TextRule;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** The Streaming API's input: path parameters and the form fields its resources share, checked once here. */
final class ApiParams {
    /** Ids are at most 64 plain characters. */
    private static final TextRule ID = TextRule.line(64);
    private static final long MAX_UNIX_TIME = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private ApiParams() {}

    /** A PUT's new title and description; at least one of them was sent. */
    record Edit(Optional<String> title, Optional<String> description) {
        static Edit parse(Form form) {
            Optional<String> title = form.optional("title").map(ApiParams::title);
            // A description sent empty clears it, so presence is what counts here.
            Optional<String> description = form.has("description") ? Optional.of(ApiParams.description(form)) : Optional.empty();
            if (title.isEmpty() && description.isEmpty()) throw OAuthException.invalidRequest("nothing to change: send title or description");
            return new Edit(title, description);
        }
    }

    /**
     * A path parameter without the optional {@code .json} suffix; ids are short and plain, anything
     * else matches nothing (and is never sent to the database, which refuses a NUL with an error).
     */
    static String pathParam(Context ctx, String name) {
        String value = ctx.pathParam(name);
        if (value.toLowerCase(Locale.ROOT).endsWith(".json")) value = value.substring(0, value.length() - 5);
        return ID.accepts(value) ? value : "";
    }

    /** A channel's or video's title: one line, stripped, not blank, as long as its column. */
    static String title(Form form) { return title(form.require("title")); }

    private static String title(String raw) {
        String title = raw.strip();
        if (title.isEmpty()) throw OAuthException.invalidRequest("title must not be blank");
        return TextRule.NAME.require("title", title);
    }

    /** A description: several lines may be; sent empty, it is empty. */
    static String description(Form form) { return form.optional("description", TextRule.DESCRIPTION).orElse(""); }

    static String deviceName(Form form) { return form.require("device_name", TextRule.NAME); }

    static Instant unixTime(String raw, String name) {
        try {
            long seconds = Long.parseLong(raw);
            if (seconds < 0 || seconds > MAX_UNIX_TIME) throw OAuthException.invalidRequest(name + " is out of range");
            return Instant.ofEpochSecond(seconds);
        } catch (NumberFormatException e) {
            throw OAuthException.invalidRequest(name + " must be a Unix time in seconds");
        }
    }
}
