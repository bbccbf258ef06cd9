package dev.castgate.admin.api;

import static dev.castgate.admin.api.AdminCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /admin/api/keys} and {@code /admin/api/audit}: the keys as {@code castgate keys} has them, the trail newest first. */
class AdminApiKeysAndAuditTest {
    @CastgateServer static TestServer server;
    static AdminCalls admin;

    @BeforeAll
    static void setUp() { admin = new AdminCalls(server); }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> keys() {
        Http.Response r = admin.get("/keys", admin.operatorToken());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return (List<Map<String, Object>>) r.json().get("keys");
    }

    @SuppressWarnings("unchecked")
    private static List<String> jwksKids() {
        List<Map<String, Object>> keys = (List<Map<String, Object>>) Http.client().get(server.url("/oauth2/jwks")).json().get("keys");
        return keys.stream().map(k -> (String) k.get("kid")).toList();
    }

    @Test
    void aKeyRotatedThroughTheApiIsPublishedAtOnceAndCanBeRetired() {
        Http.Response rotated = admin.post("/keys/rotate", Map.of("alg", "es256"), admin.operatorToken());
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> added = (List<Map<String, Object>>) rotated.json().get("added");
        assertThat(added).hasSize(1);
        String kid = (String) added.get(0).get("kid");
        assertThat(added.get(0)).containsEntry("alg", "ES256");
        assertThat(jwksKids()).contains(kid);
        assertThat(keys()).filteredOn(k -> kid.equals(k.get("kid"))).singleElement()
                .satisfies(k -> assertThat(k).containsEntry("alg", "ES256").containsEntry("state", "pending"));
        Map<String, Object> event = AdminApiUsersTest.eventIn(admin, "signing_key_rotated");
        assertThat(event).containsEntry("client_id", admin.operator().id());
        assertThat((String) event.get("detail")).startsWith("ES256 key " + kid + " added by an operator")
                .endsWith("; by admin client " + admin.operator().id());

        Http.Response retired = admin.post("/keys/" + kid + "/retire", null, admin.operatorToken());
        assertThat(retired.json()).isEqualTo(Map.of("kid", kid, "retired", true));
        assertThat(jwksKids()).doesNotContain(kid);
        assertError(admin.post("/keys/" + kid + "/retire", null, admin.operatorToken()), 400, "invalid_request", "signing key " + kid + " was retired already");
        assertError(admin.post("/keys/no-such-kid/retire", null, admin.operatorToken()), 404, "not_found", "no signing key no-such-kid");
        assertError(admin.post("/keys/rotate", Map.of("alg", "HS256"), admin.operatorToken()), 400, "invalid_request",
                "alg must be ES256, RS256 or all, not 'HS256'");
    }

    @Test
    void theOnlySigningKeyOfAnAlgorithmIsNotRetired() {
        String active = keys().stream().filter(k -> "RS256".equals(k.get("alg")) && "active".equals(k.get("state")))
                .map(k -> (String) k.get("kid")).findFirst().orElseThrow();
        if (keys().stream().filter(k -> "RS256".equals(k.get("alg")) && !"retired".equals(k.get("state"))).count() > 1) return;
        assertError(admin.post("/keys/" + active + "/retire", null, admin.operatorToken()), 400, "invalid_request",
                "signing key " + active + " is the only key that signs RS256 tokens: rotate RS256 first, then retire it");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTrailIsNewestFirstFilteredAndLimited() {
        for (int i = 0; i < 3; i++) {
            server.clock().advance(Duration.ofSeconds(1));
            assertThat(admin.post("/users", Map.of("username", "trail" + i, "email", "trail" + i + "@example.com",
                    "password", "a long enough password"), admin.operatorToken()).status()).isEqualTo(201);
        }
        Http.Response r = admin.get("/audit?type=user_created&limit=2", admin.operatorToken());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).hasValue("no-store");
        List<Map<String, Object>> events = (List<Map<String, Object>>) r.json().get("events");
        assertThat(events).extracting(e -> e.get("detail"))
                .containsExactly("trail2; by admin client " + admin.operator().id(), "trail1; by admin client " + admin.operator().id());
        assertThat(events).allSatisfy(e -> assertThat(e).containsEntry("event", "user_created").containsEntry("outcome", "success")
                .containsEntry("client_id", admin.operator().id()));
        Instant first = Instant.parse((String) events.get(0).get("time"));
        assertThat(first).isAfter(Instant.parse((String) events.get(1).get("time")));

        List<Map<String, Object>> later = (List<Map<String, Object>>) admin.get("/audit?since=" + first, admin.operatorToken()).json().get("events");
        assertThat(later).extracting(e -> e.get("detail")).contains("trail2; by admin client " + admin.operator().id())
                .doesNotContain("trail1; by admin client " + admin.operator().id());
        List<Map<String, Object>> two = (List<Map<String, Object>>) admin.get("/audit?type=user_created&type=client_created", admin.operatorToken())
                .json().get("events");
        assertThat(two).extracting(e -> e.get("event")).contains("user_created", "client_created").containsOnly("user_created", "client_created");

        assertError(admin.get("/audit?limit=0", admin.operatorToken()), 400, "invalid_request", "limit must be between 1 and 1000000");
        assertError(admin.get("/audit?limit=lots", admin.operatorToken()), 400, "invalid_request", "limit must be between 1 and 1000000");
        assertError(admin.get("/audit?since=yesterday", admin.operatorToken()), 400, "invalid_request",
                "since must be a time such as 2026-11-28T10:00:00Z or an age such as 24h");
        assertError(admin.get("/audit?type=coffee", admin.operatorToken()), 400, "invalid_request", "type names an unknown event type 'coffee'");
    }
}
