package dev.castgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.api.ApiCalls;
import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.SoftPasskey;
import dev.castgate.testing.Sql;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import dev.castgate.testing.Tool.Run;
import dev.castgate.token.TokenRequests;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code castgate user remove}: it asks before it deletes, deletes everything that is only the
 * account's (checked row by row in the database), refuses while the account owns clients unless
 * told to remove them too, and leaves the account's audit events anonymised.
 */
class UserRemovalTest {
    private static final String NL = System.lineSeparator();
    /** Every table that refers to an account, and its column that does. */
    private static final Map<String, String> USER_COLUMNS = Map.ofEntries(
            Map.entry("users", "id"), Map.entry("grants", "user_id"), Map.entry("access_tokens", "user_id"),
            Map.entry("refresh_tokens", "user_id"), Map.entry("authorization_codes", "user_id"), Map.entry("sessions", "user_id"),
            Map.entry("consents", "user_id"), Map.entry("device_codes", "user_id"), Map.entry("channels", "owner_id"),
            Map.entry("videos", "owner_id"), Map.entry("device_passwords", "user_id"), Map.entry("audit_events", "user_id"),
            Map.entry("clients", "owner_id"), Map.entry("passkeys", "user_id"));

    @TempDir static Path dir;
    @CastgateServer static TestServer server;
    static Tool tool;
    static TokenRequests token;
    static ApiCalls api;

    @BeforeAll
    static void setUp() {
        tool = Tool.forServer(server, dir);
        token = new TokenRequests(server);
        api = new ApiCalls(server);
    }

    private static long rows(String table, User user) {
        return Sql.count(server, "SELECT COUNT(*) FROM " + table + " WHERE " + USER_COLUMNS.get(table) + " = ?", user.id().value());
    }

