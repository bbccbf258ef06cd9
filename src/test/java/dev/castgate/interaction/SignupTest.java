package dev.castgate.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sign-up page over HTTP: the link, a new account signed in, the request continued, the rules, CSRF, throttling, the setting. */
class SignupTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    @CastgateServer static TestServer server;

    private static String newName() { return "signup" + SEQUENCE.incrementAndGet() + "z" + Long.toHexString(System.nanoTime() & 0xfffff); }

    private static Map<String, String> authorization(TestClient client) {
        return Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code",
                "scope", "openid email", "state", "st-1", "nonce", "n-1", "prompt", "login");
    }

    /** The sign-up link on a sign-in page, made absolute. */
    private static String signupLink(Http.Response login) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<a href=\"(/signup[^\"]*)\">").matcher(login.body());
        assertThat(m.find()).as("a sign-up link on the sign-in page").isTrue();
        return server.url(HtmlForms.unescapeText(m.group(1)));
    }

    private static Http.Response submit(Http browser, Http.Response page, String username, String email, String name, String password) {
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.put("username", username);
        form.put("email", email);
        form.put("name", name);
        form.put("password", password);
        return browser.postForm(server.url("/signup"), form);
    }

    @Test
    void signUpFromTheSignInPageSignsInAndContinuesTheAuthorization() {
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response login = flow.open(authorization(client));
        assertThat(login.body()).contains("No account yet?").contains(">Create an account</a>");

        Http.Response page = flow.http().get(signupLink(login));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Create an account</h1>").contains("<strong>" + client.name() + "</strong>")
                .contains("<form method=\"post\" action=\"/signup\">");
        assertThat(HtmlForms.hiddenFields(page.body())).containsEntry("client_id", client.id()).containsEntry("state", "st-1")
                .containsEntry("nonce", "n-1").containsEntry("redirect_uri", client.redirectUri()).containsKey("csrf_token");
        assertThat(page.header("Content-Security-Policy").orElseThrow()).contains("form-action 'self';");

        String username = newName();
        Http.Response created = submit(flow.http(), page, username, username + "@example.com", "New Person", "a fine long password");
        assertThat(created.status()).as(created.body()).isEqualTo(303);
        assertThat(created.location()).startsWith("/authorize?");
        Map<String, String> continued = Urls.queryParams(created.location());
        assertThat(continued).containsEntry("client_id", client.id()).containsEntry("state", "st-1").containsEntry("nonce", "n-1")
                .doesNotContainKey("prompt");

        Http.Response consent = flow.http().get(server.url(created.location()));
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        assertThat(consent.body()).contains("name=\"interaction\" value=\"consent\"").contains("<strong>New Person</strong>");
        Http.Response redirect = flow.decide(consent, "allow");
        String code = flow.code(redirect, "st-1");
        assertThat(code).hasSize(40);

        User user = server.database().stores().users().findByLogin(username).orElseThrow();
        assertThat(user.emailVerified()).isFalse();
        assertThat(user.name()).hasValue("New Person");
        assertThat(server.database().stores().audit().list(Instant.EPOCH, 1000)).anyMatch(e -> e.type() == AuditEvent.Type.SIGN_UP
                && e.userId().equals(Optional.of(user.id())) && e.clientId().equals(Optional.of(new ClientId(client.id()))));
    }

    @Test
    void signUpWithoutAnAuthorizationRequestLandsOnTheAccountPage() {
        Http browser = Http.browser();
        Http.Response accountLogin = browser.get(server.url("/account"));
        assertThat(accountLogin.body()).contains("href=\"/signup?lang=en_US\"");
        Http.Response page = browser.get(server.url("/signup"));
        String username = newName();
        Http.Response created = submit(browser, page, username, username + "@example.com", "", "another fine password");
        assertThat(created.status()).isEqualTo(303);
        assertThat(created.location()).isEqualTo("/account?lang=en_US");
        Http.Response account = browser.get(server.url("/account"));
        assertThat(account.body()).contains("Signed in as <strong>" + username + "</strong>");
        assertThat(server.database().stores().users().findByLogin(username).orElseThrow().name()).isEmpty();
    }

    @Test
    void theToolsRulesApplyAndTheFormKeepsWhatWasTyped() {
        User existing = server.createUser();
        Http browser = Http.browser();
        Http.Response page = browser.get(server.url("/signup"));
        String username = newName();
        String email = username + "@example.com";
        long users = server.database().count("users");

        Http.Response badName = submit(browser, page, "-x", email, "Name", "long enough password");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.body()).contains("The username must be 2 to 64 letters").contains("value=\"" + email + "\"")
                .doesNotContain("long enough password");

        Http.Response badEmail = submit(browser, page, username, "nope", "Name", "long enough password");
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.body()).contains("Enter a valid email address.").contains("value=\"" + username + "\"");

        Http.Response shortPassword = submit(browser, page, username, email, "Name", "short");
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.body()).contains("The password must be at least 8 characters long.");

        Http.Response passwordIsName = submit(browser, page, username, email, "Name", username);
        assertThat(passwordIsName.status()).isEqualTo(400);
        assertThat(passwordIsName.body()).contains("The password must not be your username or email address.");

        Http.Response taken = submit(browser, page, existing.username().toUpperCase(), email, "Name", "long enough password");
        assertThat(taken.status()).isEqualTo(400);
        assertThat(taken.body()).contains("That username or email address is already taken.");

        Http.Response missing = submit(browser, page, "", "", "", "");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("Enter a username, an email address and a password.");

        Http.Response controlCharacters = submit(browser, page, username, "a\u0000@example.com", "b\u0000", "long enough password");
        assertThat(controlCharacters.status()).isEqualTo(400);
        assertThat(controlCharacters.body()).contains("Enter a valid email address.");
        Http.Response controlInName = submit(browser, page, username, email, "b\u0000c", "long enough password");
        assertThat(controlInName.status()).isEqualTo(400);
        assertThat(controlInName.body()).contains("cannot contain control characters");

        Http.Response huge = submit(browser, page, "u".repeat(5000), email, "n".repeat(5000), "p".repeat(2000));
        assertThat(huge.status()).isEqualTo(400);

        assertThat(server.database().count("users")).isEqualTo(users);
        assertThat(browser.get(server.url("/account")).body()).as("nobody was signed in").contains("action=\"/account/login\"");
    }

    @Test
    void theReasonIsInThePagesLanguage() {
        Http browser = Http.browser();
        Http.Response page = browser.get(server.url("/signup?lang=hu_HU"));
        assertThat(page.body()).contains("<html lang=\"hu-HU\">").contains("<h1>Fiók létrehozása</h1>");
        Http.Response refused = submit(browser, page, newName(), "x@example.com", "", "rövid");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("A jelszónak legalább 8 karakter hosszúnak kell lennie.");
    }

    @Test
    void signUpNeedsTheCsrfToken() {
        Http browser = Http.browser();
        browser.get(server.url("/signup"));
        String username = newName();
        Http.Response forged = browser.postForm(server.url("/signup"), Http.form("username", username, "email", username + "@example.com",
                "password", "long enough password", "csrf_token", "y".repeat(43)));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("This form has expired");
        assertThat(server.database().stores().users().findByLogin(username)).isEmpty();
    }

    @Test
    void signUpsFromOneAddressAreThrottled(@CastgateServer("CASTGATE_LOGIN_MAX_FAILURES_PER_ADDRESS=2") TestServer strict) {
        // Each sign-up signs its browser in, which renews the form token: a new browser for each.
        for (int i = 0; i < 2; i++) {
            Http each = Http.browser();
            Http.Response page = each.get(strict.url("/signup"));
            String username = newName();
            Map<String, String> form = HtmlForms.hiddenFields(page.body());
            form.putAll(Http.form("username", username, "email", username + "@example.com", "password", "long enough password"));
            assertThat(each.postForm(strict.url("/signup"), form).status()).isEqualTo(303);
        }
        Http browser = Http.browser();
        Http.Response page = browser.get(strict.url("/signup"));
        String username = newName();
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.putAll(Http.form("username", username, "email", username + "@example.com", "password", "long enough password"));
        Http.Response throttled = browser.postForm(strict.url("/signup"), form);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.body()).contains("Too many accounts were created from your network. Wait 15 minutes and try again.");
        assertThat(strict.database().stores().users().findByLogin(username)).isEmpty();

        strict.clock().advance(java.time.Duration.ofMinutes(16));
        assertThat(browser.postForm(strict.url("/signup"), form).status()).as("after the window").isEqualTo(303);
    }

    @Test
    void whenTurnedOffThereIsNoLinkAndNoPage(@CastgateServer("CASTGATE_SIGNUP_ENABLED=false") TestServer closed) {
        TestClient client = closed.client().create();
        BrowserFlow flow = new BrowserFlow(closed);
        Http.Response login = flow.open(authorization(client));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).doesNotContain("/signup").doesNotContain("Create an account");
        assertThat(flow.http().get(closed.url("/account")).body()).doesNotContain("/signup");

        Http.Response get = flow.http().get(closed.url("/signup"));
        assertThat(get.status()).isEqualTo(404);
        assertThat(get.body()).contains("<h1>Not found</h1>");
        assertThat(get.header("Content-Type").orElseThrow()).startsWith("text/html");
        Http.Response post = flow.http().postForm(closed.url("/signup"), Http.form("username", "someone", "email", "s@example.com",
                "password", "long enough password"));
        assertThat(post.status()).isEqualTo(404);
        assertThat(closed.database().stores().users().findByLogin("someone")).isEmpty();
    }
}
