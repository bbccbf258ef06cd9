package dev.castgate.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client's redirect endpoint on a free local port, {@code /callback}: it answers with a small
 * page, as a client app would, and records the query parameters of each request by their state.
 * A form posted there (the form_post response mode) is recorded with its fields and answered, as
 * web apps do, with a redirect to {@code /done}, the same page.
 */
public final class CallbackServer implements AutoCloseable {
    private static final byte[] PAGE = "<!DOCTYPE html><title>Client app</title><p>Back at the client.</p>".getBytes(StandardCharsets.UTF_8);

    private final HttpServer http;
    private final Map<String, Map<String, String>> received = new ConcurrentHashMap<>();
    private final Map<String, String> methods = new ConcurrentHashMap<>();

    private CallbackServer(HttpServer http) { this.http = http; }

    public static CallbackServer start() {
        try {
            CallbackServer callback = new CallbackServer(HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0));
            callback.http.createContext("/callback", exchange -> {
                Map<String, String> params = Urls.queryParams(exchange.getRequestURI().toString());
                boolean posted = exchange.getRequestMethod().equals("POST");
                if (posted) {
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    params.putAll(Urls.queryParams("/?" + body));
                }
                String state = params.getOrDefault("state", "");
                callback.received.put(state, params);
                callback.methods.put(state, exchange.getRequestMethod());
                if (posted) {
                    exchange.getResponseHeaders().set("Location", "/done");
                    exchange.sendResponseHeaders(303, -1);
                    exchange.close();
                    return;
                }
                page(exchange);
            });
            callback.http.createContext("/done", CallbackServer::page);
            callback.http.start();
            return callback;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void page(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, PAGE.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(PAGE);
        }
    }

    /** The redirect URI to register. */
    public String url() { return "http://127.0.0.1:" + http.getAddress().getPort() + "/callback"; }

    /** Query parameters of each request received, by state ("" for none). */
    public Map<String, Map<String, String>> received() { return received; }

    /** The method of each request received (GET, or POST for a posted form), by state. */
    public Map<String, String> methods() { return methods; }

    @Override
    public void close() { http.stop(0); }
}
