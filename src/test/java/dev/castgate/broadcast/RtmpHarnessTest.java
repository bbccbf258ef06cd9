package dev.castgate.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.castgate.testing.Ffmpeg;
import dev.castgate.testing.Http;
import dev.castgate.testing.RtmpIngest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broadcast harness on its own, without Castgate: nginx's RTMP module asks a tiny HTTP
 * server on 127.0.0.1 through {@code on_publish}, which allows {@code key=good} (200) and refuses
 * everything else (403); ffmpeg's publish is accepted or refused accordingly. This pins down the
 * contract the publish-check endpoint implements: a form-urlencoded POST carrying the stream
 * {@code name} and the publish URL's query arguments.
 */
class RtmpHarnessTest {
    private static HttpServer checker;
    private static RtmpIngest ingest;
    private static final List<Map<String, String>> CALLS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        RtmpIngest.requireInstalled();
        Ffmpeg.requireInstalled();
        checker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        checker.createContext("/on_publish", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = decodeForm(body);
            CALLS.add(form);
            int status = "good".equals(form.get("key")) ? 200 : 403;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        checker.start();
        ingest = RtmpIngest.start("http://127.0.0.1:" + checker.getAddress().getPort() + "/on_publish");
    }

    @AfterAll
    static void stop() {
        if (ingest != null) ingest.close();
        if (checker != null) checker.stop(0);
    }

    @Test
    void aPublishWithTheGoodKeyIsAcceptedAndOneWithABadKeyIsRefused() {
        Ffmpeg.Publish good = Ffmpeg.publish(ingest.rtmpUrl(), "harness", Http.form("key", "good"));
        assertTrue(good.accepted(), () -> "the good key: " + good + "\nnginx:\n" + ingest.log());
        Map<String, String> call = CALLS.getLast();
        assertEquals("harness", call.get("name"), () -> "on_publish form: " + call);
        assertEquals("good", call.get("key"), () -> "on_publish form: " + call);
        assertEquals("publish", call.get("call"), () -> "on_publish form: " + call);

        int before = CALLS.size();
        Ffmpeg.Publish bad = Ffmpeg.publish(ingest.rtmpUrl(), "harness", Http.form("key", "bad"));
        assertFalse(bad.accepted(), () -> "the bad key: " + bad + "\nnginx:\n" + ingest.log());
        assertEquals(before + 1, CALLS.size(), () -> "on_publish was not asked about the bad key: " + CALLS);
        assertEquals("bad", CALLS.getLast().get("key"));
    }

    private static Map<String, String> decodeForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }
}
