package dev.castgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.EmailFlows;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.MailServer;
import dev.castgate.testing.Sql;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import dev.castgate.testing.Tool.Run;
import dev.castgate.token.TokenRequests;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code castgate user update USER --email NEW}, run beside a server with a real mail server: the
 * new address is the account's at once, unverified until the link mailed to it is followed (unless
 * the operator vouches for it), the old address is told, and every link still out for the account
 * stops working.
 */
class OperatorEmailChangeTest {
    private static final String NL = System.lineSeparator();

    @TempDir static Path dir;
    @CastgateServer(mail = true) static TestServer server;
    static Tool tool;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        tool = Tool.forServer(server, dir);
        token = new TokenRequests(server);
    }

    private static User stored(User user) {
        return server.database().stores().users().find(user.id()).orElseThrow();
    }

    private static List<AuditEvent> updates(User user) {
        return server.database().stores().audit().list(Instant.EPOCH, 100_000).stream()
                .filter(e -> e.type() == AuditEvent.Type.USER_UPDATED && e.userId().filter(user.id()::equals).isPresent()).toList();
    }

    /**
     * Runs the tool, then brings the server's clock (which tests move by hand) up to the real time
     * the tool stamped its rows with, so the server's mail worker finds the tool's mail due.
     */
    private static Run runTool(Tool on, String... args) {
        Run run = on.run(args);
        Duration behind = Duration.between(server.clock().instant(), Instant.now());
        if (!behind.isNegative()) server.clock().advance(behind.plusMillis(1));
        return run;
    }

    private static int signInStatus(String login) {
        Http browser = Http.browser();
        Map<String, String> form = HtmlForms.hiddenFields(browser.get(server.url("/account")).body());
        form.putAll(Http.form("username", login, "password", TestServer.PASSWORD));
        return browser.postForm(server.url("/account/login"), form).status();
    }

    @Test
    void theNewAddressIsTheAccountsAtOnceAndItsLinkConfirmsIt() {
        User user = server.createUser();
        String oldEmail = user.email();
        String newEmail = "corrected-" + user.username() + "@example.org";
        String accessToken = (String) token.tokens(server.client().create(), user, "openid email").get("access_token");
        // Links out before the change: a recovery link to the old address, and a change the person asked for.
        assertThat(EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", user.username()).status()).isEqualTo(200);
        String resetLink = server.mail().next(oldEmail).link();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        String asked = "asked-" + user.username() + "@example.org";
        assertThat(browser.postForm(server.url("/account/profile"), Http.form("csrf_token", Accounts.csrf(account),
                "name", "Test " + user.username(),
                "email", asked, "current_password", TestServer.PASSWORD)).status()).isEqualTo(200);
        String askedLink = server.mail().next(asked).link();
        assertThat(server.mail().next(oldEmail).subject()).isEqualTo("Your email address is being changed");

        Run run = runTool(tool, "user", "update", user.username(), "--email", newEmail);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("updated user " + user.username() + " (" + user.id() + ")" + NL
                + "mailed a link that confirms " + newEmail + " to it, and a notice to the old address" + NL);

        // In force at once, for signing in and in every claim, but not verified.
        assertThat(stored(user).email()).isEqualTo(newEmail);
        assertThat(stored(user).emailVerified()).isFalse();
        assertThat(token.userinfo(accessToken).json()).containsEntry("email", newEmail).containsEntry("email_verified", false);
        TestClient client = server.client().create();
        assertThat(EmailFlows.claims(EmailFlows.tokens(server, client, "openid email", newEmail, TestServer.PASSWORD).get("id_token")))
                .containsEntry("email", newEmail).containsEntry("email_verified", false);
        assertThat(signInStatus(newEmail)).isEqualTo(303);
        assertThat(signInStatus(oldEmail)).isEqualTo(401);

        MailServer.Mail notice = server.mail().next(oldEmail);
        assertThat(notice.subject()).isEqualTo("Your email address was changed");
        assertThat(notice.text()).isEqualTo("Hello Test " + user.username() + ",\n\nAn administrator changed the email address of your "
                + "account " + user.username() + " to " + newEmail + ". Mail about your account now goes there, and no longer to this "
                + "address.\n\nIf you did not ask for this, contact the administrator of this server.\n\n-- \nThis mail was sent by "
                + "Castgate at " + server.issuer() + ". Replies are not read.\n");
        assertThat(notice.html()).contains("<html lang=\"en-US\">").doesNotContain("<a href");
        MailServer.Mail verify = server.mail().next(newEmail);
        assertThat(verify.subject()).isEqualTo("Confirm your email address");
        assertThat(verify.text()).contains("Please confirm that " + newEmail + " is the email address of your account "
                + user.username() + ".");

        // The links out before went to an address, or for a change, that is no longer wanted.
        for (String link : List.of(resetLink, askedLink)) {
            Http.Response withdrawn = Http.browser().get(link);
            assertThat(withdrawn.status()).as(link).isEqualTo(400);
            assertThat(withdrawn.body()).contains("<h1>This link is not valid</h1>");
        }
        assertThat(updates(user)).singleElement().satisfies(e -> {
            assertThat(e.detail()).contains("changed email; email no longer verified; mailed a link to the new address and a notice "
                    + "to the old one");
            assertThat(e.detail().get()).doesNotContain(oldEmail).doesNotContain(newEmail).doesNotContain("token");
        });

        Http.Response done = EmailFlows.confirm(server, Http.browser(), verify.link());
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.body()).contains(newEmail + " is now the confirmed email address of your account.");
        assertThat(stored(user).emailVerified()).isTrue();
        assertThat(token.userinfo(accessToken).json()).containsEntry("email", newEmail).containsEntry("email_verified", true);
        assertThat(EmailFlows.claims(EmailFlows.tokens(server, client, "openid email", newEmail, TestServer.PASSWORD).get("id_token")))
                .containsEntry("email", newEmail).containsEntry("email_verified", true);
    }

    @Test
    void anAddressTheOperatorVouchesForGetsNoLinkAndTheNoticeIsInTheLanguageAskedFor() {
        User user = server.createUser();
        String newEmail = "vouched-" + user.username() + "@example.org";
        Run run = runTool(tool, "user", "update", user.email(), "--email", newEmail, "--email-verified", "--language", "hu-HU", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"email\":\"" + newEmail + "\"").contains("\"email_verified\":true");
        assertThat(run.err()).isEqualTo("mailed a notice to the old address" + NL);

        MailServer.Mail notice = server.mail().next(user.email());
        assertThat(notice.subject()).isEqualTo("Az e-mail-címét módosították");
        assertThat(notice.text()).contains("Egy rendszergazda a(z) " + user.username() + " fiókjának e-mail-címét erre módosította: "
                + newEmail + ".");
        assertThat(notice.html()).contains("<html lang=\"hu-HU\">");
        // No link was made or mailed: after the worker's round, nothing waits and nothing went to the new address.
        // The notice arrives before the worker that sent it marks it done, so that mark is awaited.
        server.sendMail();
        assertThat(Sql.count(server, "SELECT COUNT(*) FROM email_links WHERE user_id = ?", user.id().value())).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Sql.count(server,
                "SELECT COUNT(*) FROM mail_outbox WHERE user_id = ? AND done_at IS NULL", user.id().value())).isZero());
        assertThat(server.mail().to(newEmail)).isEmpty();
        assertThat(stored(user).emailVerified()).isTrue();
        assertThat(updates(user)).singleElement().satisfies(e ->
                assertThat(e.detail()).contains("changed email; mailed a notice to the old address"));
    }

    @Test
    void withoutMailTheChangeIsMadeAndTheOperatorIsToldNoLinkWent() {
        User user = server.createUser();
        String newEmail = "unmailed-" + user.username() + "@example.org";
        // Production without an SMTP server sends no mail at all.
        Tool withoutMail = Tool.forServer(server, dir, Map.of("issuer", "https://login.example.org", "mail.host", ""));
        Run run = runTool(withoutMail, "user", "update", user.username(), "--email", newEmail);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("updated user " + user.username() + " (" + user.id() + ")" + NL + "no mail sent: mail is not set "
                + "up here, so " + newEmail + " stays unverified until 'castgate user verify-email " + user.username() + "'" + NL);
        assertThat(stored(user).email()).isEqualTo(newEmail);
        assertThat(stored(user).emailVerified()).isFalse();
        assertThat(Sql.count(server, "SELECT COUNT(*) FROM mail_outbox WHERE user_id = ?", user.id().value())).isZero();
        assertThat(updates(user)).singleElement().satisfies(e ->
                assertThat(e.detail()).contains("changed email; email no longer verified; no mail (mail is not set up)"));
    }

    @Test
    void changesWithoutANewEmailMailNothingAndAnUnknownLanguageIsRefused() {
        User user = server.createUser();
        Run refused = runTool(tool, "user", "update", user.username(), "--email", "other-" + user.email(), "--language", "fr");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).isEqualTo("castgate: --language must be one of en_US, hu_HU, de_DE, not 'fr'" + NL);
        assertThat(stored(user)).isEqualTo(user);

        Run renamed = runTool(tool, "user", "update", user.username(), "--name", "Renamed", "--email", user.email().toUpperCase());
        assertThat(renamed.exit()).as(renamed.err()).isZero();
        assertThat(renamed.out()).isEqualTo("updated user " + user.username() + " (" + user.id() + ")" + NL);
        assertThat(stored(user).emailVerified()).isTrue();
        assertThat(Sql.count(server, "SELECT COUNT(*) FROM mail_outbox WHERE user_id = ?", user.id().value())).isZero();
    }
}
