package dev.castgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.AuditEvent.Outcome;
import dev.castgate.domain.AuditEvent.Type;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Security events are stored with time, user, client, address and outcome, and the tool lists them. */
class AuditTrailTest {
    @TempDir Path dir;
    @CastgateServer TestServer server;

    @Test
    void aWholeFlowLeavesItsTrail() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Map<String, String> params = Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", "openid", "state", "s");
        Http.Response login = browser.open(params);
        assertThat(browser.signIn(login, user.username(), "wrong password").status()).isEqualTo(401);
        String code = browser.code(browser.decide(browser.signIn(browser.open(params), user.username(), TestServer.PASSWORD), "allow"), "s");
        Map<String, Object> tokens = post(client, Http.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", client.redirectUri())).json();
        String refresh = (String) tokens.get("refresh_token");
        assertThat(post(client, Http.form("grant_type", "refresh_token", "refresh_token", refresh)).status()).isEqualTo(200);
        assertThat(post(client, Http.form("grant_type", "refresh_token", "refresh_token", refresh)).status()).isEqualTo(400);
        assertThat(post(client, Http.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", client.redirectUri())).status()).isEqualTo(400);

        List<AuditEvent> events = server.database().stores().audit().list(Instant.EPOCH, 100);
        List<String> seen = new ArrayList<>();
        for (AuditEvent e : events) seen.add(e.type() + "/" + e.outcome());
        // A token issued or refreshed is no event: its row is the record (who, which client, when).
        // The failures, the consent and the revocations they caused are.
        assertThat(seen).containsExactly("USER_CREATED/SUCCESS", "CLIENT_CREATED/SUCCESS", "LOGIN/FAILURE", "LOGIN/SUCCESS",
                "CONSENT/SUCCESS", "REFRESH_REUSE_DETECTED/FAILURE", "CODE_REPLAY_DETECTED/FAILURE");
        assertThat(server.database().count("access_tokens")).isEqualTo(2);
        assertThat(server.database().count("refresh_tokens")).isEqualTo(2);

        AuditEvent failedLogin = events.get(2);
        assertThat(failedLogin.userId()).contains(user.id());
        assertThat(failedLogin.address()).contains("127.0.0.1");
        assertThat(failedLogin.detail()).contains("wrong password");
        for (AuditEvent e : events.subList(4, events.size())) {
            assertThat(e.userId()).as(e.type().name()).contains(user.id());
            assertThat(e.clientId()).as(e.type().name()).contains(new ClientId(client.id()));
            assertThat(e.address()).as(e.type().name()).contains("127.0.0.1");
        }
        // Never a secret: no token, code or password in any field.
        for (AuditEvent e : events) {
            String all = e.toString();
            assertThat(all).doesNotContain(code).doesNotContain(refresh).doesNotContain((String) tokens.get("access_token"))
                    .doesNotContain(TestServer.PASSWORD).doesNotContain(client.secret());
        }
    }

    @Test
    void aLoginForAnUnknownAccountAndAThrottledOneAreRecorded() {
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Map<String, String> params = Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code");
        for (int i = 0; i < 6; i++) browser.signIn(browser.open(params), "nobody", "whatever password");
        List<AuditEvent> logins = server.database().stores().audit().list(Instant.EPOCH, 100).stream()
                .filter(e -> e.type() == Type.LOGIN || e.type() == Type.LOGIN_THROTTLED).toList();
        assertThat(logins).hasSize(6);
        assertThat(logins.get(0).detail()).contains("unknown account");
        assertThat(logins.get(0).userId()).isEmpty();
        assertThat(logins.get(5).type()).isEqualTo(Type.LOGIN_THROTTLED);
        assertThat(logins).allMatch(e -> e.outcome() == Outcome.FAILURE);
    }

    @Test
    void theToolListsEventsAsTextAndJson() throws Exception {
        User user = server.createUser();
        TestClient client = server.client().owner(user).create();
        Http.Response issued = post(client, Http.form("grant_type", "client_credentials", "scope", "broadcaster"));
        assertThat(issued.status()).isEqualTo(200);
        Http.Response revoked = Http.client().postForm(server.url("/oauth2/revoke"),
                Http.form("token", (String) issued.json().get("access_token")), "Authorization", client.basic());
        assertThat(revoked.status()).isEqualTo(200);
        Tool tool = Tool.forServer(server, dir);

        Tool.Run text = tool.run("audit", "list");
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out().lines().findFirst()).hasValueSatisfying(header -> assertThat(header).startsWith("TIME"));
        assertThat(text.out()).contains("token_revoked").contains(client.id()).contains("access token of grant");

        // Newest first, so --limit keeps the newest: the revocation and the client, not the account made before them.
        Tool.Run json = tool.run("audit", "list", "--json", "--since", "1h", "--limit", "2");
        assertThat(json.exit()).as(json.err()).isZero();
        List<String> lines = json.out().lines().toList();
        assertThat(lines).hasSize(2);
        Map<?, ?> first = new ObjectMapper().readValue(lines.get(0), Map.class);
        assertThat(first.get("event")).isEqualTo("token_revoked");
        assertThat(first.get("outcome")).isEqualTo("success");
        assertThat(first.get("client_id")).isEqualTo(client.id());
        Map<?, ?> second = new ObjectMapper().readValue(lines.get(1), Map.class);
        assertThat(second.get("event")).isEqualTo("client_created");
        assertThat(Instant.parse((String) first.get("time"))).isAfterOrEqualTo(Instant.parse((String) second.get("time")));
        List<Map<String, Object>> all = new ArrayList<>();
        for (String line : tool.run("audit", "list", "--json", "--since", "1h").out().lines().toList()) {
            all.add(new ObjectMapper().readValue(line, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {}));
        }
        assertThat(all).extracting(e -> (String) e.get("event")).containsExactlyInAnyOrder("user_created", "client_created", "token_revoked");
        assertThat(all).extracting(e -> Instant.parse((String) e.get("time"))).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(all).filteredOn(e -> "user_created".equals(e.get("event"))).singleElement()
                .satisfies(e -> assertThat(e.get("user_id")).isEqualTo(user.id().value()));

        Tool.Run future = tool.run("audit", "list", "--since", Instant.now().plusSeconds(3600).toString());
        assertThat(future.out().lines().count()).isEqualTo(1); // the header alone
        Tool.Run bad = tool.run("audit", "list", "--since", "yesterday");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("--since must be a time such as 2026-11-28T10:00:00Z or an age such as 24h");
        assertThat(Optional.of(tool.run("audit", "list", "--limit", "0").exit())).contains(1);
    }

    private Http.Response post(TestClient client, Map<String, String> form) {
        return Http.client().postForm(server.url("/oauth2/token"), form, "Authorization", client.basic());
    }
}
