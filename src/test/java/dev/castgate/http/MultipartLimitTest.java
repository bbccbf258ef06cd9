package dev.castgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.RawHttp;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Multipart bodies are held to the same 64 KiB as form-urlencoded ones, refused from their
 * headers where they say so, parsed in memory, never spooled to the temporary folder, and
 * carry no files. Security review finding 1: a 40 MB upload was accepted, and spooled to disk
 * before any authentication.
 */
class MultipartLimitTest {
    private static final String BOUNDARY = "castgate-test-boundary";
    private static final Map<String, Object> TOO_LARGE = Map.of("error", "invalid_request", "error_description", "the request body is too large");

    @CastgateServer static TestServer server;
    static TestClient client;

    @BeforeAll
    static void registerClient() { client = server.client().create(); }

    @Test
    void aLargeMultipartBodyIsRefusedFromItsHeadersAndNothingIsSpooled() throws Exception {
        RawAnswer answer = uploadWatchingTheTemporaryFolder("/oauth2/token", false);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
        assertThat(json(answer.body())).isEqualTo(TOO_LARGE);
        assertThat(answer.spooled()).as("files the multipart parser wrote to the temporary folder").isEmpty();
    }

    @Test
    void aChunkedMultipartBodyThatGrowsPastTheLimitIsRefused() throws Exception {
        RawAnswer answer = uploadWatchingTheTemporaryFolder("/oauth2/token", true);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
        assertThat(json(answer.body())).isEqualTo(TOO_LARGE);
        assertThat(answer.spooled()).as("files the multipart parser wrote to the temporary folder").isEmpty();
    }

    @Test
    void onAPageTheRefusalIsAnErrorPage() throws Exception {
        RawAnswer answer = uploadWatchingTheTemporaryFolder("/signup", false);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
        assertThat(answer.headers()).containsIgnoringCase("content-type: text/html");
        assertThat(answer.body()).contains("<html").contains("too large");
        assertThat(answer.spooled()).isEmpty();
    }

    @Test
    void aMultipartBodyJustOverTheLimitIsRefusedAsAFormIs() {
        Http.Response response = Http.client().post(server.url("/oauth2/token"), "multipart/form-data; boundary=" + BOUNDARY,
                part("grant_type", "client_credentials") + part("padding", "a".repeat(70_000)) + "--" + BOUNDARY + "--\r\n",
                "Authorization", client.basic());
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json()).isEqualTo(TOO_LARGE);
    }

    @Test
    void aFilePartIsRefused() {
        String body = part("grant_type", "client_credentials")
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"x\"; filename=\"x.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\nsmall\r\n--" + BOUNDARY + "--\r\n";
        Http.Response response = Http.client().post(server.url("/oauth2/token"), "multipart/form-data; boundary=" + BOUNDARY, body,
                "Authorization", client.basic());
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json()).isEqualTo(Map.of("error", "invalid_request", "error_description", "file parts are not accepted"));
    }

    @Test
    void aSmallMultipartFormIsStillRead() {
        Http.Response response = Http.client().postMultipart(server.url("/oauth2/token"),
                Http.form("grant_type", "client_credentials", "device_name", "Ünïcode ✓"), "Authorization", client.basic());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json()).containsKey("access_token");
    }

    private static Map<String, Object> json(String body) throws IOException {
        return new ObjectMapper().readValue(body, new TypeReference<Map<String, Object>>() {});
    }

    private static String part(String name, String value) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    /** What a raw exchange got back, and the multipart files that appeared in the temporary folder meanwhile. */
    record RawAnswer(int status, String headers, String body, Set<String> spooled) {}

    /**
     * Sends 40 MB of a file part without credentials (announced by Content-Length, or chunked),
     * from a thread of its own so that a server that answers early is read at once, while
     * another thread watches the temporary folder, where Jetty's multipart parser spools parts.
     */
    private static RawAnswer uploadWatchingTheTemporaryFolder(String path, boolean chunked) throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<String> before = multipartFiles(tmp);
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = Thread.ofPlatform().daemon().start(() -> {
            while (!done.get()) {
                Set<String> now = multipartFiles(tmp);
                now.removeAll(before);
                seen.addAll(now);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        URI base = URI.create(server.issuer());
        long total = 40_000_000;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + total + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = Thread.ofPlatform().daemon().start(() -> writeFilePart(out, total, chunked));
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            done.set(true);
            watcher.join(1000);
            socket.close();
            writer.join(5000);
            return new RawAnswer(answer.status(), answer.headers(), answer.body(), new HashSet<>(seen));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within 30 s: the server read on instead of refusing; spooled: " + seen, e);
        } finally {
            done.set(true);
        }
    }

    /**
     * A well-formed body of {@code total} bytes in all, most of it one file part, 8 KiB at a time;
     * stops quietly once the server closes the connection.
     */
    private static void writeFilePart(OutputStream out, long total, boolean chunked) {
        byte[] start = (part("grant_type", "client_credentials") + "--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] end = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] piece = new byte[8192];
        Arrays.fill(piece, (byte) 'x');
        try {
            send(out, start, start.length, chunked);
            for (long sent = start.length; sent < total - end.length; sent += piece.length) {
                send(out, piece, (int) Math.min(piece.length, total - end.length - sent), chunked);
            }
            send(out, end, end.length, chunked);
            if (chunked) out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException closed) {
            // the server answered and closed the connection: what a refusal looks like
        }
    }

    private static void send(OutputStream out, byte[] bytes, int length, boolean chunked) throws IOException {
        if (chunked) out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes, 0, length);
        if (chunked) out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static Set<String> multipartFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("MultiPart"))
                    .collect(java.util.stream.Collectors.toCollection(HashSet::new));
        } catch (IOException e) {
            return new HashSet<>();
        }
    }
}
