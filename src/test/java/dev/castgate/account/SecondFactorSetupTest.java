package dev.castgate.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.Authenticator;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two-step sign-in on the account page, over HTTP: set up with a QR code and the key as text,
 * confirmed with a first code, ten recovery codes shown once and stored hashed; new recovery
 * codes and turning it off, both with the password.
 */
class SecondFactorSetupTest {
    @CastgateServer static TestServer server;

    private static Map<String, String> form(Http.Response page, String... fields) {
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.putAll(Http.form(fields));
        return form;
    }

    private static List<String> auditFor(User user, AuditEvent.Type type) {
        return server.database().stores().audit().list(Instant.EPOCH, 1000).stream()
                .filter(e -> e.userId().equals(Optional.of(user.id())) && e.type() == type)
                .map(e -> e.outcome() + " " + e.detail().orElse("")).toList();
    }

    @Test
    void turningOnShowsTheKeyAsAQrCodeAndAsTextAndNeedsARightFirstCode() {
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        assertThat(account.body()).contains("<h2>Two-step sign-in</h2>")
                .contains("Off. Add a code from an authenticator app on your phone to your password.");

        Http.Response setup = browser.postForm(server.url("/account/second-factor/begin"), form(account));
        assertThat(setup.status()).isEqualTo(200);
        assertThat(setup.body()).contains("<h1>Turn on two-step sign-in</h1>").contains("<label for=\"code\">Code the app shows</label>");
        String secret = Authenticator.secretOn(setup.body());
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(setup.body()).contains("<code>" + secret.substring(0, 4) + " " + secret.substring(4, 8) + " ");
        // The QR code, drawn on the server, holds the key for an authenticator app to read.
        assertThat(Authenticator.qrCodeOn(setup.body())).isEqualTo("otpauth://totp/127.0.0.1:" + user.username() + "?secret=" + secret
                + "&issuer=127.0.0.1&algorithm=SHA1&digits=6&period=30");

        Authenticator app = new Authenticator(secret, server.clock());
        Http.Response wrong = browser.postForm(server.url("/account/second-factor/confirm"), form(setup, "code", app.wrongCode()));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("That code is not correct. Enter the code the app shows now for this key.");
        assertThat(Authenticator.secretOn(wrong.body())).as("the same key, shown again").isEqualTo(secret);
        assertThat(browser.get(server.url("/account")).body()).contains("Off. Add a code");

        Http.Response on = browser.postForm(server.url("/account/second-factor/confirm"), form(wrong, "code", app.code()));
        assertThat(on.status()).isEqualTo(200);
        assertThat(on.body()).contains("<h1>Two-step sign-in is on</h1>")
                .contains("From now on you will be asked for a code after your password.");
        List<String> codes = Authenticator.recoveryCodesOn(on.body());
        assertThat(codes).hasSize(10).doesNotHaveDuplicates();
        assertThat(browser.get(server.url("/account")).body())
                .contains("On: you are asked for a code from your authenticator app after your password.")
                .contains("10 of your recovery codes are left.")
                .doesNotContain("action=\"/account/second-factor/begin\"");

        // Recovery codes are kept as hashes only.
        assertThat(server.database().count("recovery_codes")).isGreaterThanOrEqualTo(10);
        // The key is stored encrypted (AES-256-GCM, README Keys at rest), never as the page showed it.
        String stored = server.database().stores().secondFactors().find(user.id()).orElseThrow().secret();
        assertThat(stored).startsWith("v1:").doesNotContain(secret);
        assertThat(auditFor(user, AuditEvent.Type.SECOND_FACTOR_ENABLED)).containsExactly("FAILURE wrong first code", "SUCCESS ");
    }

    @Test
    void beginningAgainReplacesAKeyNotYetConfirmed() {
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Http.Response first = browser.postForm(server.url("/account/second-factor/begin"), form(account));
        Http.Response second = browser.postForm(server.url("/account/second-factor/begin"), form(account));
        String firstSecret = Authenticator.secretOn(first.body());
        assertThat(Authenticator.secretOn(second.body())).isNotEqualTo(firstSecret);

        Http.Response stale = browser.postForm(server.url("/account/second-factor/confirm"),
                form(first, "code", new Authenticator(firstSecret, server.clock()).code()));
        assertThat(stale.status()).isEqualTo(400);
        assertThat(Authenticator.secretOn(stale.body())).as("the set-up under way").isEqualTo(Authenticator.secretOn(second.body()));
    }

