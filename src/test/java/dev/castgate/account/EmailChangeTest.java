package dev.castgate.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.EmailFlows;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.MailServer;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An email change on /account over HTTP with a real mail server: it needs the password, the old
 * address stays in force and is told until the new one is confirmed by its link, and the ID token
 * and userinfo follow; a later change withdraws an earlier one.
 */
class EmailChangeTest {
    @CastgateServer(mail = true) static TestServer server;

    private static Http.Response change(Http browser, Http.Response account, String email, String password) {
        Map<String, String> form = Http.form("csrf_token", Accounts.csrf(account), "name", "", "email", email);
        if (password != null) form.put("current_password", password);
        return browser.postForm(server.url("/account/profile"), form);
    }

    private static User stored(User user) {
        return server.database().stores().users().find(user.id()).orElseThrow();
    }

    @Test
    void aChangeNeedsThePasswordWaitsForTheNewAddressAndTellsTheOldOne() {
        User user = server.createUser();
        String oldEmail = user.email();
        String newEmail = "moved-" + user.username() + "@example.org";
        TestClient client = server.client().create();
        Map<String, Object> before = EmailFlows.tokens(server, client, "openid email", user.username(), TestServer.PASSWORD);
        String accessToken = (String) before.get("access_token");
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        assertThat(account.body()).contains("<label for=\"profile_password\">Your password (to change the email address)</label>");

        Http.Response noPassword = change(browser, account, newEmail, null);
        assertThat(noPassword.status()).isEqualTo(400);
        assertThat(noPassword.body()).contains("Enter your password to change the email address.");
        Http.Response wrong = change(browser, account, newEmail, "not the password");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("The current password is not correct.");
        assertThat(stored(user)).isEqualTo(user);

        Http.Response asked = change(browser, account, newEmail, TestServer.PASSWORD);
        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.body()).contains("We mailed a link to " + newEmail + ". Your email address changes to it once you follow that link; "
                + "until then it stays " + oldEmail + ".").contains("value=\"" + oldEmail + "\"").contains(">Send the link again</button>");
        assertThat(stored(user).email()).isEqualTo(oldEmail);
        assertThat(stored(user).emailVerified()).isTrue();

        MailServer.Mail notice = server.mail().next(oldEmail);
        assertThat(notice.subject()).isEqualTo("Your email address is being changed");
        assertThat(notice.text()).contains("Someone signed in to your account " + user.username() + " asked to change its email address to "
                + newEmail + ". The change takes effect only once the new address is confirmed; until then your email address stays "
                + oldEmail + ".").contains("If this was not you, sign in and change your password now.");
        assertThat(notice.link()).isEqualTo(server.url("/account?lang=en_US"));
        MailServer.Mail verify = server.mail().next(newEmail);
        assertThat(verify.subject()).isEqualTo("Confirm your email address");
        assertThat(verify.text()).contains("Please confirm that " + newEmail + " is the email address of your account " + user.username() + ".");

        // Until then the old address is the account's, for signing in and in every claim.
        assertThat(EmailFlows.claims(EmailFlows.tokens(server, client, "openid email", oldEmail, TestServer.PASSWORD).get("id_token")))
                .containsEntry("email", oldEmail).containsEntry("email_verified", true);
        assertThat(signInStatus(newEmail)).isEqualTo(401);

