package dev.castgate.registration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.crypto.RandomTokens;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Registration requests as a client sends them, and the checks of their answers. */
final class Registrations {
    private final TestServer server;

    Registrations(TestServer server) { this.server = server; }

    /** An initial access token made as the command line makes one, on the server's clock. */
    String initialToken(Duration ttl, Optional<Integer> uses) {
        return new RegistrationTokens(server.database().stores(), RandomTokens.secure(), server.clock())
                .create(ttl, uses).secret();
    }

    String initialToken() { return initialToken(Duration.ofHours(1), Optional.empty()); }

    Http.Response register(String initialToken, String json) {
        return initialToken == null
                ? Http.client().post(server.url("/oauth2/register"), "application/json", json)
                : Http.client().post(server.url("/oauth2/register"), "application/json", json, "Authorization", "Bearer " + initialToken);
    }

    /** A registration that must succeed; its client information response. */
    Map<String, Object> registered(String json) {
        Http.Response r = register(initialToken(), json);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    /** RFC 7591 §3.2.2: 400, JSON, never stored, naming no authentication scheme. */
    static void assertRefused(Http.Response r, String error, String description) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.header("Cache-Control")).contains("no-store");
        assertThat(r.json()).isEqualTo(Map.of("error", error, "error_description", description));
        assertThat(r.headers("WWW-Authenticate")).isEmpty();
    }

    /** RFC 6750 §3.1: 401 invalid_token, with the Bearer challenge. */
    static void assertInvalidToken(Http.Response r, String description) {
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.header("Cache-Control")).contains("no-store");
        assertThat(r.json()).isEqualTo(Map.of("error", "invalid_token", "error_description", description));
        assertThat(r.headers("WWW-Authenticate")).containsExactly(
                "Bearer realm=\"castgate\", error=\"invalid_token\", error_description=\"" + description + "\"");
    }
}