    @Test
    void aSecondSetUpIsRefusedWhileItIsOn() {
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Authenticator.enable(server, browser);
        Http.Response again = browser.postForm(server.url("/account/second-factor/begin"), form(account));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("Two-step sign-in is already on.").doesNotContain("class=\"secret\"");
    }

    @Test
    void turningOffNeedsThePassword() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Authenticator.enable(server, browser);
        Http.Response account = browser.get(server.url("/account"));
        assertThat(account.body()).contains("<label for=\"second_factor_password\">Your password, to confirm</label>")
                .contains("formaction=\"/account/second-factor/disable\"");

        Http.Response missing = browser.postForm(server.url("/account/second-factor/disable"), form(account));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("Enter your password to confirm.");
        Http.Response wrong = browser.postForm(server.url("/account/second-factor/disable"),
                form(account, "current_password", "not the password"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("The current password is not correct.").contains("10 of your recovery codes are left.");

        Http.Response off = browser.postForm(server.url("/account/second-factor/disable"),
                form(account, "current_password", TestServer.PASSWORD));
        assertThat(off.status()).isEqualTo(200);
        assertThat(off.body()).contains("Two-step sign-in is off.").contains("Off. Add a code");
        assertThat(server.database().stores().secondFactors().find(user.id())).isEmpty();
        assertThat(server.database().stores().secondFactors().unusedRecoveryCodes(user.id())).isZero();
        assertThat(auditFor(user, AuditEvent.Type.SECOND_FACTOR_DISABLED)).containsExactly("SUCCESS ");

        // The next sign-in asks for no code: the password alone signs in.
        Accounts.signIn(server, Http.browser(), user.username(), TestServer.PASSWORD);
    }

    @Test
    void newRecoveryCodesNeedThePasswordAndReplaceTheOldOnes() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Authenticator.Enabled enabled = Authenticator.enable(server, browser);
        Http.Response account = browser.get(server.url("/account"));

        Http.Response wrong = browser.postForm(server.url("/account/second-factor/recovery-codes"),
                form(account, "current_password", "not the password"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(Authenticator.recoveryCodesOn(wrong.body())).isEmpty();

        Http.Response fresh = browser.postForm(server.url("/account/second-factor/recovery-codes"),
                form(account, "current_password", TestServer.PASSWORD));
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(fresh.body()).contains("<h1>New recovery codes</h1>").contains("Your earlier recovery codes no longer work.");
        List<String> codes = Authenticator.recoveryCodesOn(fresh.body());
        assertThat(codes).hasSize(10).doesNotContainAnyElementsOf(enabled.recoveryCodes());
        assertThat(auditFor(user, AuditEvent.Type.RECOVERY_CODES_CREATED)).containsExactly("SUCCESS ");

        // An old code no longer signs in; a new one does.
        Http other = Http.browser();
        Http.Response page = other.get(server.url("/account"));
        Http.Response codePage = other.postForm(server.url("/account/login"),
                form(page, "username", user.username(), "password", TestServer.PASSWORD));
        Http.Response old = other.postForm(server.url("/account/login"), form(codePage, "code", enabled.recoveryCodes().get(0)));
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.body()).contains("That code is not correct.");
        Http.Response signedIn = other.postForm(server.url("/account/login"), form(old, "code", codes.get(0)));
        assertThat(signedIn.status()).isEqualTo(303);
        assertThat(other.get(server.url("/account")).body()).contains("9 of your recovery codes are left.");
    }

    @Test
    void theFormsNeedTheSignedInPersonsFormToken() {
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Map<String, String> forged = form(account);
        forged.put("csrf_token", "forged");
        Http.Response refused = browser.postForm(server.url("/account/second-factor/begin"), forged);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(server.database().stores().secondFactors().find(user.id())).isEmpty();
    }
}