    /** A user with a row in every table that can refer to one, and a failed sign-in under its name. */
    private static Map<String, Object> busyUser(User user, TestClient app) {
        Map<String, Object> tokens = token.tokens(app, user, "openid broadcaster");
        String accessToken = (String) tokens.get("access_token");
        String channel = api.createChannel(accessToken, "Live");
        api.insertVideo(channel, user, "First");
        Http.Response password = api.post("/users/self/device-passwords", Http.form("device_name", "Encoder", "valid_from", "0"), accessToken);
        assertThat(password.status()).as(password.body()).isEqualTo(201);
        SoftPasskey.add(server, approveDevice(user), "Laptop");
        Http.Response wrong = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "password",
                "username", user.username(), "password", "a wrong password"), "Authorization", app.basic());
        assertThat(wrong.status()).isEqualTo(400);
        for (String table : USER_COLUMNS.keySet()) {
            if (!table.equals("clients")) assertThat(rows(table, user)).as(table).isPositive();
        }
        assertThat(Sql.count(server, "SELECT COUNT(*) FROM login_failures WHERE throttle_key LIKE ?", "%" + user.username() + "%"))
                .isPositive();
        return tokens;
    }

    /** Approves a device's sign-in in a browser signed in to the account page, and returns that browser. */
    private static Http approveDevice(User user) {
        TestClient device = server.client().grants(dev.castgate.domain.GrantType.DEVICE_CODE).create();
        Http.Response started = Http.client().postForm(server.url("/oauth2/device_authorization"), Http.form("scope", "openid"),
                "Authorization", device.basic());
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Map<String, String> entry = HtmlForms.hiddenFields(browser.get(server.url("/device")).body());
        entry.put("user_code", (String) started.json().get("user_code"));
        Map<String, String> decide = HtmlForms.hiddenFields(browser.postForm(server.url("/device"), entry).body());
        decide.put("decision", "allow");
        assertThat(browser.postForm(server.url("/device"), decide).status()).isEqualTo(200);
        return browser;
    }

    @Test
    void removeDeletesEverythingOfTheAccountAndAnonymisesItsAuditEvents() {
        User user = server.createUser();
        TestClient app = server.client().allowPassword().create();
        Map<String, Object> tokens = busyUser(user, app);

        // Standard input is no terminal here: without --yes nothing happens.
        Run unconfirmed = tool.run("user", "remove", user.username());
        assertThat(unconfirmed.exit()).isEqualTo(1);
        assertThat(unconfirmed.out()).isEmpty();
        assertThat(unconfirmed.err()).isEqualTo("castgate: removing deletes " + user.username() + " (" + user.id() + ") and its "
                + "2 grants, 2 sessions, 2 consents, 1 channel, 1 video, 1 device password, 1 passkey, 0 clients; "
                + "add --yes to confirm (standard input is not a terminal)" + NL);
        assertThat(rows("users", user)).isOne();

        Run run = tool.run("user", "remove", user.email(), "--yes");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("removed user " + user.username() + " (" + user.id() + "): "
                + "2 grants, 2 sessions, 2 consents, 1 channel, 1 video, 1 device password, 1 passkey, 0 clients");
        Matcher anonymised = Pattern.compile("anonymised (\\d+) audit events \\(now user (removed-[0-9a-f]{32})\\)").matcher(lines.get(1));
        assertThat(anonymised.matches()).as(lines.get(1)).isTrue();

        for (String table : USER_COLUMNS.keySet()) assertThat(rows(table, user)).as(table).isZero();
        assertThat(Sql.count(server, "SELECT COUNT(*) FROM login_failures WHERE throttle_key LIKE ?", "%" + user.username() + "%")).isZero();
        assertThat(token.userinfo(tokens.get("access_token")).status()).isEqualTo(401);

        // The events stay, under the pseudonym, with nothing that names or locates the person.
        String pseudonym = anonymised.group(2);
        List<Map<String, Object>> events = Sql.rows(server, "SELECT event_type, address, detail FROM audit_events WHERE user_id = ?",
                pseudonym);
        assertThat(events).hasSize(Integer.parseInt(anonymised.group(1)) + 1);
        assertThat(events).extracting(e -> e.get("event_type")).contains("USER_CREATED", "LOGIN", "CONSENT", "DEVICE_PASSWORD_CREATED")
                .containsOnlyOnce("USER_REMOVED");
        assertThat(events).filteredOn(e -> !"USER_REMOVED".equals(e.get("event_type"))).allSatisfy(e -> {
            assertThat(e.get("address")).isNull();
            assertThat(e.get("detail")).isNull();
        });
        assertThat(events).filteredOn(e -> "USER_REMOVED".equals(e.get("event_type"))).singleElement().satisfies(e -> assertThat(e)
                .containsEntry("address", null)
                .containsEntry("detail", "deleted 2 grants, 2 sessions, 2 consents, 1 channel, 1 video, 1 device password, 1 passkey, 0 clients"));
        for (String personal : List.of(user.username(), user.email(), user.id().value())) {
            assertThat(Sql.count(server, "SELECT COUNT(*) FROM audit_events WHERE detail LIKE ? OR user_id = ?", "%" + personal + "%", personal))
                    .as(personal).isZero();
        }
        assertThat(tool.run("user", "show", user.username()).err()).isEqualTo("castgate: no user '" + user.username() + "'" + NL);
    }

    @Test
    void anAccountThatOwnsClientsIsRemovedOnlyWithThem() {
        User user = server.createUser();
        TestClient owned = api.clientOf(user);
        User other = server.createUser();
        token.tokens(owned, other, "openid"); // someone else's grant at the owned client

        Run refused = tool.run("user", "remove", user.username(), "--yes");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("castgate: " + user.username() + " owns 1 client (" + owned.id() + "), which other people "
                + "may use: give each another owner (castgate client update CLIENT_ID --owner USERNAME), or remove them with the account "
                + "(--remove-owned-clients)" + NL);
        assertThat(rows("users", user)).isOne();

        Run run = tool.run("user", "remove", user.username(), "--yes", "--remove-owned-clients");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("removed user " + user.username() + " (" + user.id() + "): "
                + "0 grants, 0 sessions, 0 consents, 0 channels, 0 videos, 0 device passwords, 0 passkeys, 1 client" + NL);
        assertThat(Sql.count(server, "SELECT COUNT(*) FROM clients WHERE id = ?", owned.id())).isZero();
        assertThat(Sql.count(server, "SELECT COUNT(*) FROM grants WHERE client_id = ?", owned.id())).isZero();
        assertThat(rows("users", other)).isOne();
        // The client's removal is in the trail, under the removed account's pseudonym.
        assertThat(Sql.count(server, "SELECT COUNT(*) FROM audit_events WHERE event_type = 'CLIENT_REMOVED' AND client_id = ? "
                + "AND user_id LIKE 'removed-%'", owned.id())).isOne();
    }

    @Test
    void theDemoAccountCanBeRemovedAfterDemoMode(@CastgateServer("CASTGATE_DEMO=true") TestServer demo, @TempDir Path demoDir) {
        Tool demoTool = Tool.forServer(demo, demoDir);
        assertThat(demoTool.run("user", "show", "demo").out()).containsPattern("owned clients: +[0-9a-f]{40}");
        Run run = demoTool.run("user", "remove", "demo", "--yes", "--remove-owned-clients");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("removed user demo (");
        assertThat(demoTool.run("user", "list").out()).doesNotContain("demo@castgate.invalid");
        assertThat(demoTool.run("client", "list").out()).doesNotContain("Castgate playground");
    }
}
