package dev.castgate.admin.api;

import static dev.castgate.admin.api.AdminCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /admin/api/registration-tokens}: initial access tokens made, listed, read and revoked as
 * {@code castgate registration-token} does, each one working at {@code /oauth2/register} until
 * it is revoked, and each change audited as the admin client's.
 */
class AdminApiRegistrationTokensTest {
    @CastgateServer static TestServer server;
    static AdminCalls admin;

    @BeforeAll
    static void setUp() { admin = new AdminCalls(server); }

    @Test
    @SuppressWarnings("unchecked")
    void aTokenMadeThroughTheApiRegistersAClientUntilItIsRevoked() {
        Http.Response created = admin.post("/registration-tokens", Map.of("ttl", 3600, "uses", 2), admin.operatorToken());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Cache-Control")).hasValue("no-store");
        Map<String, Object> token = created.json();
        String id = (String) token.get("id");
        assertThat(created.header("Location")).hasValue(server.url("/admin/api/registration-tokens/" + id));
        assertThat(token).containsEntry("uses_left", 2).containsEntry("state", "active").containsKeys("created_at", "token");
        assertThat(Instant.parse((String) token.get("expires_at"))).isEqualTo(Instant.parse((String) token.get("created_at")).plus(Duration.ofHours(1)));
        String secret = (String) token.get("token");
        assertThat(secret).matches("[0-9a-f]{40}");

        assertThat(register(secret).status()).isEqualTo(201);
        Map<String, Object> read = admin.get("/registration-tokens/" + id, admin.operatorToken()).json();
        assertThat(read).containsEntry("id", id).containsEntry("uses_left", 1).doesNotContainKey("token");
        List<Map<String, Object>> listed = (List<Map<String, Object>>) admin.get("/registration-tokens", admin.operatorToken())
                .json().get("registration_tokens");
        assertThat(listed).anySatisfy(t -> assertThat(t).containsEntry("id", id).containsEntry("uses_left", 1).doesNotContainKey("token"));

        Http.Response revoked = admin.delete("/registration-tokens/" + id, admin.operatorToken());
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json()).isEqualTo(Map.of("id", id, "revoked", true));
        assertThat(register(secret).status()).isEqualTo(401);
        assertError(admin.delete("/registration-tokens/" + id, admin.operatorToken()), 404, "not_found", "no registration token " + id);
        assertError(admin.get("/registration-tokens/" + id, admin.operatorToken()), 404, "not_found", "no registration token " + id);

        List<Map<String, Object>> events = (List<Map<String, Object>>) admin.get(
                "/audit?type=registration_token_created,registration_token_revoked", admin.operatorToken()).json().get("events");
        assertThat(events).extracting(e -> e.get("event")).startsWith("registration_token_revoked", "registration_token_created");
        assertThat(events.subList(0, 2)).allSatisfy(e -> assertThat((String) e.get("detail"))
                .startsWith("initial access token " + id).endsWith("by admin client " + admin.operator().id()).doesNotContain(secret));
    }

    @Test
    void aDayAndAnyNumberOfUsesByDefault() {
        Http.Response created = admin.post("/registration-tokens", Map.of(), admin.operatorToken());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Map<String, Object> token = created.json();
        assertThat(token).containsEntry("uses_left", null);
        assertThat(Instant.parse((String) token.get("expires_at"))).isEqualTo(Instant.parse((String) token.get("created_at")).plus(Duration.ofDays(1)));
    }

    @Test
    void refusedValues() {
        assertError(admin.post("/registration-tokens", Map.of("ttl", 0), admin.operatorToken()), 400, "invalid_request",
                "the lifetime must be positive");
        assertError(admin.post("/registration-tokens", Map.of("uses", 0), admin.operatorToken()), 400, "invalid_request",
                "the number of uses must be at least 1");
        assertError(admin.post("/registration-tokens", Map.of("uses", "two"), admin.operatorToken()), 400, "invalid_request",
                "'uses' must be a whole number");
        assertError(admin.post("/registration-tokens", Map.of("secret", "mine"), admin.operatorToken()), 400, "invalid_request",
                "unknown field 'secret'");
        Http.Response plain = admin.post("/registration-tokens", Map.of(), admin.token(server.client().create(), ""));
        assertThat(plain.status()).isEqualTo(403);
    }

    private static Http.Response register(String initialToken) {
        return Http.client().post(server.url("/oauth2/register"), "application/json",
                "{\"redirect_uris\":[\"https://app.example.com/cb\"],\"client_name\":\"Registered\"}", "Authorization", "Bearer " + initialToken);
    }
}
