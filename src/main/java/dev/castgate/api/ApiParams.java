package dev.castgate.api;

import dev.castgate.error.OAuthException;
import dev.castgate.http.Form;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** The Streaming API's input: path parameters and the form fields its resources share, checked once here. */
final class ApiParams {
    private static final int MAX_NAME = 200;
    private static final int MAX_DESCRIPTION = 4000;
    private static final long MAX_UNIX_TIME = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private ApiParams() {}

    /** A PUT's new title and description; at least one of them was sent. */
    record Edit(Optional<String> title, Optional<String> description) {
        static Edit parse(Form form) {
            Optional<String> title = form.optional("title").map(ApiParams::title);
            // A description sent empty clears it, so presence is what counts here.
            Optional<String> description = form.has("description") ? Optional.of(ApiParams.description(form.optional("description").orElse("")))
                    : Optional.empty();
            if (title.isEmpty() && description.isEmpty()) throw OAuthException.invalidRequest("nothing to change: send title or description");
            return new Edit(title, description);
        }
    }

    /** A path parameter without the optional {@code .json} suffix; ids are short and plain, anything else matches nothing. */
    static String pathParam(Context ctx, String name) {
        String value = ctx.pathParam(name);
        if (value.toLowerCase(Locale.ROOT).endsWith(".json")) value = value.substring(0, value.length() - 5);
        return value.length() > 64 ? "" : value;
    }

    static String title(String raw) {
        String title = raw.strip();
        if (title.isEmpty()) throw OAuthException.invalidRequest("title must not be blank");
        if (title.length() > MAX_NAME) throw OAuthException.invalidRequest("title is longer than 200 characters");
        return title;
    }

    static String description(String raw) {
        if (raw.length() > MAX_DESCRIPTION) throw OAuthException.invalidRequest("description is longer than 4000 characters");
        return raw;
    }

    static String deviceName(String raw) {
        if (raw.length() > MAX_NAME) throw OAuthException.invalidRequest("device_name is longer than 200 characters");
        return raw;
    }

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
