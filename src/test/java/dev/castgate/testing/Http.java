package dev.castgate.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * An HTTP client for tests: never follows redirects (tests assert them), keeps cookies like a
 * browser when asked to, and reads JSON bodies.
 */
public final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client;

    private Http(HttpClient client) { this.client = client; }

    /** Without cookies: a client application or a resource server. */
    public static Http client() { return new Http(builder().build()); }

    /** With a cookie jar: a browser. */
    public static Http browser() { return new Http(builder().cookieHandler(new CookieManager()).build()); }

    /** A client that trusts the certificates {@code tls} trusts, for a server with a test certificate. */
    public static Http client(SSLContext tls) { return new Http(builder().sslContext(tls).build()); }

    /** A browser that trusts the certificates {@code tls} trusts. */
    public static Http browser(SSLContext tls) { return new Http(builder().sslContext(tls).cookieHandler(new CookieManager()).build()); }

    private static HttpClient.Builder builder() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5));
    }

    public Response get(String url, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
    }

    public Response postForm(String url, Map<String, String> form, String... headers) {
        return post(url, "application/x-www-form-urlencoded", encode(form), headers);
    }

    /** A multipart/form-data POST, as some of the original service's clients (the Unreal Engine plugin) send token requests. */
    public Response postMultipart(String url, Map<String, String> fields, String... headers) {
        String boundary = "----castgate-test-" + Long.toHexString(System.nanoTime());
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n"));
        body.append("--").append(boundary).append("--\r\n");
        return post(url, "multipart/form-data; boundary=" + boundary, body.toString(), headers);
    }

    public Response post(String url, String contentType, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return send(b, headers);
    }

    public Response send(HttpRequest.Builder builder, String... headers) {
        for (int i = 0; i < headers.length; i += 2) builder.header(headers[i], headers[i + 1]);
        try {
            return new Response(client.send(builder.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** An ordered map from alternating keys and values. */
    public static Map<String, String> form(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) map.put(keysAndValues[i], keysAndValues[i + 1]);
        return map;
    }

    /** A response with helpers for what tests check. */
    public record Response(HttpResponse<String> raw) {
        public int status() { return raw.statusCode(); }

        public String body() { return raw.body(); }

        public Optional<String> header(String name) { return raw.headers().firstValue(name); }

        public List<String> headers(String name) { return raw.headers().allValues(name); }

        public Map<String, Object> json() {
            try {
                return JSON.readValue(raw.body(), new TypeReference<LinkedHashMap<String, Object>>() {});
            } catch (IOException e) {
                throw new AssertionError("body is not a JSON object: " + raw.body(), e);
            }
        }

        public String location() { return header("Location").orElseThrow(() -> new AssertionError("no Location header; status " + status() + ": " + body())); }

        /** The query parameters of the Location header. */
        public Map<String, String> locationParams() { return Urls.queryParams(location()); }
    }
}
