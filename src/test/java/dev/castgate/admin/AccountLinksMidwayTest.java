package dev.castgate.admin;

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
import dev.castgate.testing.Sql;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import dev.castgate.testing.Tool.Run;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What was under way for an account when an operator disabled or removed it, or set its
 * password: mailed links (a recovery link, an email change's), mail not yet sent, a sign-in
 * waiting for its code. A disabled account gets nowhere with any of them, a removed one leaves
 * none of them behind, and a recovery link does not undo an operator's password.
 */
class AccountLinksMidwayTest {
    @TempDir Path dir;

    private static Http.Response changeEmail(TestServer server, Http browser, String email) {
        Http.Response account = browser.get(server.url("/account"));
        return browser.postForm(server.url("/account/profile"), Http.form("csrf_token", Accounts.csrf(account),
                "name", "Kept Name", "email", email, "current_password", TestServer.PASSWORD));
    }

    private static long rows(TestServer server, String table, User user) {
        return Sql.count(server, "SELECT COUNT(*) FROM " + table + " WHERE user_id = ?", user.id().value());
    }

    private static boolean setsSession(Http.Response response) {
        return response.headers("Set-Cookie").stream().anyMatch(c -> c.startsWith("castgate_session="));
    }

    @Test
    void aDisabledAccountGetsNowhereWithWhatWasUnderWay(@CastgateServer(mail = true) TestServer server) {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Authenticator app = Authenticator.enable(server, browser).app();
        // A recovery link, opened; an email change's link, opened; a sign-in waiting for its code.
        assertThat(EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", user.username()).status()).isEqualTo(200);
        String resetLink = server.mail().next(user.email()).link();
        Http resetBrowser = Http.browser();
        Http.Response resetPage = resetBrowser.get(resetLink);
        assertThat(resetPage.status()).isEqualTo(200);
        String asked = "asked-" + user.email();
        assertThat(changeEmail(server, browser, asked).status()).isEqualTo(200);
        String verifyLink = server.mail().next(asked).link();
        Http verifyBrowser = Http.browser();
        Http.Response verifyPage = verifyBrowser.get(verifyLink);
        assertThat(verifyPage.status()).isEqualTo(200);
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response codePage = flow.signIn(flow.open(Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", "openid", "state", "mw")), user.username(), TestServer.PASSWORD);
        assertThat(codePage.body()).contains("<h1>Enter your code</h1>");
        String passwordHash = server.database().stores().users().find(user.id()).orElseThrow().passwordHash();

        Tool tool = Tool.forServer(server, dir);
        Run disabled = tool.run("user", "disable", user.username());
        assertThat(disabled.exit()).as(disabled.err()).isZero();
        assertThat(rows(server, "email_links", user)).as("the links are withdrawn").isZero();

        // The right code does not finish the sign-in: no session, no authorization code, and the code is not even checked.
        Http.Response code = flow.enterCode(codePage, app.nextCode());
        assertThat(code.status()).isEqualTo(400);
        assertThat(code.body()).contains("The sign-in took too long or the page is out of date. Sign in again.")
                .contains("type=\"password\"");
        assertThat(setsSession(code)).isFalse();
        assertThat(rows(server, "sessions", user)).isZero();
        assertThat(server.database().stores().audit().list(Instant.EPOCH, 100_000)).filteredOn(e -> e.type() == AuditEvent.Type.SECOND_FACTOR
                && e.userId().equals(Optional.of(user.id()))).isEmpty();

        // The recovery link neither opens nor sets a password.
        Map<String, String> resetForm = new LinkedHashMap<>(HtmlForms.hiddenFields(resetPage.body()));
        resetForm.put("new_password", "a password for a disabled account");
        for (Http.Response refused : List.of(resetBrowser.get(resetLink), resetBrowser.postForm(server.url("/reset-password"), resetForm))) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body()).contains("<h1>This link is not valid</h1>");
        }
        // The email change's link neither opens nor changes the address.
        Map<String, String> verifyForm = HtmlForms.hiddenFields(verifyPage.body());
        for (Http.Response refused : List.of(verifyBrowser.get(verifyLink), verifyBrowser.postForm(server.url("/verify-email"), verifyForm))) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body()).contains("<h1>This link is not valid</h1>");
        }
        User after = server.database().stores().users().find(user.id()).orElseThrow();
        assertThat(after.passwordHash()).isEqualTo(passwordHash);
        assertThat(after.email()).isEqualTo(user.email());

        // A new recovery request is answered as any other, and mails nothing.
        int mailsBefore = server.mail().to(user.email()).size();
        Http.Response again = EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", user.email());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("<h1>Check your email</h1>");
        server.sendMail();
        assertThat(server.mail().to(user.email())).hasSize(mailsBefore);
        assertThat(server.database().stores().audit().list(Instant.EPOCH, 100_000)).filteredOn(e ->
                e.type() == AuditEvent.Type.PASSWORD_RESET_REQUESTED && e.userId().equals(Optional.of(user.id())))
                .extracting(e -> e.outcome() + " " + e.detail().orElse(""))
                .containsExactlyInAnyOrder("SUCCESS link mailed", "FAILURE account disabled; none sent");

        // Enabled again, the account's old links stay withdrawn.
        assertThat(tool.run("user", "enable", user.username()).exit()).isZero();
        assertThat(Http.browser().get(resetLink).status()).isEqualTo(400);
        assertThat(Http.browser().get(verifyLink).status()).isEqualTo(400);
    }

    @Test
    void aPasswordAnOperatorSetsIsNotUndoneByARecoveryLinkMailedBefore(@CastgateServer(mail = true) TestServer server) {
        User user = server.createUser();
        assertThat(EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", user.username()).status()).isEqualTo(200);
        String resetLink = server.mail().next(user.email()).link();
        Http resetBrowser = Http.browser();
        Map<String, String> resetForm = new LinkedHashMap<>(HtmlForms.hiddenFields(resetBrowser.get(resetLink).body()));
        resetForm.put("new_password", "the password of whoever holds the link");

        Run set = Tool.forServer(server, dir).runWithInput("the operator's new password\n", "user", "set-password", user.username(),
                "--password-stdin");
        assertThat(set.exit()).as(set.err()).isZero();
        Http.Response refused = resetBrowser.postForm(server.url("/reset-password"), resetForm);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("<h1>This link is not valid</h1>");
        Http browser = Http.browser();
        Map<String, String> signIn = HtmlForms.hiddenFields(browser.get(server.url("/account")).body());
        signIn.putAll(Http.form("username", user.username(), "password", "the operator's new password"));
        assertThat(browser.postForm(server.url("/account/login"), signIn).status()).isEqualTo(303);
    }

    @Test
    void mailNotYetSentWhenTheAccountIsDisabledIsNeverSent(@CastgateServer(mail = true) TestServer server) {
        User user = server.createUser();
        server.mail().stop();
        assertThat(EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", user.username()).status()).isEqualTo(200);
        assertThat(rows(server, "mail_outbox", user)).isOne();
        assertThat(Tool.forServer(server, dir).run("user", "disable", user.username()).exit()).isZero();
        assertThat(rows(server, "mail_outbox", user)).isZero();

        server.mail().startAgain();
        server.clock().advance(Duration.ofMinutes(1));
        server.sendMail();
        assertThat(server.mail().to(user.email())).isEmpty();
    }

    @Test
    void removingAnAccountDeletesItsLinksUnsentMailAndSecondFactor(@CastgateServer(mail = true) TestServer server) {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Authenticator.enable(server, browser);
        server.mail().stop();
        assertThat(changeEmail(server, browser, "pending-" + user.email()).status()).isEqualTo(200);
        assertThat(EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", user.username()).status()).isEqualTo(200);
        Map<String, Long> before = new LinkedHashMap<>();
        for (String table : List.of("email_links", "mail_outbox", "totp_credentials", "recovery_codes")) {
            before.put(table, rows(server, table, user));
        }
        assertThat(before).containsExactly(Map.entry("email_links", 2L), Map.entry("mail_outbox", 3L),
                Map.entry("totp_credentials", 1L), Map.entry("recovery_codes", 10L));

        Run removed = Tool.forServer(server, dir).run("user", "remove", user.username(), "--yes");
        assertThat(removed.exit()).as(removed.err()).isZero();
        for (String table : before.keySet()) assertThat(rows(server, table, user)).as(table).isZero();
        // Nothing of the account lingers in the throttle either: its second-factor and mail allowances are keyed by its id.
        assertThat(Sql.count(server, "SELECT COUNT(*) FROM login_failures WHERE throttle_key LIKE ?", "%" + user.id().value() + "%"))
                .isZero();

        server.mail().startAgain();
        server.clock().advance(Duration.ofMinutes(1));
        server.sendMail();
        assertThat(server.mail().to(user.email())).isEmpty();
        assertThat(server.mail().to("pending-" + user.email())).isEmpty();
    }
}
