package dev.castgate.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.Authenticator;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.EmailFlows;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.MailServer;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * "Forgot password?" over HTTP with a real mail server: the link on every sign-in form, the same
 * answer whether or not an account exists, the limits per address and per account, and the
 * mailed link: single use, 30 minutes, a new password under the sign-up rules that ends every
 * session and, when asked, every app's access, and the way back to where the person was.
 */
class AccountRecoveryTest {
    private static final String NEW_PASSWORD = "a brand new passphrase";
    @CastgateServer(mail = true) static TestServer server;

    private static Map<String, String> authorization(TestClient client) {
        return Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code", "scope", "openid",
                "state", "st-r");
    }

    /** The "Forgot password?" link of a sign-in page, as the browser follows it. */
    private static String forgotLink(Http.Response signInPage) {
        Matcher m = Pattern.compile("<a href=\"(/forgot-password[^\"]*)\">Forgot your password\\?</a>").matcher(signInPage.body());
        assertThat(m.find()).as("a Forgot password? link on the sign-in page").isTrue();
        return HtmlForms.unescapeText(m.group(1));
    }

    private static int signInStatus(TestServer on, String login, String password) {
        Http browser = Http.browser();
        Map<String, String> form = HtmlForms.hiddenFields(browser.get(on.url("/account")).body());
        form.putAll(Http.form("username", login, "password", password));
        return browser.postForm(on.url("/account/login"), form).status();
    }

    @Test
    void everySignInFormLinksToForgotPasswordAndKeepsThePersonsPlace() {
        TestClient client = server.client().create();
        Http.Response authorize = new BrowserFlow(server).open(authorization(client));
        String fromAuthorize = forgotLink(authorize);
        assertThat(fromAuthorize).isEqualTo("/forgot-password?client_id=" + client.id() + "&redirect_uri="
                + Http.encode(Map.of("x", client.redirectUri())).substring(2) + "&response_type=code&scope=openid&state=st-r&lang=en_US");
        assertThat(forgotLink(Http.browser().get(server.url("/account")))).isEqualTo("/forgot-password?lang=en_US");
        assertThat(forgotLink(Http.browser().get(server.url("/device?user_code=WDJB-MJHT")))).isEqualTo("/forgot-password?user_code=WDJB-MJHT&lang=en_US");

        Http.Response page = Http.browser().get(server.url(fromAuthorize));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Forgot your password?</h1>").contains("<form method=\"post\" action=\"/forgot-password\">")
                .contains("<label for=\"login\">Username or email</label>").contains(">Send the link</button>");
        assertThat(HtmlForms.hiddenFields(page.body())).containsEntry("client_id", client.id()).containsEntry("state", "st-r")
                .containsEntry("redirect_uri", client.redirectUri()).containsKey("csrf_token");
        Matcher back = Pattern.compile("<a href=\"([^\"]*)\">Back to sign in</a>").matcher(page.body());
        assertThat(back.find()).isTrue();
        assertThat(HtmlForms.unescapeText(back.group(1))).startsWith("/authorize?client_id=" + client.id()).endsWith("&state=st-r&lang=en_US");
    }

    @Test
    void aLinkIsMailedToTheAccountAndTheAnswerIsTheSameWithoutOne() {
        User user = server.createUser();
        Http.Response known = EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", user.username());
        Http.Response byEmail = EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", user.email().toUpperCase());
        Http.Response unknownName = EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", "nobody-" + user.username());
        Http.Response unknownEmail = EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", "nobody-" + user.email());
        for (Http.Response answer : List.of(known, byEmail, unknownName, unknownEmail)) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(known.body());
        }
        assertThat(known.body()).contains("<h1>Check your email</h1>").contains("If an account with that username or email address exists, "
                + "we have sent a link to its email address. The link works once, for 30 minutes.")
                .contains("<a href=\"/account?lang=en_US\">Back to sign in</a>");

        MailServer.Mail mail = server.mail().next(user.email());
        assertThat(mail.subject()).isEqualTo("Reset your password");
        assertThat(mail.text()).contains("Someone asked to reset the password of your account " + user.username() + ". To choose a new "
                + "password, follow this link.").contains("The link works once, for 30 minutes. If you did not ask for it, ignore this "
                + "mail: your password stays as it is.");
        assertThat(mail.link()).matches(Pattern.quote(server.url("/reset-password?token=")) + "[A-Za-z0-9_-]{43}&lang=en_US");
        assertThat(server.mail().next(user.email()).link()).as("the second request's own link").isNotEqualTo(mail.link());
        server.sendMail();
        assertThat(server.mail().to("nobody-" + user.email())).as("no mail to an address no account has").isEmpty();
        assertThat(server.database().stores().audit().list(Instant.EPOCH, 10000))
                .filteredOn(e -> e.type() == AuditEvent.Type.PASSWORD_RESET_REQUESTED && e.userId().equals(Optional.of(user.id())))
                .hasSize(2);
    }

    @Test
    void theLinkSetsANewPasswordOnceAndEndsEverySessionButNotTheApps() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = EmailFlows.tokens(server, client, "openid", user.username(), TestServer.PASSWORD);
        Http signedIn = Http.browser();
        Accounts.signIn(server, signedIn, user.username(), TestServer.PASSWORD);
        EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", user.username());
        String link = server.mail().next(user.email()).link();

        Http browser = Http.browser();
        Http.Response page = browser.get(link);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Choose a new password</h1>").contains("Choose a new password for your account " + user.username() + ".")
                .contains("<label for=\"new_password\">New password</label>")
                .contains("<label for=\"end_apps\">Also end the access of every app and device you allowed to use your account");
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.put("new_password", "short");
        Http.Response tooShort = browser.postForm(server.url("/reset-password"), form);
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.body()).contains("The password must be at least 8 characters long.").contains("action=\"/reset-password\"");
        form.put("new_password", user.username());
        assertThat(browser.postForm(server.url("/reset-password"), form).body()).contains("The password must not be your username or email address.");
        form.remove("new_password");
        assertThat(browser.postForm(server.url("/reset-password"), form).body()).contains("Enter a new password.");

        form.put("new_password", NEW_PASSWORD);
        Http.Response done = browser.postForm(server.url("/reset-password"), form);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.body()).contains("<h1>Your password is changed</h1>")
                .contains("You were signed out everywhere. Sign in with your new password.")
                .contains("<a href=\"/account?lang=en_US\">Sign in</a>");

        assertThat(signedIn.get(server.url("/account")).body()).as("the other session ended").contains("action=\"/account/login\"");
        assertThat(signInStatus(server, user.username(), TestServer.PASSWORD)).isEqualTo(401);
        assertThat(signInStatus(server, user.username(), NEW_PASSWORD)).isEqualTo(303);
        // The apps keep their access unless the person asks otherwise.
        assertThat(Accounts.userinfo(server, (String) tokens.get("access_token")).status()).isEqualTo(200);
        assertThat(Accounts.refresh(server, client, (String) tokens.get("refresh_token")).status()).isEqualTo(200);

        Http.Response reused = browser.postForm(server.url("/reset-password"), form);
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.body()).contains("<h1>This link was used already</h1>")
                .contains("<a href=\"/forgot-password?lang=en_US\">Ask for a new link</a>");
        assertThat(browser.get(link).body()).contains("<h1>This link was used already</h1>");

        MailServer.Mail notice = server.mail().next(user.email());
        assertThat(notice.subject()).isEqualTo("Your password was changed");
        assertThat(notice.text()).contains("The password of your account " + user.username() + " was changed on ")
                .contains("If this was not you, reset your password now.");
        assertThat(server.database().stores().audit().list(Instant.EPOCH, 10000))
                .filteredOn(e -> e.type() == AuditEvent.Type.PASSWORD_RESET && e.userId().equals(Optional.of(user.id())))
                .extracting(e -> e.outcome() + " " + e.detail().orElse(""))
                .containsExactlyInAnyOrder("SUCCESS ended 2 sessions", "FAILURE link used already");
    }

    @Test
    void tickingTheBoxEndsEveryAppsAccessToo() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = EmailFlows.tokens(server, client, "openid", user.username(), TestServer.PASSWORD);
        EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", user.email());
        Http.Response done = EmailFlows.reset(server, Http.browser(), server.mail().next(user.email()).link(), NEW_PASSWORD, true);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.body()).contains("You were signed out everywhere, and no app or device can use your account until you allow it again.");

        Http.Response userinfo = Accounts.userinfo(server, (String) tokens.get("access_token"));
        assertThat(userinfo.status()).isEqualTo(401);
        Http.Response refresh = Accounts.refresh(server, client, (String) tokens.get("refresh_token"));
        assertThat(refresh.status()).isEqualTo(400);
        assertThat(refresh.json()).containsEntry("error", "invalid_grant");
        // The consent is forgotten too: the next authorization asks again.
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response consent = flow.signIn(flow.open(authorization(client)), user.username(), NEW_PASSWORD);
        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.body()).contains("name=\"interaction\" value=\"consent\"");
    }

    @Test
    void aResetBringsThePersonBackToTheAuthorizationTheyLeft() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response signIn = flow.open(authorization(client));
        Http.Response asked = EmailFlows.requestRecovery(server, flow.http(), forgotLink(signIn), user.username());
        assertThat(asked.status()).isEqualTo(200);
        Http.Response done = EmailFlows.reset(server, Http.browser(), server.mail().next(user.email()).link(), NEW_PASSWORD, false);
        Matcher next = Pattern.compile("<a href=\"([^\"]*)\">Sign in</a>").matcher(done.body());
        assertThat(next.find()).isTrue();
        String back = HtmlForms.unescapeText(next.group(1));
        assertThat(back).startsWith("/authorize?client_id=" + client.id());

        Http.Response again = flow.http().get(server.url(back));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("<strong>" + client.name() + "</strong> wants to use your account.");
        Http.Response consent = flow.signIn(again, user.username(), NEW_PASSWORD);
        flow.code(flow.decide(consent, "allow"), "st-r");
    }

    @Test
    void aResetLeavesTheSecondFactorOn() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Authenticator.Enabled twoStep = Authenticator.enable(server, browser);
        EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", user.username());
        assertThat(EmailFlows.reset(server, Http.browser(), server.mail().next(user.email()).link(), NEW_PASSWORD, false).status())
                .isEqualTo(200);

        // The new password leads to the code, not to a session: a mailbox alone does not open the account.
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response codePage = flow.signIn(flow.open(authorization(client)), user.username(), NEW_PASSWORD);
        assertThat(codePage.status()).isEqualTo(200);
        assertThat(codePage.body()).contains("name=\"second_step\"");
        Http.Response consent = flow.enterCode(codePage, twoStep.app().nextCode());
        flow.code(flow.decide(consent, "allow"), "st-r");
    }

    @Test
    void aResetWithdrawsTheAccountsOtherLinksAndEndsASecondStepUnderWay(@CastgateServer(mail = true) TestServer own) {
        // A server of its own: the class's server has had many recovery requests from this address.
        User user = own.createUser();
        Http browser = Http.browser();
        Accounts.signIn(own, browser, user.username(), TestServer.PASSWORD);
        Authenticator.Enabled twoStep = Authenticator.enable(own, browser);
        EmailFlows.requestRecovery(own, Http.browser(), "/forgot-password", user.username());
        String older = own.mail().next(user.email()).link();
        EmailFlows.requestRecovery(own, Http.browser(), "/forgot-password", user.email());
        String newer = own.mail().next(user.email()).link();
        // Someone with the old password has reached the code.
        TestClient client = own.client().create();
        BrowserFlow flow = new BrowserFlow(own);
        Http.Response codePage = flow.signIn(flow.open(authorization(client)), user.username(), TestServer.PASSWORD);
        assertThat(codePage.body()).contains("name=\"second_step\"");

        assertThat(EmailFlows.reset(own, Http.browser(), newer, NEW_PASSWORD, false).status()).isEqualTo(200);
        Http.Response olderLink = Http.browser().get(older);
        assertThat(olderLink.status()).isEqualTo(400);
        assertThat(olderLink.body()).contains("<h1>This link is not valid</h1>");
        // The step was for the old password: even the right code does not finish it.
        Http.Response late = flow.enterCode(codePage, twoStep.app().nextCode());
        assertThat(late.status()).isEqualTo(400);
        assertThat(late.body()).contains("The sign-in took too long or the page is out of date. Sign in again.");
        assertThat(late.headers("Set-Cookie")).noneMatch(c -> c.startsWith("castgate_session="));
    }

    @Test
    void theLinkWorksFor30Minutes(@CastgateServer(mail = true) TestServer own) {
        User user = own.createUser();
        EmailFlows.requestRecovery(own, Http.browser(), "/forgot-password", user.username());
        String link = own.mail().next(user.email()).link();
        Http browser = Http.browser();
        own.clock().advance(Duration.ofMinutes(29));
        Http.Response page = browser.get(link);
        assertThat(page.status()).isEqualTo(200);
        own.clock().advance(Duration.ofMinutes(2));
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.put("new_password", NEW_PASSWORD);
        Http.Response late = browser.postForm(own.url("/reset-password"), form);
        assertThat(late.status()).isEqualTo(400);
        assertThat(late.body()).contains("<h1>This link has expired</h1>").contains(">Ask for a new link</a>");
        assertThat(own.database().stores().audit().list(Instant.EPOCH, 10000))
                .filteredOn(e -> e.type() == AuditEvent.Type.PASSWORD_RESET && e.userId().equals(Optional.of(user.id())))
                .extracting(e -> e.outcome() + " " + e.detail().orElse("")).containsExactly("FAILURE link expired");
        assertThat(signInStatus(own, user.username(), TestServer.PASSWORD)).isEqualTo(303);
    }

    @Test
    void requestsAreLimitedPerAddressAndMailsPerAccountWithoutChangingTheAnswer(@CastgateServer(value = {
            "CASTGATE_RECOVERY_MAX_REQUESTS_PER_ADDRESS=4", "CASTGATE_MAIL_MAX_LINKS_PER_ACCOUNT=2"}, mail = true) TestServer own) {
        User user = own.createUser();
        User other = own.createUser();
        Http.Response first = EmailFlows.requestRecovery(own, Http.browser(), "/forgot-password", user.username());
        for (String login : List.of(user.email(), user.username())) {
            Http.Response answer = EmailFlows.requestRecovery(own, Http.browser(), "/forgot-password", login);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(first.body());
        }
        assertThat(EmailFlows.requestRecovery(own, Http.browser(), "/forgot-password", other.username()).status()).isEqualTo(200);
        own.mail().next(user.email());
        own.mail().next(user.email());
        own.mail().next(other.email());
        own.sendMail();
        assertThat(own.mail().to(user.email())).as("the account's third request mailed nothing").hasSize(2);

        Http browser = Http.browser();
        Http.Response refused = EmailFlows.requestRecovery(own, browser, "/forgot-password", other.username());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body()).contains("Too many requests from your network. Wait 15 minutes and try again.")
                .contains("value=\"" + other.username() + "\"");

        own.clock().advance(Duration.ofMinutes(16));
        assertThat(EmailFlows.requestRecovery(own, browser, "/forgot-password", user.username()).status()).isEqualTo(200);
        assertThat(own.mail().next(user.email()).subject()).isEqualTo("Reset your password");
    }

    @Test
    void aResetForgetsTheFailedSignInsThatHeldTheAccount(
            @CastgateServer(value = "CASTGATE_LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS=2", mail = true) TestServer own) {
        User user = own.createUser();
        assertThat(signInStatus(own, user.username(), "wrong one")).isEqualTo(401);
        assertThat(signInStatus(own, user.username(), "wrong two")).isEqualTo(401);
        assertThat(signInStatus(own, user.username(), TestServer.PASSWORD)).isEqualTo(429);
        EmailFlows.requestRecovery(own, Http.browser(), "/forgot-password", user.username());
        assertThat(EmailFlows.reset(own, Http.browser(), own.mail().next(user.email()).link(), NEW_PASSWORD, false).status()).isEqualTo(200);
        assertThat(signInStatus(own, user.username(), NEW_PASSWORD)).isEqualTo(303);
    }

    @Test
    void aResetConfirmsTheAddressAndWithdrawsAPendingEmailChange() {
        String username = "recover" + Long.toHexString(System.nanoTime() & 0xffffff);
        String email = username + "@example.com";
        Http browser = Http.browser();
        assertThat(EmailFlows.signUp(server, browser, username, email, "en_US").status()).isEqualTo(303);
        String signUpLink = server.mail().next(email).link();
        Http.Response account = browser.get(server.url("/account"));
        String elsewhere = "elsewhere-" + email;
        assertThat(browser.postForm(server.url("/account/profile"), Http.form("csrf_token", Accounts.csrf(account), "name", "",
                "email", elsewhere, "current_password", TestServer.PASSWORD)).status()).isEqualTo(200);
        String changeLink = server.mail().next(elsewhere).link();
        assertThat(server.mail().next(email).subject()).as("the change's notice").isEqualTo("Your email address is being changed");

        EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", username);
        String resetLink = server.mail().next(email).link();
        assertThat(EmailFlows.reset(server, Http.browser(), resetLink, NEW_PASSWORD, false).status()).isEqualTo(200);

        User after = server.database().stores().users().findByLogin(username).orElseThrow();
        assertThat(after.email()).isEqualTo(email);
        assertThat(after.emailVerified()).as("following the link proved the mailbox").isTrue();
        assertThat(Http.browser().get(changeLink).body()).contains("<h1>This link is not valid</h1>");
        assertThat(Http.browser().get(signUpLink).status()).as("the address's own link stays").isEqualTo(200);
    }

    @Test
    void madeUpLinksAndForgedFormsAreClearPages() {
        for (String token : List.of("", "nonsense", "B".repeat(43), "z".repeat(5000))) {
            Http.Response page = Http.browser().get(server.url("/reset-password?token=" + token));
            assertThat(page.status()).as(token).isEqualTo(400);
            assertThat(page.body()).contains("<h1>This link is not valid</h1>").contains("href=\"/forgot-password?lang=en_US\"");
        }
        Http browser = Http.browser();
        Http.Response form = browser.get(server.url("/forgot-password"));
        Http.Response forged = browser.postForm(server.url("/forgot-password"), Http.form("csrf_token", "q".repeat(43), "login", "x"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("This form has expired");
        Map<String, String> empty = HtmlForms.hiddenFields(form.body());
        empty.put("login", "   ");
        Http.Response missing = browser.postForm(server.url("/forgot-password"), empty);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("Enter your username or email address.");
        for (String login : List.of("a\u0000b", "someone\u0000", "x".repeat(400))) {
            empty.put("login", login);
            assertThat(browser.postForm(server.url("/forgot-password"), empty).status()).as(login).isEqualTo(400);
        }
        Http.Response resetForged = browser.postForm(server.url("/reset-password"), Http.form("csrf_token", "q".repeat(43), "token", "x"));
        assertThat(resetForged.status()).isEqualTo(403);
    }

    @Test
    void thePagesAndTheMailAreInThePersonsLanguage() {
        User user = server.createUser();
        Http.Response page = Http.browser().get(server.url("/forgot-password?lang=de_DE"));
        assertThat(page.body()).contains("<html lang=\"de-DE\">").contains("<h1>Passwort vergessen?</h1>").contains(">Link senden</button>");
        Http.Response asked = EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password?lang=de_DE", user.username());
        assertThat(asked.body()).contains("<h1>Sehen Sie in Ihr Postfach</h1>");
        MailServer.Mail mail = server.mail().next(user.email());
        assertThat(mail.subject()).isEqualTo("Passwort zurücksetzen");
        assertThat(mail.link()).endsWith("&lang=de_DE");
        assertThat(Http.browser().get(mail.link()).body()).contains("<h1>Neues Passwort wählen</h1>");

        Http.Response hu = Http.browser().get(server.url("/account?lang=hu_HU"));
        assertThat(hu.body()).contains(">Elfelejtette a jelszavát?</a>");
    }
}
