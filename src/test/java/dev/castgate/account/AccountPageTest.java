package dev.castgate.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The account pages over HTTP: sign-in, profile, password, connected apps with Revoke, sign-out. */
class AccountPageTest {
    @CastgateServer static TestServer server;

    private static List<AuditEvent.Type> auditTypesFor(User user) {
        return server.database().stores().audit().list(Instant.EPOCH, 1000).stream()
                .filter(e -> e.userId().equals(java.util.Optional.of(user.id()))).map(AuditEvent::type).toList();
    }

    // ---- signing in ----

    @Test
    void withoutASessionTheAccountPageIsASignInPageThatComesBack() {
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response page = browser.get(server.url("/account"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\" action=\"/account/login\">").contains("Sign in to manage your account.")
                .doesNotContain("action=\"/account/profile\"");
        assertThat(page.header("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'").contains("default-src 'none'");

        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.put("username", user.username());
        form.put("password", "wrong password!");
        Http.Response wrong = browser.postForm(server.url("/account/login"), form);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("The username or password is not correct.");

        Http.Response account = Accounts.signIn(server, browser, user.email(), TestServer.PASSWORD);
        assertThat(account.body()).contains("Signed in as <strong>" + user.username() + "</strong>")
                .contains("value=\"" + user.email() + "\"").contains("Connected apps and devices")
                .contains("No apps or devices are connected to your account.");
        assertThat(account.header("Cache-Control")).hasValue("no-store");
    }

    @Test
    void badInputOnTheSignInFormIsAnAnswerNotAFailure() {
        Http browser = Http.browser();
        Http.Response page = browser.get(server.url("/account"));
        for (String login : List.of("a\u0000b", "x@\u0000.example", "u".repeat(400), "\uD800")) {
            Map<String, String> form = HtmlForms.hiddenFields(page.body());
            form.put("username", login);
            form.put("password", "p\u0000w");
            Http.Response r = browser.postForm(server.url("/account/login"), form);
            assertThat(r.status()).as(login).isIn(400, 401);
        }
        Http.Response json = browser.post(server.url("/account/login"), "application/json", "{}");
        assertThat(json.status()).isEqualTo(400);
    }

    @Test
    void postsWithoutASessionGoBackToTheSignInPage() {
        Http browser = Http.browser();
        Http.Response page = browser.get(server.url("/account"));
        String csrf = Accounts.csrf(page);
        for (String path : List.of("/account/profile", "/account/password", "/account/grants/revoke")) {
            Http.Response r = browser.postForm(server.url(path), Http.form("csrf_token", csrf, "email", "x@example.com"));
            assertThat(r.status()).as(path).isEqualTo(303);
            assertThat(r.location()).startsWith("/account");
        }
    }

    // ---- profile ----

    @Test
    void theNameChangesAtOnceAndANewEmailWaitsForItsConfirmation() {
        User user = server.createUser();
        assertThat(user.emailVerified()).isTrue();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);

        Http.Response nameOnly = browser.postForm(server.url("/account/profile"),
                Http.form("csrf_token", Accounts.csrf(account), "name", "Ada Lovelace", "email", user.email()));
        assertThat(nameOnly.status()).isEqualTo(200);
        assertThat(nameOnly.body()).contains("Your profile is saved.").contains("value=\"Ada Lovelace\"");
        User renamed = server.database().stores().users().find(user.id()).orElseThrow();
        assertThat(renamed.name()).hasValue("Ada Lovelace");
        assertThat(renamed.emailVerified()).as("the same email stays verified").isTrue();

        // The full flow, with the mail read from a real mail server, is EmailChangeTest's.
        String newEmail = "new-" + user.username() + "@example.org";
        Http.Response changed = browser.postForm(server.url("/account/profile"), Http.form("csrf_token", Accounts.csrf(account),
                "name", "Ada Lovelace", "email", newEmail.toUpperCase(), "current_password", TestServer.PASSWORD));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body()).contains("We mailed a link to " + newEmail.toUpperCase() + ".")
                .contains("A change to " + newEmail + " is waiting: follow the link we mailed there. Until then your email address stays "
                        + user.email() + ".")
                .contains("Your email address is verified.");
        User after = server.database().stores().users().find(user.id()).orElseThrow();
        assertThat(after.email()).isEqualTo(user.email());
        assertThat(after.emailVerified()).isTrue();
        assertThat(auditTypesFor(user)).contains(AuditEvent.Type.PROFILE_CHANGED, AuditEvent.Type.EMAIL_CHANGE_REQUESTED);
    }

    @Test
    void aBadOrTakenEmailIsRefusedWithTheReason() {
        User user = server.createUser();
        User other = server.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);

