package dev.castgate.http;

import io.javalin.http.Context;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One line per request in the logger {@code castgate.access}, and the request id that ties it to
 * every other line the request logs. The id is the {@code X-Request-Id} a trusted proxy sent (so
 * the proxy's log and Castgate's share it), or a new one; it is answered in {@code X-Request-Id}
 * and sits in the log's context ({@code request_id}) while the request runs.
 *
 * <p>The line holds the method, the path, the query's parameter names with only the values that
 * are never secret (see {@link #SHOWN}), the status, the duration, the client address and the
 * client id once the client authenticated or its token was verified. Codes, tokens, states,
 * passwords and mailed links' tokens sit in query values or bodies, so none reaches the log.
 */
public final class AccessLog {
    public static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "request_id";
    private static final Logger log = LoggerFactory.getLogger("castgate.access");
    private static final String CLIENT = AccessLog.class.getName() + ".client";
    /** What a forwarded id may be: what proxies generate (hex, UUIDs, base64), never a line break. */
    private static final Pattern FORWARDED_ID = Pattern.compile("[A-Za-z0-9._:+/=-]{1,128}");
    /** Query parameters whose values say what was asked and hold nothing secret. */
    private static final Set<String> SHOWN = Set.of("client_id", "response_type", "response_mode", "scope", "prompt",
            "display", "ui_locales", "max_age", "acr_values", "code_challenge_method", "grant_type", "lang");
    /** Longer paths and queries are cut: a line stays a line. */
    private static final int MAX_TARGET = 512;
    private static final HexFormat HEX = HexFormat.of();

    private final ClientAddress addresses;
    private final boolean enabled;

    /** {@code enabled} writes the lines; the request id is answered either way. */
    public AccessLog(ClientAddress addresses, boolean enabled) {
        this.addresses = addresses;
        this.enabled = enabled;
    }

    /** Before every handler: the request's id, in the answer and the log's context. */
    public void begin(Context ctx) {
        String forwarded = ctx.header(HEADER);
        String id = forwarded != null && FORWARDED_ID.matcher(forwarded).matches() && addresses.fromTrustedProxy(ctx)
                ? forwarded : newId();
        ctx.header(HEADER, id);
        MDC.put(MDC_KEY, id);
    }

    /** After every request, once answered (Javalin's request logger): the line, then the context cleared. */
    public void end(Context ctx, Float millis) {
        try {
            if (enabled && log.isInfoEnabled()) write(ctx, millis == null ? 0 : millis);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /** Names the client the request acted for, once it authenticated or presented a verified token. */
    public static void client(Context ctx, String clientId) {
        ctx.attribute(CLIENT, clientId);
    }

    private void write(Context ctx, float millis) {
        String method = ctx.method().name();
        String target = target(ctx.req().getRequestURI(), ctx.req().getQueryString());
        int status = ctx.statusCode();
        String ip = ctx.ip();
        String client = ctx.attribute(CLIENT);
        long tenths = Math.round(millis * 10.0);
        String duration = tenths / 10 + "." + tenths % 10;
        LoggingEventBuilder line = log.atInfo()
                .addKeyValue("method", method).addKeyValue("target", target).addKeyValue("status", status)
                .addKeyValue("duration_ms", duration).addKeyValue("ip", ip);
        if (client != null) line = line.addKeyValue("client_id", client);
        line.log(method + " " + target + " " + status + " " + duration + " ms " + ip + (client == null ? "" : " client=" + client));
    }

    /**
     * The path as sent (still percent-encoded, so no decoded line break reaches the log) and the
     * query with each value shown only when its name is in {@link #SHOWN}, else {@code *}.
     */
    static String target(String path, String query) {
        StringBuilder line = new StringBuilder(path == null ? "" : path);
        if (query != null && !query.isEmpty()) {
            line.append('?');
            String[] pairs = query.split("&", -1);
            for (int i = 0; i < pairs.length; i++) {
                if (i > 0) line.append('&');
                String pair = pairs[i];
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                line.append(name);
                if (eq >= 0) line.append('=').append(SHOWN.contains(name) ? pair.substring(eq + 1) : "*");
            }
        }
        return printable(line.length() > MAX_TARGET ? line.substring(0, MAX_TARGET) + "…" : line.toString());
    }

    /** The raw request line may still hold bytes a log reader would take for a line break or a terminal escape. */
    private static String printable(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = c < 0x20 || c == 0x7f;
            if (bad && out == null) out = new StringBuilder(s.length()).append(s, 0, i);
            if (out != null) out.append(bad ? '?' : c);
        }
        return out == null ? s : out.toString();
    }

    /** 96 random bits in hex: unique enough to find a request, and no secret (it is in the answer). */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextInt());
    }
}
