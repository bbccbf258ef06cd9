package dev.castgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.SoftPasskey;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import dev.castgate.testing.Tool.Run;
import dev.castgate.token.TokenRequests;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code castgate user show|update|set-password|verify-email}, run as an operator runs them beside
 * a running server: what each prints, its exit status, what it audits, and what the server then
 * does over HTTP.
 */
class UserAdministrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NEW_PASSWORD = "a brand new passphrase";
    private static final String NL = System.lineSeparator();

    @TempDir static Path dir;
    @CastgateServer static TestServer server;
    static Tool tool;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        tool = Tool.forServer(server, dir);
        token = new TokenRequests(server);
    }

    private static Map<String, Object> json(String text) {
        try {
            return JSON.readValue(text, new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + text, e);
        }
    }

    private static void assertRefused(Run run, String message) {
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("castgate: " + message + NL);
        assertThat(run.out()).isEmpty();
    }

    /** The user's events of one kind (the tool's, stamped with the real time, are in order among themselves). */
    private static List<AuditEvent> events(User user, AuditEvent.Type type) {
        return server.database().stores().audit().list(Instant.EPOCH, 100_000).stream()
                .filter(e -> e.type() == type && e.userId().filter(user.id()::equals).isPresent()).toList();
    }

    // ---- show

    @Test
    void showPrintsTheAccountAndWhatHangsOffIt() {
        User user = server.createUser();
        TestClient owned = server.client().owner(user).create();
        Map<String, Object> tokens = token.tokens(server.client().create(), user, "openid");
        assertThat(tokens).containsKey("refresh_token");

        Run run = tool.run("user", "show", user.username());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines().toList()).containsExactly(
                "id:               " + user.id(),
                "username:         " + user.username(),
                "email:            " + user.email(),
                "email verified:   yes",
                "name:             Test " + user.username(),
                "created:          " + user.createdAt(),
                "disabled:         no",
                "grants:           1",
                "sessions:         1",
                "consents:         1",
                "channels:         0",
                "videos:           0",
                "device passwords: 0",
                "passkeys:         -",
                "owned clients:    " + owned.id());

        // By email too, and as JSON.
        Run asJson = tool.run("user", "show", user.email().toUpperCase(), "--json");
        assertThat(asJson.exit()).as(asJson.err()).isZero();
        Map<String, Object> body = json(asJson.out());
        assertThat(body).containsExactly(
                Map.entry("id", user.id().value()), Map.entry("username", user.username()), Map.entry("email", user.email()),
                Map.entry("email_verified", true), Map.entry("name", "Test " + user.username()),
                Map.entry("created_at", user.createdAt().toString()), Map.entry("disabled", false), Map.entry("grants", 1),
                Map.entry("sessions", 1), Map.entry("consents", 1), Map.entry("channels", 0), Map.entry("videos", 0),
                Map.entry("device_passwords", 0), Map.entry("passkeys", List.of()), Map.entry("owned_clients", List.of(owned.id())));
    }

    // ---- passkeys

    @Test
    void showNamesThePasskeysAndRemovePasskeysLetsThePasswordAloneSignInAgain() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        SoftPasskey.add(server, browser, "Laptop");
        server.clock().advance(java.time.Duration.ofSeconds(1)); // listed oldest first
        SoftPasskey.add(server, browser, "Blue key");

        Run show = tool.run("user", "show", user.username());
        assertThat(show.out().lines()).contains("passkeys:         Laptop, Blue key");
        assertThat(json(tool.run("user", "show", user.username(), "--json").out())).containsEntry("passkeys", List.of("Laptop", "Blue key"));
        // With a passkey, the password alone no longer signs in: the passkey is the second step.
        Http fresh = Http.browser();
        Http.Response step = fresh.postForm(server.url("/account/login"), signInForm(fresh, user));
        assertThat(step.status()).isEqualTo(200);
        assertThat(step.body()).contains("<h1>Use your passkey</h1>");

        Run removed = tool.run("user", "remove-passkeys", user.email());
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(removed.err()).isEmpty();
        assertThat(removed.out()).isEqualTo("removed 2 passkeys of " + user.username() + NL);
        assertThat(events(user, AuditEvent.Type.PASSKEY_REMOVED)).extracting(e -> e.detail().orElse(""))
                .containsExactly("by an operator: 2 passkeys");
        assertThat(tool.run("user", "show", user.username()).out().lines()).contains("passkeys:         -");
        Http later = Http.browser();
        Http.Response signedIn = later.postForm(server.url("/account/login"), signInForm(later, user));
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(303);

        Run again = tool.run("user", "remove-passkeys", user.username());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).isEqualTo(user.username() + " has no passkeys" + NL);
        assertThat(events(user, AuditEvent.Type.PASSKEY_REMOVED)).hasSize(1);
    }

    /** The account page's sign-in form in {@code browser}, filled in with the user's password. */
    private static Map<String, String> signInForm(Http browser, User user) {
        Map<String, String> form = HtmlForms.hiddenFields(browser.get(server.url("/account")).body());
        form.put("username", user.username());
        form.put("password", TestServer.PASSWORD);
        return form;
    }

    @Test
    void anUnknownUserIsRefusedByEveryCommand() {
        for (String[] args : List.of(new String[] {"show", "nobody-here"}, new String[] {"update", "nobody-here", "--name", "X"},
                new String[] {"verify-email", "nobody-here"}, new String[] {"disable", "nobody-here"},
                new String[] {"enable", "nobody-here"}, new String[] {"remove-passkeys", "nobody-here"},
                new String[] {"remove", "nobody-here", "--yes"})) {
            String[] all = new String[args.length + 1];
            all[0] = "user";
            System.arraycopy(args, 0, all, 1, args.length);
            assertRefused(tool.run(all), "no user 'nobody-here'");
        }
        assertRefused(tool.runWithInput(NEW_PASSWORD + "\n", "user", "set-password", "nobody-here", "--password-stdin"),
                "no user 'nobody-here'");
    }

    // ---- update

    @Test
    void updateChangesUsernameEmailAndNameWithSignUpsChecks() {
        User user = server.createUser();
        String newName = user.username() + "-renamed";
        Run run = tool.run("user", "update", user.username(), "--username", newName, "--email", newName + "@example.org",
                "--name", "Renée Example");
        assertThat(run.exit()).as(run.err()).isZero();
        // Development mode writes mail to the log: the person's mails are made, as with an SMTP server (OperatorEmailChangeTest).
        assertThat(run.out()).isEqualTo("updated user " + newName + " (" + user.id() + ")" + NL
                + "mailed a link that confirms " + newName + "@example.org to it, and a notice to the old address" + NL);

        User after = server.database().stores().users().find(user.id()).orElseThrow();
        assertThat(after.username()).isEqualTo(newName);
        assertThat(after.email()).isEqualTo(newName + "@example.org");
        assertThat(after.name()).contains("Renée Example");
        // The operator changed the address without saying it is verified: it no longer is.
        assertThat(after.emailVerified()).isFalse();
        assertThat(events(user, AuditEvent.Type.USER_UPDATED)).singleElement().satisfies(e ->
                assertThat(e.detail()).contains("changed username, email, name; email no longer verified; mailed a link to the new "
                        + "address and a notice to the old one"));

        // The new username signs in; the old one does not.
        TestClient client = server.client().allowPassword().create();
        assertThat(token.post(client, Http.form("grant_type", "password", "username", newName, "password", TestServer.PASSWORD))
                .status()).isEqualTo(200);
        TokenRequests.assertBadRequest(token.post(client, Http.form("grant_type", "password", "username", user.username(),
                "password", TestServer.PASSWORD)), "invalid_grant", "the username or password is wrong");

        // An empty name removes it; --email-verified vouches for the address.
        Run cleared = tool.run("user", "update", newName, "--name", "", "--email-verified", "--json");
        assertThat(cleared.exit()).as(cleared.err()).isZero();
        Map<String, Object> body = json(cleared.out());
        assertThat(body).doesNotContainKey("name").containsEntry("email_verified", true).containsEntry("username", newName);
    }

    @Test
    void aChangedEmailStaysVerifiedOnlyWhenTheOperatorSaysSo() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String accessToken = (String) token.tokens(client, user, "openid email").get("access_token");
        assertThat(token.userinfo(accessToken).json()).containsEntry("email_verified", true);

        Run run = tool.run("user", "update", user.username(), "--email", "kept-" + user.email(), "--email-verified");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(token.userinfo(accessToken).json()).containsEntry("email", "kept-" + user.email()).containsEntry("email_verified", true);

        assertThat(tool.run("user", "update", user.username(), "--no-email-verified").exit()).isZero();
        assertThat(token.userinfo(accessToken).json()).containsEntry("email_verified", false);
    }

    @Test
    void updateRefusesBadAndTakenValuesAndChangesNothing() {
        User user = server.createUser();
        User other = server.createUser();
        assertRefused(tool.run("user", "update", user.username(), "--username", other.username()),
                "the username or email is already taken");
        assertRefused(tool.run("user", "update", user.username(), "--email", other.email().toUpperCase()),
                "the username or email is already taken");
        assertRefused(tool.run("user", "update", user.username(), "--username", "-bad name"),
                "the username must be 2 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit");
        assertRefused(tool.run("user", "update", user.username(), "--email", "not-an-email"), "'not-an-email' is not an email address");
        assertRefused(tool.run("user", "update", user.username(), "--name", "x".repeat(201)),
                "the name must be at most 200 characters, without control characters");
        assertRefused(tool.run("user", "update", user.username()), "nothing to change");
        assertThat(server.database().stores().users().find(user.id())).contains(user);
    }

    // ---- set-password

    @Test
    void setPasswordReadsStandardInputAndEndsEverySession() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        TestClient client = server.client().create();
        String accessToken = (String) token.tokens(client, user, "openid").get("access_token");

        Run run = tool.runWithInput(NEW_PASSWORD + "\nignored second line\n", "user", "set-password", user.email(), "--password-stdin");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("set the password of " + user.username() + "; ended 2 sessions" + NL);
        assertThat(run.out() + run.err()).doesNotContain(NEW_PASSWORD);

        // The browser's session is gone: the account page asks to sign in again.
        assertThat(browser.get(server.url("/account")).body()).contains("action=\"/account/login\"");
        // Apps keep their tokens unless asked.
        assertThat(token.userinfo(accessToken).status()).isEqualTo(200);
        // The old password no longer signs in; the new one does.
        TestClient passwordClient = server.client().allowPassword().create();
        TokenRequests.assertBadRequest(token.post(passwordClient, Http.form("grant_type", "password", "username", user.username(),
                "password", TestServer.PASSWORD)), "invalid_grant", "the username or password is wrong");
        assertThat(token.post(passwordClient, Http.form("grant_type", "password", "username", user.username(), "password", NEW_PASSWORD))
                .status()).isEqualTo(200);
        assertThat(events(user, AuditEvent.Type.PASSWORD_CHANGED)).singleElement().satisfies(e -> {
            assertThat(e.detail()).contains("set by an operator; ended 2 sessions");
            assertThat(e.toString()).doesNotContain(NEW_PASSWORD);
        });

        // --revoke-grants ends the apps' tokens as well.
        Run revoking = tool.runWithInput(TestServer.PASSWORD + "\n", "user", "set-password", user.username(), "--password-stdin",
                "--revoke-grants");
        assertThat(revoking.exit()).as(revoking.err()).isZero();
        assertThat(revoking.out()).isEqualTo("set the password of " + user.username() + "; ended 0 sessions, revoked 2 grants" + NL);
        assertThat(token.userinfo(accessToken).status()).isEqualTo(401);
    }

    @Test
    void setPasswordKeepsTheRulesAndReadsNoArgument() {
        User user = server.createUser();
        assertRefused(tool.runWithInput("short\n", "user", "set-password", user.username(), "--password-stdin"),
                "the password must be at least 8 characters long");
        assertRefused(tool.runWithInput(user.username() + "\n", "user", "set-password", user.username(), "--password-stdin"),
                "the password must differ from the username and email");
        assertRefused(tool.runWithInput("", "user", "set-password", user.username(), "--password-stdin"),
                "the password must be at least 8 characters long");

        Run noStdin = tool.runWithInput(NEW_PASSWORD + "\n", "user", "set-password", user.username());
        assertThat(noStdin.exit()).isEqualTo(2);
        assertThat(noStdin.err()).startsWith("Missing required option: '--password-stdin'").contains("Usage: castgate user set-password");
        assertThat(server.database().stores().users().find(user.id()).orElseThrow().passwordHash()).isEqualTo(user.passwordHash());
    }

    // ---- verify-email

    @Test
    void verifyEmailSetsWhatTheIdTokenAndUserinfoSay() throws Exception {
        User user = server.createUser();
        assertThat(tool.run("user", "verify-email", user.username(), "--unverify").out())
                .isEqualTo("marked the email of " + user.username() + " (" + user.email() + ") not verified" + NL);
        TestClient client = server.client().create();
        Map<String, Object> tokens = token.tokens(client, user, "openid email");
        assertThat(SignedJWT.parse((String) tokens.get("id_token")).getJWTClaimsSet().getBooleanClaim("email_verified")).isFalse();
        assertThat(token.userinfo(tokens.get("access_token")).json()).containsEntry("email_verified", false);

        Run run = tool.run("user", "verify-email", user.email());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("marked the email of " + user.username() + " (" + user.email() + ") verified" + NL);
        assertThat(token.userinfo(tokens.get("access_token")).json()).containsEntry("email_verified", true);
        Map<String, Object> refreshed = token.post(client, Http.form("grant_type", "refresh_token",
                "refresh_token", (String) tokens.get("refresh_token"))).json();
        assertThat(SignedJWT.parse((String) refreshed.get("id_token")).getJWTClaimsSet().getBooleanClaim("email_verified")).isTrue();
        assertThat(events(user, AuditEvent.Type.USER_UPDATED)).extracting(e -> e.detail().orElse(""))
                .containsExactly("email no longer verified", "email verified by an operator");

        // Again: nothing to do, nothing audited.
        Run again = tool.run("user", "verify-email", user.username());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).isEqualTo("the email of " + user.username() + " (" + user.email() + ") was verified already" + NL);
        assertThat(events(user, AuditEvent.Type.USER_UPDATED)).hasSize(2);
    }

    @Test
    void userListShowsWhetherAnAccountIsDisabled() {
        User user = server.createUser();
        assertThat(tool.run("user", "disable", user.username()).exit()).isZero();
        List<String> lines = tool.run("user", "list").out().lines().toList();
        assertThat(lines.get(0)).matches("ID\\s+USERNAME\\s+EMAIL\\s+VERIFIED\\s+DISABLED");
        assertThat(lines).anyMatch(line -> line.matches(user.id() + "\\s+" + Pattern.quote(user.username()) + "\\s+"
                + Pattern.quote(user.email()) + "\\s+yes\\s+yes"));
    }
}