        Http.Response bad = browser.postForm(server.url("/account/profile"),
                Http.form("csrf_token", Accounts.csrf(account), "name", "x", "email", "not an email"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("Enter a valid email address.");

        Http.Response taken = browser.postForm(server.url("/account/profile"),
                Http.form("csrf_token", Accounts.csrf(account), "name", "x", "email", other.email(), "current_password", TestServer.PASSWORD));
        assertThat(taken.status()).isEqualTo(400);
        assertThat(taken.body()).contains("That email address belongs to another account.");

        Http.Response longName = browser.postForm(server.url("/account/profile"),
                Http.form("csrf_token", Accounts.csrf(account), "name", "n".repeat(201), "email", user.email()));
        assertThat(longName.status()).isEqualTo(400);
        assertThat(longName.body()).contains("The name can be at most 200 characters long");

        Http.Response controlCharacters = browser.postForm(server.url("/account/profile"),
                Http.form("csrf_token", Accounts.csrf(account), "name", "a\u0000b", "email", "x\u0000@example.com"));
        assertThat(controlCharacters.status()).isEqualTo(400);
        assertThat(server.database().stores().users().find(user.id()).orElseThrow()).isEqualTo(user);
    }

    // ---- password ----

    @Test
    void changingThePasswordEndsTheOtherSessionsAndKeepsThisOne() {
        User user = server.createUser();
        Http laptop = Http.browser();
        Http phone = Http.browser();
        Http.Response account = Accounts.signIn(server, laptop, user.username(), TestServer.PASSWORD);
        Accounts.signIn(server, phone, user.username(), TestServer.PASSWORD);
        User someoneElse = server.createUser();
        Http theirs = Http.browser();
        Accounts.signIn(server, theirs, someoneElse.username(), TestServer.PASSWORD);

        Http.Response changed = laptop.postForm(server.url("/account/password"), Http.form("csrf_token", Accounts.csrf(account),
                "current_password", TestServer.PASSWORD, "new_password", "a brand new passphrase"));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.body()).contains("Your password is changed. You were signed out on every other device.");

        assertThat(laptop.get(server.url("/account")).body()).as("this session goes on").contains("action=\"/account/profile\"");
        assertThat(phone.get(server.url("/account")).body()).as("the other session ended").contains("action=\"/account/login\"");
        assertThat(theirs.get(server.url("/account")).body()).as("another user's session is untouched").contains("action=\"/account/profile\"");

        Accounts.signIn(server, Http.browser(), user.username(), "a brand new passphrase");
        Http fresh = Http.browser();
        Http.Response login = fresh.get(server.url("/account"));
        Map<String, String> form = HtmlForms.hiddenFields(login.body());
        form.put("username", user.username());
        form.put("password", TestServer.PASSWORD);
        assertThat(fresh.postForm(server.url("/account/login"), form).status()).as("the old password no longer works").isEqualTo(401);
        assertThat(auditTypesFor(user)).contains(AuditEvent.Type.PASSWORD_CHANGED);
    }

    @Test
    void thePasswordChangeNeedsTheCurrentPasswordAndFollowsThePolicy() {
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        String csrf = Accounts.csrf(account);

        Http.Response wrong = browser.postForm(server.url("/account/password"),
                Http.form("csrf_token", csrf, "current_password", "not it at all", "new_password", "another long password"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("The current password is not correct.");

        Http.Response tooShort = browser.postForm(server.url("/account/password"),
                Http.form("csrf_token", csrf, "current_password", TestServer.PASSWORD, "new_password", "short"));
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.body()).contains("The password must be at least 8 characters long.");

        Http.Response sameAsName = browser.postForm(server.url("/account/password"),
                Http.form("csrf_token", csrf, "current_password", TestServer.PASSWORD, "new_password", user.username()));
        assertThat(sameAsName.status()).isEqualTo(400);
        assertThat(sameAsName.body()).contains("The password must not be your username or email address.");

        Http.Response missing = browser.postForm(server.url("/account/password"), Http.form("csrf_token", csrf));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("Enter your current password and a new one.");

        // The password did not change.
        Accounts.signIn(server, Http.browser(), user.username(), TestServer.PASSWORD);
    }

    @Test
    void guessingTheCurrentPasswordIsThrottled(@CastgateServer("CASTGATE_LOGIN_MAX_FAILURES_PER_ACCOUNT=2") TestServer strict) {
        User user = strict.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(strict, browser, user.username(), TestServer.PASSWORD);
        Map<String, String> guess = Http.form("csrf_token", Accounts.csrf(account), "current_password", "guess number one",
                "new_password", "another long password");
        assertThat(browser.postForm(strict.url("/account/password"), guess).status()).isEqualTo(400);
        assertThat(browser.postForm(strict.url("/account/password"), guess).status()).isEqualTo(400);
        guess.put("current_password", TestServer.PASSWORD);
        Http.Response throttled = browser.postForm(strict.url("/account/password"), guess);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.body()).contains("Too many wrong passwords. Wait 15 minutes and try again.");
    }

