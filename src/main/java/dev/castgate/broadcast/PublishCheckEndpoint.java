package dev.castgate.broadcast;

import dev.castgate.error.OAuthException;
import dev.castgate.http.AddressRange;
import dev.castgate.http.Form;
import dev.castgate.http.Json;
import dev.castgate.http.ResponseHeaders;
import dev.castgate.metrics.Metrics;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.List;
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
 *
 * <p>Checks are throttled, and refusals recorded, per broadcaster address: when the caller is an
 * ingest server Castgate trusts (its address, {@code ctx.ip()}, is loopback or within
 * {@code http.trusted_proxies}), that is the {@code addr} field nginx-rtmp sends, read by hand as an
 * IP literal (never looked up); otherwise, or when {@code addr} is missing or not an IP literal, it
 * is the caller's. Counting nginx's own address would let a few wrong keys refuse every broadcaster
 * behind it.
 */
public final class PublishCheckEndpoint {
    private static final Logger log = LoggerFactory.getLogger(PublishCheckEndpoint.class);
    private static final int MAX_FIELD = 512;

    private final Ingest ingest;
    private final List<AddressRange> trustedProxies;
    private final Metrics metrics;

    public PublishCheckEndpoint(Ingest ingest, List<AddressRange> trustedProxies, Metrics metrics) {
        this.ingest = ingest;
        this.trustedProxies = List.copyOf(trustedProxies);
        this.metrics = metrics;
    }

    public void handle(Context ctx) {
        ResponseHeaders.noStore(ctx);
        Form form = Form.parse(ctx);
        String name = form.require("name");
        String address = broadcaster(ctx.ip(), field(form, "addr"));
        Ingest.Decision decision = ingest.check(bounded(name).orElse(""), field(form, "key"), field(form, "user"), field(form, "pass"),
                address);
        switch (decision) {
            case Ingest.Decision.Allowed allowed -> {
                log.info("publish allowed on channel {} by {}", allowed.channelId(), allowed.by());
                metrics.publishCheck("allowed");
                ctx.status(200).result("");
            }
            case Ingest.Decision.Refused refused -> {
                // One line per address and window, as the audit trail (see Ingest#check).
                refused.recorded().ifPresent(detail -> log.info("publish refused from {}: {}", address, detail));
                metrics.publishCheck("refused");
                Json.respond(ctx, 403, Map.of("error", "access_denied", "error_description", "the publish is not allowed"));
            }
        }
    }

    /**
     * The address a publish is counted and recorded under: the broadcaster's {@code addr} when the
     * caller is a trusted ingest server and {@code addr} is an IP literal, else the caller's.
     */
    private String broadcaster(String caller, Optional<String> addr) {
        if (addr.isEmpty() || !ingestServer(caller)) return caller;
        return AddressRange.address(addr.get()).map(AddressRange::format).orElse(caller);
    }

    private boolean ingestServer(String caller) {
        String literal = caller.startsWith("[") && caller.endsWith("]") ? caller.substring(1, caller.length() - 1) : caller;
        Optional<InetAddress> address = AddressRange.address(literal);
        if (address.isEmpty()) return false;
        if (address.get().isLoopbackAddress()) return true;
        for (AddressRange range : trustedProxies) if (range.contains(address.get())) return true;
        return false;
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
