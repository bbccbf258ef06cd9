package dev.castgate.logout;

import com.sun.net.httpserver.HttpServer;
import dev.castgate.testing.Urls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client's back-channel logout endpoint on a free local port: it records each post's content
 * type and form, and answers with the statuses it is given, one per post, then 200.
 */
final class LogoutReceiver implements AutoCloseable {
    /** One post received. */
    record Post(String contentType, Map<String, String> form) {
        String logoutToken() { return form.get("logout_token"); }
    }

    private final HttpServer http;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Integer> answers = new ConcurrentLinkedDeque<>();

    private LogoutReceiver(HttpServer http) { this.http = http; }

    static LogoutReceiver start(Integer... answers) {
        try {
            LogoutReceiver receiver = new LogoutReceiver(HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0));
            receiver.answers.addAll(List.of(answers));
            receiver.http.createContext("/backchannel", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                receiver.posts.add(new Post(exchange.getRequestHeaders().getFirst("Content-Type"), Urls.queryParams("/?" + body)));
                Integer status = receiver.answers.pollFirst();
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                exchange.sendResponseHeaders(status == null ? 200 : status, -1);
                exchange.close();
            });
            receiver.http.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() { return "http://127.0.0.1:" + http.getAddress().getPort() + "/backchannel"; }

    List<Post> posts() { return List.copyOf(posts); }

    @Override
    public void close() { http.stop(0); }
}