        Http.Response done = EmailFlows.confirm(server, Http.browser(), verify.link());
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.body()).contains(newEmail + " is now the confirmed email address of your account.");
        assertThat(stored(user).email()).isEqualTo(newEmail);
        assertThat(stored(user).emailVerified()).isTrue();
        assertThat(Accounts.userinfo(server, accessToken).json()).containsEntry("email", newEmail).containsEntry("email_verified", true);
        assertThat(EmailFlows.claims(EmailFlows.tokens(server, client, "openid email", newEmail, TestServer.PASSWORD).get("id_token")))
                .containsEntry("email", newEmail).containsEntry("email_verified", true);
        assertThat(signInStatus(oldEmail)).isEqualTo(401);
        assertThat(browser.get(server.url("/account")).body()).contains("value=\"" + newEmail + "\"").doesNotContain("is waiting")
                .doesNotContain("Send the link again");
    }

    @Test
    void aLaterChangeWithdrawsTheEarlierOne() {
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        String first = "first-" + user.username() + "@example.org";
        String second = "second-" + user.username() + "@example.org";
        assertThat(change(browser, account, first, TestServer.PASSWORD).status()).isEqualTo(200);
        String firstLink = server.mail().next(first).link();
        Http.Response again = change(browser, account, second, TestServer.PASSWORD);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("A change to " + second + " is waiting");
        String secondLink = server.mail().next(second).link();

        Http.Response withdrawn = Http.browser().get(firstLink);
        assertThat(withdrawn.status()).isEqualTo(400);
        assertThat(withdrawn.body()).contains("<h1>This link is not valid</h1>");
        assertThat(EmailFlows.confirm(server, Http.browser(), secondLink).status()).isEqualTo(200);
        assertThat(stored(user).email()).isEqualTo(second);
        // A notice for each change (in either order: mails of one millisecond leave in no particular order).
        List<String> notices = List.of(server.mail().next(user.email()).text(), server.mail().next(user.email()).text());
        assertThat(notices).anySatisfy(text -> assertThat(text).contains("to change its email address to " + first + "."))
                .anySatisfy(text -> assertThat(text).contains("to change its email address to " + second + "."));
    }

    @Test
    void aConfirmedChangeWithdrawsTheRecoveryLinksMailedToTheOldAddress() {
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        String moved = "moved-away-" + user.username() + "@example.org";
        assertThat(change(browser, account, moved, TestServer.PASSWORD).status()).isEqualTo(200);
        String verifyLink = server.mail().next(moved).link();
        assertThat(server.mail().next(user.email()).subject()).isEqualTo("Your email address is being changed");
        assertThat(EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", user.username()).status()).isEqualTo(200);
        String resetLink = server.mail().next(user.email()).link();
        // While the change waits, the old address is the account's: its recovery link works.
        assertThat(Http.browser().get(resetLink).status()).isEqualTo(200);

        assertThat(EmailFlows.confirm(server, Http.browser(), verifyLink).status()).isEqualTo(200);
        Http.Response withdrawn = Http.browser().get(resetLink);
        assertThat(withdrawn.status()).isEqualTo(400);
        assertThat(withdrawn.body()).contains("<h1>This link is not valid</h1>");
    }

    @Test
    void anAddressAnotherAccountTookMeanwhileIsRefusedAndNothingChanges() {
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        String wanted = "wanted-" + user.username() + "@example.org";
        assertThat(change(browser, account, wanted, TestServer.PASSWORD).status()).isEqualTo(200);
        String link = server.mail().next(wanted).link();
        server.createUser("quicker" + user.username(), wanted, TestServer.PASSWORD);

        Http other = Http.browser();
        Http.Response page = other.get(link);
        Http.Response taken = other.postForm(server.url("/verify-email"), HtmlForms.hiddenFields(page.body()));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.body()).contains("<h1>This email address is taken</h1>")
                .contains(wanted + " belongs to another account now, so it cannot become yours. Your email address did not change.");
        assertThat(stored(user).email()).isEqualTo(user.email());
        assertThat(stored(user).emailVerified()).isTrue();
    }

    @Test
    void changesAreLimitedLikeOtherVerificationMails(@CastgateServer(value = "CASTGATE_MAIL_MAX_LINKS_PER_ACCOUNT=1", mail = true) TestServer own) {
        User user = own.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(own, browser, user.username(), TestServer.PASSWORD);
        Map<String, String> form = Http.form("csrf_token", Accounts.csrf(account), "name", "", "current_password", TestServer.PASSWORD);
        form.put("email", "a-" + user.email());
        assertThat(browser.postForm(own.url("/account/profile"), form).status()).isEqualTo(200);
        form.put("email", "b-" + user.email());
        Http.Response refused = browser.postForm(own.url("/account/profile"), form);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body()).contains("We mailed you several links already. Wait 15 minutes and try again.");
        own.mail().next("a-" + user.email());
        own.sendMail();
        assertThat(own.mail().to("b-" + user.email())).isEmpty();
    }

    private static int signInStatus(String login) {
        Http browser = Http.browser();
        Http.Response page = browser.get(server.url("/account"));
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.putAll(Http.form("username", login, "password", TestServer.PASSWORD));
        return browser.postForm(server.url("/account/login"), form).status();
    }
}
