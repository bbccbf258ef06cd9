package dev.castgate.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.SoftPasskey;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Adding and removing passkeys on the account page over HTTP, the answers built by a software
 * passkey: the password first, a creation page whose challenge is bound to the account and the
 * session and is answered once, the origin checked, and each change audited.
 */
class PasskeyRegistrationTest {
    @CastgateServer static TestServer server;

    private static List<String> auditFor(User user, AuditEvent.Type type) {
        return server.database().stores().audit().list(Instant.EPOCH, 1000).stream()
                .filter(e -> e.userId().equals(Optional.of(user.id())) && e.type() == type)
                .map(e -> e.outcome() + " " + e.detail().orElse("")).toList();
    }

    private static Map<String, String> form(Http.Response page, Map<String, String> fields) {
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.putAll(fields);
        return form;
    }

    private static String csp(Http.Response page) { return page.header("Content-Security-Policy").orElseThrow(); }

    @Test
    void aPasskeyIsAddedWithThePasswordOnAPageThatMayRunOnlyTheServersScript() {
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        assertThat(account.body()).contains("<h2>Passkeys</h2>").contains("None yet.").doesNotContain("<script");
        assertThat(csp(account)).doesNotContain("script-src");

        Http.Response setup = SoftPasskey.begin(server, browser, "Work laptop");
        assertThat(setup.body()).contains("<title>Add a passkey · Castgate</title>")
                .contains("<script src=\"/static/passkeys.js\" defer></script>")
                .contains("Create the passkey \"Work laptop\" with your device")
                .contains("<input type=\"hidden\" name=\"name\" value=\"Work laptop\">");
        assertThat(csp(setup)).isEqualTo("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
                + "frame-ancestors 'none'; base-uri 'none'");
        JsonNode options = SoftPasskey.options(setup, "create");
        assertThat(options.path("rp").path("id").asText()).isEqualTo("127.0.0.1");
        assertThat(options.path("user").path("id").asText()).isEqualTo(SoftPasskey.encode(user.id().value().getBytes()));
        assertThat(options.path("user").path("name").asText()).isEqualTo(user.username());
        assertThat(options.path("exclude").isEmpty()).isTrue();
        assertThat(options.path("timeout").asLong()).isEqualTo(300_000);

        SoftPasskey passkey = new SoftPasskey(server.issuer());
        Http.Response added = browser.postForm(server.url("/account/passkeys/register"),
                form(setup, passkey.register(options, server.issuer())));
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.body()).contains("Passkey \"Work laptop\" added.").contains("<strong>Work laptop</strong>")
                .contains("Last used: never").contains("name=\"passkey\" value=\"" + passkey.id() + "\"");
        assertThat(auditFor(user, AuditEvent.Type.PASSKEY_REGISTERED)).containsExactly("SUCCESS user verified");
        List<Map<String, Object>> rows = dev.castgate.testing.Sql.rows(server,
                "SELECT credential_id, sign_count, transports, name FROM passkeys WHERE user_id = ?", user.id().value());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("credential_id", passkey.id()).containsEntry("transports", "hybrid internal")
                .containsEntry("name", "Work laptop");

