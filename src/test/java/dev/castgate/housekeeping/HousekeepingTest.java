package dev.castgate.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Expired and revoked rows are deleted on a schedule, so the tables fall back to what is live. */
class HousekeepingTest {
    static final List<String> TABLES = List.of("grants", "authorization_codes", "access_tokens", "refresh_tokens",
            "sessions", "login_failures", "audit_events");

    TestServer server;

    @AfterEach
    void stop() { if (server != null) server.close(); }

    @Test
    void rowCountsFallBackAfterExpiryOnTheSchedule() {
        server = TestServer.start(Map.of("CASTGATE_HOUSEKEEPING_INTERVAL", "1s", "CASTGATE_AUDIT_RETENTION", "30d"));
        Map<String, Long> empty = counts();
        makeTraffic();
        Map<String, Long> busy = counts();
        for (String table : TABLES) assertThat(busy.get(table)).as(table).isGreaterThan(empty.get(table));

        // A day on, the access tokens and codes are dead, the rest not yet.
        server.clock().advance(Duration.ofDays(1).plusMinutes(1));
        Map<String, Long> afterADay = awaitCounts(c -> c.get("access_tokens") == 0L);
        assertThat(afterADay.get("authorization_codes")).isZero();
        assertThat(afterADay.get("login_failures")).isZero();
        assertThat(afterADay.get("refresh_tokens")).isEqualTo(busy.get("refresh_tokens"));
        assertThat(afterADay.get("sessions")).isEqualTo(busy.get("sessions"));

        // Past the refresh-token and session lifetimes and the audit retention, everything goes.
        server.clock().advance(Duration.ofDays(31));
        Map<String, Long> after = awaitCounts(c -> c.get("refresh_tokens") == 0L && c.get("grants") == 0L
                && c.get("sessions") == 0L && c.get("audit_events") == 0L);
        for (String table : TABLES) assertThat(after.get(table)).as(table).isEqualTo(empty.get(table));
    }

    @Test
    void aRevokedGrantGoesAtTheNextSweepWhileLiveTokensStay() {
        server = TestServer.start();
        User user = server.createUser();
        TestClient client = server.client().create();
        String code = authorize(client, user);
        Http.Response first = exchange(client, code);
        assertThat(first.status()).isEqualTo(200);
        Http.Response replay = exchange(client, code); // revokes the grant
        assertThat(replay.status()).isEqualTo(400);
        Http.Response live = clientCredentials(client);
        assertThat(live.status()).isEqualTo(200);

        server.sweep();

        assertThat(server.database().count("refresh_tokens")).isZero();
        assertThat(server.database().count("authorization_codes")).isZero();
        assertThat(server.database().count("access_tokens")).isEqualTo(1);
        assertThat(server.database().count("grants")).isEqualTo(1);
        Http.Response stillWorks = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "client_credentials"), "Authorization", client.basic());
        assertThat(stillWorks.status()).isEqualTo(200);
    }

    @Test
    void usedCodesAndRefreshTokensStayUntilTheyExpireSoReplayIsStillCaught() {
        server = TestServer.start();
        User user = server.createUser();
        TestClient client = server.client().create();
        String code = authorize(client, user);
        Map<String, Object> tokens = exchange(client, code).json();
        Http.Response rotated = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "refresh_token", "refresh_token", (String) tokens.get("refresh_token")),
                "Authorization", client.basic());
        assertThat(rotated.status()).isEqualTo(200);

        server.sweep();

        Http.Response reuse = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "refresh_token", "refresh_token", (String) tokens.get("refresh_token")),
                "Authorization", client.basic());
        assertThat(reuse.json()).containsEntry("error_description", "the refresh token was already used; the grant is revoked");
        Http.Response codeAgain = exchange(client, code);
        assertThat(codeAgain.json()).containsEntry("error", "invalid_grant");
    }

    private void makeTraffic() {
        User user = server.createUser();
        TestClient client = server.client().create();
        for (int i = 0; i < 3; i++) assertThat(exchange(client, authorize(client, user)).status()).isEqualTo(200);
        authorize(client, user); // an unused code
        for (int i = 0; i < 3; i++) assertThat(clientCredentials(client).status()).isEqualTo(200);
        BrowserFlow wrong = new BrowserFlow(server);
        Http.Response login = wrong.open(params(client));
        assertThat(wrong.signIn(login, user.username(), "not the password").status()).isEqualTo(401);
    }

    private String authorize(TestClient client, User user) {
        BrowserFlow browser = new BrowserFlow(server);
        return browser.code(browser.authorize(params(client), user.username(), TestServer.PASSWORD), "s");
    }

    private static Map<String, String> params(TestClient client) {
        return Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code",
                "scope", "openid", "state", "s");
    }

    private Http.Response exchange(TestClient client, String code) {
        return Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", client.redirectUri()), "Authorization", client.basic());
    }

    private Http.Response clientCredentials(TestClient client) {
        return Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials"),
                "Authorization", client.basic());
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) counts.put(table, server.database().count(table));
        return counts;
    }

    /** Waits (bounded) for the scheduled sweep to bring the counts to the wanted state. */
    private Map<String, Long> awaitCounts(Predicate<Map<String, Long>> done) {
        return Awaitility.await("the scheduled sweep").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(this::counts, done);
    }
}
