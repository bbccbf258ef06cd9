package dev.castgate.admin.api;

import static dev.castgate.admin.api.AdminCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.api.ApiCalls;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /admin/api/users} and the grants: what {@code castgate user} does, audited as the admin client's. */
class AdminApiUsersTest {
    @CastgateServer static TestServer server;
    static AdminCalls admin;

    @BeforeAll
    static void setUp() { admin = new AdminCalls(server); }

    @Test
    void anAccountIsCreatedShownAndListed() {
        Http.Response created = admin.post("/users", Map.of("username", "ada", "email", "ada@example.com", "name", "Ada L",
                "password", "a long enough password"), admin.operatorToken());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).hasValue(server.url("/admin/api/users/ada"));
        Map<String, Object> body = created.json();
        String id = (String) body.get("id");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", id);
        expected.put("username", "ada");
        expected.put("email", "ada@example.com");
        expected.put("email_verified", false);
        expected.put("name", "Ada L");
        expected.put("created_at", body.get("created_at"));
        expected.put("disabled", false);
        expected.put("grants", 0);
        expected.put("sessions", 0);
        expected.put("consents", 0);
        expected.put("channels", 0);
        expected.put("videos", 0);
        expected.put("device_passwords", 0);
        expected.put("passkeys", List.of());
        expected.put("owned_clients", List.of());
        assertThat(body).isEqualTo(expected);
        assertThat(admin.get("/users/ada@example.com", admin.operatorToken()).json()).isEqualTo(expected);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> users = (List<Map<String, Object>>) admin.get("/users", admin.operatorToken()).json().get("users");
        assertThat(users).extracting(u -> u.get("username")).contains("ada");
        assertThat(event("user_created", id)).containsEntry("detail", "ada; by admin client " + admin.operator().id())
                .containsEntry("client_id", admin.operator().id());
        // The password is the one given.
        TestClient app = server.client().allowPassword().create();
        assertThat(Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "password", "username", "ada",
                "password", "a long enough password"), "Authorization", app.basic()).status()).isEqualTo(200);
    }

    @Test
    void signUpsRulesApply() {
        assertError(admin.post("/users", Map.of("username", "-bad", "email", "x@example.com", "password", "a long enough password"), admin.operatorToken()),
                400, "invalid_request", "the username must be 2 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit");
        User taken = server.createUser();
        assertError(admin.post("/users", Map.of("username", taken.username(), "email", "new@example.com", "password", "a long enough password"),
                admin.operatorToken()), 400, "invalid_request", "the username or email is already taken");
        assertError(admin.post("/users", Map.of("username", "bob", "email", "bob@example.com"), admin.operatorToken()), 400, "invalid_request",
                "'password' is required");
    }

    @Test
    void anUpdatedEmailIsNoLongerVerifiedUnlessTheOperatorSaysSo() {
        User user = server.createUser();
        Http.Response changed = admin.patch("/users/" + user.username(), Map.of("email", "moved-" + user.email()), admin.operatorToken());
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        // No mail leaves this test server (development mode writes it to the log): so it stays unverified.
        assertThat(changed.json()).containsEntry("email", "moved-" + user.email()).containsEntry("email_verified", false)
                .containsEntry("mailed", "link_and_notice");
        Http.Response vouched = admin.patch("/users/" + user.username(), Map.of("email", "again-" + user.email(), "email_verified", true), admin.operatorToken());
        assertThat(vouched.json()).containsEntry("email_verified", true).containsEntry("mailed", "notice");
        assertThat(event("user_updated", user.id().value())).hasEntrySatisfying("detail", d -> assertThat((String) d)
                .startsWith("changed email; email verified by an operator").endsWith("; by admin client " + admin.operator().id()));
        Http.Response marked = admin.post("/users/" + user.username() + "/verify-email", Map.of("verified", false), admin.operatorToken());
        assertThat(marked.json()).containsEntry("email_verified", false).containsEntry("changed", true);
        assertError(admin.patch("/users/" + user.username(), Map.of("language", "fr", "name", "X"), admin.operatorToken()), 400, "invalid_request",
                "language must be one of en_US, hu_HU, de_DE, not 'fr'");
        assertError(admin.patch("/users/" + user.username(), Map.of(), admin.operatorToken()), 400, "invalid_request", "nothing to change");
    }

    @Test
    void disableEnableSetPasswordUnlockAndRemovePasskeys() {
        User user = server.createUser();
        TestClient app = server.client().owner(user).create();
        String appToken = new ApiCalls(server).token(app, "", false);
        assertThat(new ApiCalls(server).get("/users/self", appToken).status()).isEqualTo(200);

        Http.Response disabled = admin.post("/users/" + user.username() + "/disable", null, admin.operatorToken());
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        assertThat(disabled.json()).containsEntry("disabled", true).containsEntry("already", false).containsEntry("grants_revoked", 1);
        // This node's admin.operatorToken() cache is emptied with the change: the app's admin.operatorToken() ends at once.
        assertThat(new ApiCalls(server).get("/users/self", appToken).status()).isEqualTo(401);
        assertThat(event("user_disabled", user.id().value())).containsEntry("detail",
                "revoked 1 grant, ended 0 sessions; by admin client " + admin.operator().id());

        Http.Response enabled = admin.post("/users/" + user.username() + "/enable", null, admin.operatorToken());
        assertThat(enabled.json()).containsEntry("disabled", false).containsEntry("changed", true);

        Http.Response password = admin.post("/users/" + user.username() + "/password",
                Map.of("password", "another long password", "revoke_grants", true), admin.operatorToken());
        assertThat(password.json()).isEqualTo(Map.of("username", user.username(), "sessions_ended", 0, "grants_revoked", 0));
        assertError(admin.post("/users/" + user.username() + "/password", Map.of("password", "short"), admin.operatorToken()), 400, "invalid_request",
                "the password must be at least 8 characters long");

        assertThat(admin.post("/users/" + user.username() + "/unlock", null, admin.operatorToken()).json())
                .isEqualTo(Map.of("username", user.username(), "failed_sign_ins_forgotten", 0));
        assertThat(admin.delete("/users/" + user.username() + "/passkeys", admin.operatorToken()).json())
                .isEqualTo(Map.of("username", user.username(), "passkeys_removed", 0));
    }

    @Test
    void grantsAreListedAndOneIsRevoked() {
        User user = server.createUser();
        TestClient app = server.client().owner(user).create();
        ApiCalls api = new ApiCalls(server);
        String appToken = api.token(app, "broadcaster", false);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> grants = (List<Map<String, Object>>) admin.get("/users/" + user.username() + "/grants", admin.operatorToken()).json().get("grants");
        assertThat(grants).hasSize(1);
        Map<String, Object> grant = grants.get(0);
        assertThat(grant).containsEntry("client_id", app.id()).containsEntry("client_name", app.name()).containsEntry("scope", "broadcaster")
                .containsKeys("grant_id", "created_at", "last_used_at");
        String grantId = (String) grant.get("grant_id");
        Http.Response revoked = admin.delete("/grants/" + grantId, admin.operatorToken());
        assertThat(revoked.json()).isEqualTo(Map.of("grant_id", grantId, "revoked", true, "changed", true));
        assertThat(api.get("/users/self", appToken).status()).isEqualTo(401);
        assertThat((List<?>) admin.get("/users/" + user.username() + "/grants", admin.operatorToken()).json().get("grants")).isEmpty();
        assertThat(admin.delete("/grants/" + grantId, admin.operatorToken()).json()).containsEntry("changed", false);
        assertError(admin.delete("/grants/" + "a".repeat(40), admin.operatorToken()), 404, "not_found", "no grant " + "a".repeat(40));
        assertError(admin.delete("/grants/nonsense", admin.operatorToken()), 404, "not_found", "no grant nonsense");
    }

    @Test
    void anAccountIsRemovedAndAnUnknownOneIs404() {
        User owner = server.createUser();
        String clientId = server.client().owner(owner).create().id();
        Http.Response refused = admin.delete("/users/" + owner.username(), admin.operatorToken());
        assertThat(refused.status()).isEqualTo(400);
        assertThat((String) refused.json().get("error_description")).startsWith(owner.username() + " owns 1 client (" + clientId + ")");
        Http.Response removed = admin.delete("/users/" + owner.username() + "?remove_owned_clients=true", admin.operatorToken());
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertThat(removed.json()).containsEntry("username", owner.username()).containsEntry("removed_clients", List.of(clientId));
        assertError(admin.get("/users/" + owner.username(), admin.operatorToken()), 404, "not_found", "no user '" + owner.username() + "'");
        assertError(admin.post("/users/nobody/disable", null, admin.operatorToken()), 404, "not_found", "no user 'nobody'");
        assertError(admin.get("/users/nobody/grants", admin.operatorToken()), 404, "not_found", "no user 'nobody'");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> event(String type, String userId) {
        Http.Response r = admin.get("/audit?type=" + type, admin.operatorToken());
        return ((List<Map<String, Object>>) r.json().get("events")).stream().filter(e -> userId.equals(e.get("user_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " event of " + userId + " in " + r.body()));
    }

    /** The newest event of the type, through the API. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> eventIn(AdminCalls calls, String type) {
        Http.Response r = calls.get("/audit?type=" + type + "&limit=1", calls.operatorToken());
        return ((List<Map<String, Object>>) r.json().get("events")).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " event in " + r.body()));
    }
}
