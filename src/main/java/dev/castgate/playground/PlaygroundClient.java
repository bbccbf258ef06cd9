package dev.castgate.playground;

import dev.castgate.http.QueryStrings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The playground's side of the protocol: it calls this server over HTTP as the demo client, the
 * way any client would, with the client's secret at the token endpoint and a bearer token at the
 * Streaming API.
 */
final class PlaygroundClient {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    /** One answer of the server: status and body ({@code status} 0 when the call itself failed). */
    record Call(int status, String body) {}

    private final DemoSeed.Credentials demo;
    private final String issuer;
    private final String apiUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    PlaygroundClient(DemoSeed.Credentials demo, String issuer, String apiUrl) {
        this.demo = demo;
        this.issuer = issuer;
        this.apiUrl = apiUrl;
    }

    Call token(Map<String, String> form) { return clientPost("/oauth2/token", form); }

    /** A form post to one of the server's endpoints with the demo client's secret (RFC 6749 §2.3.1). */
    Call clientPost(String path, Map<String, String> form) {
        String basic = Base64.getEncoder().encodeToString((QueryStrings.encode(demo.clientId()) + ":"
                + QueryStrings.encode(demo.clientSecret())).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(issuer + path))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(QueryStrings.of(form))));
    }

    Call apiGet(String path, String accessToken) {
        return send(HttpRequest.newBuilder(URI.create(apiUrl + path)).header("Authorization", "Bearer " + accessToken).GET());
    }

    Call apiPost(String path, String accessToken, Map<String, String> form) {
        return send(HttpRequest.newBuilder(URI.create(apiUrl + path)).header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(QueryStrings.of(form))));
    }

    private Call send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(CALL_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Call(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Call(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Call(0, e.toString());
        }
    }
}