    // ---- connected apps and devices ----

    @Test
    void aConnectedAppWithLegacyApiWritesShowsThatItMayChangeChannelsAndVideos() {
        User user = server.createUser();
        TestClient legacy = server.client().legacyApiWrites().create();
        BrowserFlow flow = new BrowserFlow(server);
        Accounts.authorize(server, flow, legacy, "openid", null, user.username());

        Http.Response account = flow.http().get(server.url("/account"));
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.body()).contains("<strong>" + legacy.name() + "</strong>")
                .contains("<li>Create, rename and delete your channels and videos</li>");
    }

    @Test
    void connectedAppsListEachLiveGrantAndRevokeEndsItsTokensAndConsent() {
        User user = server.createUser();
        TestClient tv = server.client().create();
        TestClient other = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Accounts.Tokens tvTokens = Accounts.authorize(server, flow, tv, "openid email broadcaster", "Living room TV", user.username());
        server.clock().advance(Duration.ofHours(2));
        Accounts.Tokens otherTokens = Accounts.authorize(server, flow, other, "openid", null, user.username());

        Http.Response account = flow.http().get(server.url("/account"));
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.body()).contains("<strong>" + tv.name() + "</strong> · Living room TV")
                .contains("<strong>" + other.name() + "</strong>")
                .contains("and broadcast live to your channels: ingest settings, streaming keys and device passwords").contains("See your email address")
                .contains("First authorized").contains("Last used").contains(" UTC");
        String grantId = grantIdOf(account.body(), tv.name());

        Http.Response revoked = flow.http().postForm(server.url("/account/grants/revoke"),
                Http.form("csrf_token", Accounts.csrf(account), "grant_id", grantId));
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.body()).contains(tv.name() + " can no longer use your account.")
                .doesNotContain("<strong>" + tv.name() + "</strong> · Living room TV").contains("<strong>" + other.name() + "</strong>");

        Http.Response refresh = Accounts.refresh(server, tv, tvTokens.refreshToken());
        assertThat(refresh.status()).isEqualTo(400);
        assertThat(refresh.json()).containsEntry("error", "invalid_grant");
        assertThat(Accounts.userinfo(server, tvTokens.accessToken()).status()).isEqualTo(401);
        assertThat(Accounts.userinfo(server, otherTokens.accessToken()).status()).as("the other app keeps working").isEqualTo(200);

        // The consent is forgotten: the next authorization asks again.
        Http.Response again = flow.open(Http.form("client_id", tv.id(), "redirect_uri", tv.redirectUri(), "response_type", "code",
                "scope", "openid"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("name=\"interaction\" value=\"consent\"");
        assertThat(auditTypesFor(user)).contains(AuditEvent.Type.GRANT_REVOKED);
    }

    @Test
    void anAppAuthorizedAgainIsStillOneRowAndItsRevokeEndsEveryGrantOfTheRow() {
        User user = server.createUser();
        TestClient app = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Accounts.Tokens first = Accounts.authorize(server, flow, app, "openid", null, user.username());
        server.clock().advance(Duration.ofHours(1));
        Accounts.Tokens second = Accounts.authorize(server, flow, app, "openid email", null, user.username());
        Accounts.Tokens kitchen = Accounts.authorize(server, flow, app, "openid", "Kitchen TV", user.username());

        // Three grants: one row for the app itself, one for it on the kitchen TV.
        Http.Response account = flow.http().get(server.url("/account"));
        String row = "<strong>" + app.name() + "</strong>";
        assertThat(account.body().split(Pattern.quote(row), -1)).as("rows of the app").hasSize(3);
        assertThat(account.body()).contains(row + " · Kitchen TV").contains("See your email address");
        int kitchenRow = account.body().indexOf(row + " · Kitchen TV");
        Matcher kitchenForm = Pattern.compile("name=\"grant_id\" value=\"([0-9a-f]{40})\"")
                .matcher(account.body());
        assertThat(kitchenForm.find(kitchenRow)).isTrue();

        Http.Response revoked = flow.http().postForm(server.url("/account/grants/revoke"),
                Http.form("csrf_token", Accounts.csrf(account), "grant_id", kitchenForm.group(1)));
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.body()).doesNotContain("Kitchen TV").contains(row);
        assertThat(Accounts.userinfo(server, kitchen.accessToken()).status()).isEqualTo(401);
        assertThat(Accounts.userinfo(server, first.accessToken()).status()).as("the app's other row keeps working").isEqualTo(200);

        Http.Response rest = flow.http().postForm(server.url("/account/grants/revoke"),
                Http.form("csrf_token", Accounts.csrf(revoked), "grant_id", grantIdOf(revoked.body(), app.name())));
        assertThat(rest.status()).as(rest.body()).isEqualTo(200);
        assertThat(rest.body()).doesNotContain(row);
        for (Accounts.Tokens tokens : List.of(first, second)) {
            assertThat(Accounts.userinfo(server, tokens.accessToken()).status()).as("both grants of the row end").isEqualTo(401);
            assertThat(Accounts.refresh(server, app, tokens.refreshToken()).json()).containsEntry("error", "invalid_grant");
        }
    }

    @Test
    void aGrantOfAnotherUserOrNoGrantCannotBeRevoked() {
        User owner = server.createUser();
        User intruder = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Accounts.Tokens tokens = Accounts.authorize(server, flow, client, "openid", null, owner.username());
        String grantId = grantIdOf(flow.http().get(server.url("/account")).body(), client.name());

        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, intruder.username(), TestServer.PASSWORD);
        for (String id : List.of(grantId, "", "x".repeat(5000), "\u0000")) {
            Http.Response r = browser.postForm(server.url("/account/grants/revoke"), Http.form("csrf_token", Accounts.csrf(account), "grant_id", id));
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.body()).contains("Not found");
        }
        assertThat(Accounts.userinfo(server, tokens.accessToken()).status()).isEqualTo(200);
    }

    @Test
    void expiredAndRevokedGrantsAreNotListed() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Accounts.authorize(server, flow, client, "openid", null, user.username());
        assertThat(flow.http().get(server.url("/account")).body()).contains(client.name());
        server.clock().advance(Duration.ofDays(31));
        Http.Response later = Accounts.signIn(server, flow.http(), user.username(), TestServer.PASSWORD);
        assertThat(later.body()).doesNotContain(client.name()).contains("No apps or devices are connected to your account.");
    }

    // ---- sign-out ----

    @Test
    void signOutEndsTheSessionRowAndClearsTheCookie() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);

        Http.Response confirm = browser.get(server.url("/logout"));
        assertThat(confirm.status()).isEqualTo(200);
        assertThat(confirm.body()).contains("<form method=\"post\" action=\"/logout\">").contains(">Sign out</button>");
        long sessionsBefore = server.database().count("sessions");

        Http.Response out = browser.postForm(server.url("/logout"), HtmlForms.hiddenFields(confirm.body()));
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.body()).contains("You are signed out.");
        assertThat(out.headers("Set-Cookie")).anyMatch(c -> c.startsWith("castgate_session=;") && c.contains("Max-Age=0"));
        assertThat(server.database().count("sessions")).isEqualTo(sessionsBefore - 1);
        assertThat(browser.get(server.url("/account")).body()).contains("action=\"/account/login\"");
        assertThat(auditTypesFor(user)).contains(AuditEvent.Type.SIGN_OUT);

        Http.Response notSignedIn = browser.get(server.url("/logout"));
        assertThat(notSignedIn.status()).isEqualTo(200);
        assertThat(notSignedIn.body()).contains("You are signed out.");
    }

    // ---- CSRF on every form ----

    @Test
    void everyAccountFormRefusesAMissingOrWrongCsrfToken() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        for (String path : List.of("/account/login", "/account/profile", "/account/password", "/account/grants/revoke", "/logout")) {
            Http.Response missing = browser.postForm(server.url(path), Http.form("username", user.username(), "email", "a@b.example"));
            if (path.equals("/logout")) {
                // Without a token it is a client's logout request (RP-Initiated Logout §2), which asks first.
                assertThat(missing.status()).isEqualTo(200);
                assertThat(missing.body()).contains("<h1>Sign out?</h1>");
            } else {
                assertThat(missing.status()).as(path).isEqualTo(403);
                assertThat(missing.body()).contains("This form has expired");
            }
            Http.Response forged = browser.postForm(server.url(path), Http.form("csrf_token", "x".repeat(43)));
            assertThat(forged.status()).as(path).isEqualTo(403);
        }
        assertThat(browser.get(server.url("/account")).body()).as("still signed in").contains("action=\"/account/profile\"");
    }

    /** The grant id in the Revoke form of the app with this name. */
    static String grantIdOf(String html, String clientName) {
        int at = html.indexOf("<strong>" + clientName + "</strong>");
        assertThat(at).as("app " + clientName + " on the page").isNotNegative();
        Matcher m = Pattern.compile("name=\"grant_id\" value=\"([0-9a-f]{40})\"").matcher(html);
        assertThat(m.find(at)).isTrue();
        return m.group(1);
    }
}