        // A second passkey: the first is excluded from the new ceremony, so an authenticator does not make it twice.
        Http.Response again = SoftPasskey.begin(server, browser, "Phone");
        assertThat(SoftPasskey.options(again, "create").path("exclude").get(0).asText()).isEqualTo(passkey.id());
    }

    @Test
    void beginningNeedsANameAndTheRightPassword() {
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);

        Http.Response noName = browser.postForm(server.url("/account/passkeys/begin"),
                form(account, Http.form("name", "  ", "current_password", TestServer.PASSWORD)));
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.body()).contains("Give the passkey a name of 1 to 64 characters.");
        Http.Response tooLong = browser.postForm(server.url("/account/passkeys/begin"),
                form(account, Http.form("name", "x".repeat(65), "current_password", TestServer.PASSWORD)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body()).contains("Give the passkey a name of 1 to 64 characters.");
        Http.Response noPassword = browser.postForm(server.url("/account/passkeys/begin"), form(account, Http.form("name", "Laptop")));
        assertThat(noPassword.status()).isEqualTo(400);
        assertThat(noPassword.body()).contains("Enter your password to confirm.").doesNotContain("data-passkey");
        Http.Response wrong = browser.postForm(server.url("/account/passkeys/begin"),
                form(account, Http.form("name", "Laptop", "current_password", "not the password")));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("The current password is not correct.").doesNotContain("data-passkey");

        // Without a session the form leads back to the account page's sign-in.
        Http stranger = Http.browser();
        Http.Response signInPage = stranger.get(server.url("/account"));
        Http.Response away = stranger.postForm(server.url("/account/passkeys/begin"),
                form(signInPage, Http.form("name", "Laptop", "current_password", TestServer.PASSWORD)));
        assertThat(away.status()).isEqualTo(303);
        assertThat(away.location()).isEqualTo("/account?lang=en_US");
    }

    @Test
    void aRegistrationIsRefusedForAnotherOriginAReplayedChallengeAnotherSessionOrAnIncompleteAnswer() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);

        Http.Response setup = SoftPasskey.begin(server, browser, "Laptop");
        Http.Response otherOrigin = browser.postForm(server.url("/account/passkeys/register"),
                form(setup, new SoftPasskey(server.issuer()).register(SoftPasskey.options(setup, "create"), "https://evil.example")));
        assertThat(otherOrigin.status()).isEqualTo(400);
        assertThat(otherOrigin.body()).contains("The passkey could not be added. Try again.").contains("data-passkey=\"create\"");
        // The answered challenge is used up, whatever was wrong: the same one, from the right origin now, is refused too.
        Http.Response replayed = browser.postForm(server.url("/account/passkeys/register"),
                form(setup, new SoftPasskey(server.issuer()).register(SoftPasskey.options(setup, "create"), server.issuer())));
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(replayed.body()).contains("The passkey could not be added. Try again.");

        // A challenge shown in one session does not register a passkey in another session of the same account.
        Http other = Http.browser();
        Accounts.signIn(server, other, user.username(), TestServer.PASSWORD);
        Http.Response foreign = SoftPasskey.begin(server, browser, "Laptop");
        Http.Response otherPage = other.get(server.url("/account"));
        Map<String, String> crossed = HtmlForms.hiddenFields(otherPage.body());
        crossed.put("name", "Laptop");
        crossed.putAll(new SoftPasskey(server.issuer()).register(SoftPasskey.options(foreign, "create"), server.issuer()));
        Http.Response crossedAnswer = other.postForm(server.url("/account/passkeys/register"), crossed);
        assertThat(crossedAnswer.status()).isEqualTo(400);
        assertThat(crossedAnswer.body()).contains("The passkey could not be added. Try again.");

        // A challenge past its five minutes.
        Http.Response late = SoftPasskey.begin(server, browser, "Laptop");
        server.clock().advance(Duration.ofMinutes(5));
        Http.Response expired = browser.postForm(server.url("/account/passkeys/register"),
                form(late, new SoftPasskey(server.issuer()).register(SoftPasskey.options(late, "create"), server.issuer())));
        assertThat(expired.status()).isEqualTo(400);

        Http.Response fresh = SoftPasskey.begin(server, browser, "Laptop");
        Map<String, String> incomplete = form(fresh, new SoftPasskey(server.issuer()).register(SoftPasskey.options(fresh, "create"),
                server.issuer()));
        incomplete.remove("passkey_attestation");
        Http.Response broken = browser.postForm(server.url("/account/passkeys/register"), incomplete);
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.body()).contains("The passkey's answer was incomplete. Try again.");
        incomplete.put("passkey_attestation", "not*base64");
        assertThat(browser.postForm(server.url("/account/passkeys/register"), incomplete).status()).isEqualTo(400);

        assertThat(server.database().stores().passkeys().list(user.id())).isEmpty();
        assertThat(auditFor(user, AuditEvent.Type.PASSKEY_REGISTERED)).containsExactly(
                "FAILURE refused: BadOriginException",
                "FAILURE challenge not this page's, expired or used",
                "FAILURE challenge not this page's, expired or used",
                "FAILURE challenge not this page's, expired or used");
    }

    @Test
    void aPasskeyIsRemovedWithThePasswordAndOnlyByItsAccount() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        SoftPasskey passkey = SoftPasskey.add(server, browser, "Laptop");
        Http.Response account = browser.get(server.url("/account"));
        assertThat(account.body()).contains("Your password, to remove Laptop");

        Http.Response wrong = browser.postForm(server.url("/account/passkeys/remove"),
                form(account, Http.form("passkey", passkey.id(), "current_password", "not the password")));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("The current password is not correct.");
        assertThat(server.database().stores().passkeys().list(user.id())).hasSize(1);

        // Another account's passkey is answered as one that is not there.
        User other = server.createUser();
        Http otherBrowser = Http.browser();
        Http.Response otherAccount = Accounts.signIn(server, otherBrowser, other.username(), TestServer.PASSWORD);
        Http.Response notTheirs = otherBrowser.postForm(server.url("/account/passkeys/remove"),
                form(otherAccount, Http.form("passkey", passkey.id(), "current_password", TestServer.PASSWORD)));
        assertThat(notTheirs.status()).isEqualTo(409);
        assertThat(notTheirs.body()).contains("That passkey is not on your account.");
        assertThat(server.database().stores().passkeys().list(user.id())).hasSize(1);

        Http.Response removed = browser.postForm(server.url("/account/passkeys/remove"),
                form(account, Http.form("passkey", passkey.id(), "current_password", TestServer.PASSWORD)));
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.body()).contains("Passkey \"Laptop\" removed.").contains("None yet.");
        Http.Response again = browser.postForm(server.url("/account/passkeys/remove"),
                form(account, Http.form("passkey", passkey.id(), "current_password", TestServer.PASSWORD)));
        assertThat(again.status()).isEqualTo(409);
        assertThat(auditFor(user, AuditEvent.Type.PASSKEY_REMOVED)).containsExactly("SUCCESS ");
    }
}
