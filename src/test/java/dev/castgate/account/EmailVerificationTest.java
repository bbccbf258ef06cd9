package dev.castgate.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Email verification over HTTP with a real mail server: the link a sign-up mails, what following
 * it does (once, within 24 hours), Send again and its limit, and {@code email_verified} in the ID
 * token and at userinfo before and after.
 */
class EmailVerificationTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    @CastgateServer(mail = true) static TestServer server;

    private static String newName() { return "verify" + SEQUENCE.incrementAndGet() + "z" + Long.toHexString(System.nanoTime() & 0xfffff); }

    private static User stored(TestServer on, String email) {
        return on.database().stores().users().findByLogin(email).orElseThrow();
    }

    @Test
    void signUpMailsALinkThatConfirmsTheAddressOnceAndTheClaimsFollow() {
        String username = newName();
        String email = username + "@example.com";
        assertThat(EmailFlows.signUp(server, Http.browser(), username, email, "en_US").status()).isEqualTo(303);

        MailServer.Mail mail = server.mail().next(email);
        assertThat(mail.subject()).isEqualTo("Confirm your email address");
        assertThat(mail.header("From")).isEqualTo(MailServer.FROM);
        assertThat(mail.header("Auto-Submitted")).isEqualTo("auto-generated");
        String link = mail.link();
        assertThat(link).matches(Pattern.quote(server.url("/verify-email?token=")) + "[A-Za-z0-9_-]{43}&lang=en_US");
        assertThat(mail.text()).isEqualTo("Hello " + username + ",\n\nPlease confirm that " + email + " is the email address of your account "
                + username + ".\n\nConfirm your email address:\n" + link + "\n\nThe link works once, for 24 hours. If you did not create an "
                + "account or change its email address, ignore this mail: nothing changes.\n\n-- \nThis mail was sent by Castgate at "
                + server.issuer() + ". Replies are not read.\n");
        assertThat(mail.html()).contains("<html lang=\"en-US\">").contains("<title>Confirm your email address</title>")
                .contains("<a href=\"" + link.replace("&", "&amp;") + "\"").contains(">Confirm your email address</a>");

        TestClient client = server.client().create();
        Map<String, Object> before = EmailFlows.tokens(server, client, "openid email", username, TestServer.PASSWORD);
        assertThat(EmailFlows.claims(before.get("id_token"))).containsEntry("email", email).containsEntry("email_verified", false);
        String accessToken = (String) before.get("access_token");
        assertThat(Accounts.userinfo(server, accessToken).json()).containsEntry("email_verified", false);

        // Opening the link changes nothing (mail scanners open links); its button confirms. No sign-in is needed.
        Http anyBrowser = Http.browser();
        Http.Response page = anyBrowser.get(link);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Confirm your email address</h1>")
                .contains("Confirm that " + email + " is the email address of your account " + username + ".")
                .contains(">Confirm the email address</button>");
        assertThat(anyBrowser.get(link).status()).isEqualTo(200);
        assertThat(stored(server, email).emailVerified()).isFalse();

        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        Http.Response done = anyBrowser.postForm(server.url("/verify-email"), form);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.body()).contains("<h1>Your email address is confirmed</h1>")
                .contains(email + " is now the confirmed email address of your account.").contains("href=\"/account?lang=en_US\"");
        assertThat(stored(server, email).emailVerified()).isTrue();

        assertThat(Accounts.userinfo(server, accessToken).json()).containsEntry("email", email).containsEntry("email_verified", true);
        Map<String, Object> after = EmailFlows.tokens(server, client, "openid email", username, TestServer.PASSWORD);
        assertThat(EmailFlows.claims(after.get("id_token"))).containsEntry("email", email).containsEntry("email_verified", true);

        // Once only.
        Http.Response reopened = anyBrowser.get(link);
        assertThat(reopened.status()).isEqualTo(400);
        assertThat(reopened.body()).contains("<h1>This link was used already</h1>")
                .contains("Each link works only once. Ask for a new one if you still need it.");
        Http.Response reposted = anyBrowser.postForm(server.url("/verify-email"), form);
        assertThat(reposted.status()).isEqualTo(400);
        assertThat(reposted.body()).contains("<h1>This link was used already</h1>");
        User user = stored(server, email);
        assertThat(server.database().stores().audit().list(Instant.EPOCH, 10000)).filteredOn(e -> e.userId().equals(Optional.of(user.id())))
                .extracting(e -> e.type() + " " + e.outcome() + " " + e.detail().orElse(""))
                .contains("SIGN_UP SUCCESS " + username, "EMAIL_VERIFICATION_SENT SUCCESS after sign-up",
                        "EMAIL_VERIFIED SUCCESS the account's address", "EMAIL_VERIFIED FAILURE link used already");
    }

    @Test
    void theLinkWorksFor24Hours(@CastgateServer(mail = true) TestServer own) {
        String username = newName();
        String email = username + "@example.com";
        assertThat(EmailFlows.signUp(own, Http.browser(), username, email, "en_US").status()).isEqualTo(303);
        String link = own.mail().next(email).link();

        Http browser = Http.browser();
        own.clock().advance(Duration.ofHours(24).minusMinutes(1));
        Http.Response page = browser.get(link);
        assertThat(page.status()).isEqualTo(200);
        own.clock().advance(Duration.ofMinutes(2));
        Http.Response late = browser.postForm(own.url("/verify-email"), HtmlForms.hiddenFields(page.body()));
        assertThat(late.status()).isEqualTo(400);
        assertThat(late.body()).contains("<h1>This link has expired</h1>").contains("The link is too old to use. Ask for a new one.")
                .contains("<a href=\"/account?lang=en_US\">Go to your account</a>");
        assertThat(browser.get(link).body()).contains("<h1>This link has expired</h1>");
        assertThat(stored(own, email).emailVerified()).isFalse();
    }

    @Test
    void aLinkThatIsIncompleteOrMadeUpIsAClearPage() {
        for (String token : List.of("", "abc", "A".repeat(43), "A".repeat(42) + "!", "x".repeat(3000))) {
            Http.Response page = Http.browser().get(server.url("/verify-email?token=" + token));
            assertThat(page.status()).as(token).isEqualTo(400);
            assertThat(page.body()).contains("<h1>This link is not valid</h1>")
                    .contains("The link is incomplete or no longer exists. Copy the whole link from the mail, or ask for a new one.");
        }
        assertThat(Http.browser().get(server.url("/verify-email")).status()).isEqualTo(400);

        // A recovery link's token is no verification link.
        User user = server.createUser();
        Http.Response asked = EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", user.username());
        assertThat(asked.status()).isEqualTo(200);
        String resetLink = server.mail().next(user.email()).link();
        String token = resetLink.substring(resetLink.indexOf("token=") + 6, resetLink.indexOf('&'));
        assertThat(Http.browser().get(server.url("/verify-email?token=" + token)).body()).contains("<h1>This link is not valid</h1>");
    }

    @Test
    void confirmingNeedsTheFormsCsrfToken() {
        String username = newName();
        String email = username + "@example.com";
        EmailFlows.signUp(server, Http.browser(), username, email, "en_US");
        String link = server.mail().next(email).link();
        Http browser = Http.browser();
        Map<String, String> form = HtmlForms.hiddenFields(browser.get(link).body());
        form.put("csrf_token", "f".repeat(43));
        Http.Response forged = browser.postForm(server.url("/verify-email"), form);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("This form has expired");
        assertThat(stored(server, email).emailVerified()).isFalse();
    }

    @Test
    void sendAgainMailsANewLinkWithinTheAccountsAllowance(
            @CastgateServer(value = "CASTGATE_MAIL_MAX_LINKS_PER_ACCOUNT=2", mail = true) TestServer own) {
        String username = newName();
        String email = username + "@example.com";
        Http browser = Http.browser();
        assertThat(EmailFlows.signUp(own, browser, username, email, "en_US").status()).isEqualTo(303);
        String first = own.mail().next(email).link();

        Http.Response account = browser.get(own.url("/account"));
        assertThat(account.body()).contains("Your email address is not verified.")
                .contains("<form method=\"post\" action=\"/account/email/resend\">").contains(">Send the link again</button>");
        for (int i = 0; i < 2; i++) {
            Http.Response resent = browser.postForm(own.url("/account/email/resend"), Http.form("csrf_token", Accounts.csrf(account)));
            assertThat(resent.status()).isEqualTo(200);
            assertThat(resent.body()).contains("We mailed a new link to " + email + ".");
            assertThat(own.mail().next(email).link()).isNotEqualTo(first);
        }
        Http.Response refused = browser.postForm(own.url("/account/email/resend"), Http.form("csrf_token", Accounts.csrf(account)));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body()).contains("We mailed you several links already. Wait 15 minutes and try again.");

        // Every link mailed works until one is used.
        assertThat(EmailFlows.confirm(own, Http.browser(), first).status()).isEqualTo(200);
        Http.Response verified = browser.get(own.url("/account"));
        assertThat(verified.body()).contains("Your email address is verified.").doesNotContain("Send the link again");
        Http.Response already = browser.postForm(own.url("/account/email/resend"), Http.form("csrf_token", Accounts.csrf(verified)));
        assertThat(already.status()).isEqualTo(200);
        assertThat(already.body()).contains("Your email address is confirmed already.");

        own.sendMail();
        assertThat(own.mail().to(email)).as("the refused request mailed nothing").hasSize(3);
    }

    @Test
    void theMailAndItsPageAreInTheLanguageOfTheSignUpPage() {
        String username = newName();
        String email = username + "@example.com";
        EmailFlows.signUp(server, Http.browser(), username, email, "hu_HU");
        MailServer.Mail hu = server.mail().next(email);
        assertThat(hu.subject()).isEqualTo("Erősítse meg az e-mail-címét");
        assertThat(hu.text()).startsWith("Kedves " + username + "!\n\nKérjük, erősítse meg, hogy a(z) " + email)
                .contains("E-mail-cím megerősítése:\n");
        assertThat(hu.link()).endsWith("&lang=hu_HU");
        assertThat(hu.html()).contains("<html lang=\"hu-HU\">");
        assertThat(Http.browser().get(hu.link()).body()).contains("<html lang=\"hu-HU\">").contains("<h1>E-mail-cím megerősítése</h1>")
                .contains(">E-mail-cím megerősítése</button>");

        String german = newName();
        EmailFlows.signUp(server, Http.browser(), german, german + "@example.com", "de_DE");
        MailServer.Mail de = server.mail().next(german + "@example.com");
        assertThat(de.subject()).isEqualTo("Bestätigen Sie Ihre E-Mail-Adresse");
        assertThat(de.text()).startsWith("Hallo " + german + ",\n\nBitte bestätigen Sie, dass " + german + "@example.com");
        assertThat(Http.browser().get(de.link()).body()).contains("<h1>E-Mail-Adresse bestätigen</h1>");
    }
}
