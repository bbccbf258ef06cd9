package dev.castgate.broadcast;

import dev.castgate.error.OAuthException;
import dev.castgate.http.Form;
import dev.castgate.http.Json;
import dev.castgate.http.ResponseHeaders;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST {base}/broadcast/on_publish: nginx-rtmp's {@code on_publish} callback. nginx posts the
 * stream name as {@code name} and the publish URL's query arguments as further form fields; any
 * 2xx lets the publish start, anything else refuses it. Allowed: 200 with an empty body; refused:
 * 403 with a JSON error, whatever was wrong (also when the address has had too many refusals),
 * so the answer tells a guesser nothing.
 */
public final class PublishCheckEndpoint {
    private static final Logger log = LoggerFactory.getLogger(PublishCheckEndpoint.class);
    private static final int MAX_FIELD = 512;

    private final Ingest ingest;

    public PublishCheckEndpoint(Ingest ingest) { this.ingest = ingest; }

    public void handle(Context ctx) {
        ResponseHeaders.noStore(ctx);
        Form form = Form.parse(ctx);
        String name = form.require("name");
        Ingest.Decision decision = ingest.check(bounded(name).orElse(""), field(form, "key"), field(form, "user"), field(form, "pass"),
                ctx.ip());
        switch (decision) {
            case Ingest.Decision.Allowed allowed -> {
                log.info("publish allowed on channel {} by {}", allowed.channelId(), allowed.by());
                ctx.status(200).result("");
            }
            case Ingest.Decision.Refused refused -> {
                // One line per address and window, as the audit trail (see Ingest#check).
                refused.recorded().ifPresent(detail -> log.info("publish refused from {}: {}", ctx.ip(), detail));
                Json.respond(ctx, 403, Map.of("error", "access_denied", "error_description", "the publish is not allowed"));
            }
        }
    }

    /** A field the publish URL may carry; repeated is malformed, over-long is never a valid credential. */
    private static Optional<String> field(Form form, String name) {
        if (form.repeated(name)) throw OAuthException.invalidRequest("parameter " + name + " is repeated");
        return form.optional(name).flatMap(PublishCheckEndpoint::bounded);
    }

    private static Optional<String> bounded(String value) {
        return value.length() > MAX_FIELD ? Optional.of("") : Optional.of(value);
    }
}
