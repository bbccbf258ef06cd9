package dev.castgate.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.EmailFlows;
import dev.castgate.testing.Http;
import dev.castgate.testing.MailServer;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import dev.castgate.testing.Tool.Run;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person's own text does in a mail: a display name with markup is text in the HTML part
 * (escaped) and in the plain one (as typed), and never reaches a header; an address with a line
 * break, which could add headers or recipients, is refused wherever an address is set.
 */
class MailContentTest {
    private static final String NAME = "<script>alert(1)</script> & \"Co\"";

    @CastgateServer(mail = true) static TestServer server;
    @TempDir static Path dir;

    private static List<String> headerLines(MailServer.Mail mail) {
        try {
            List<String> lines = new ArrayList<>();
            for (Header header : Collections.list(mail.raw().getAllHeaders())) lines.add(header.getName() + ": " + header.getValue());
            return lines;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aNameWithMarkupIsEscapedInTheHtmlAndKeptOutOfTheHeaders() {
        User user = server.createUser();
        assertThat(server.database().stores().users().updateProfile(user.id(), Optional.of(NAME), user.email(), true, java.time.Instant.now())).isTrue();
        assertThat(EmailFlows.requestRecovery(server, Http.browser(), "/forgot-password", user.username()).status()).isEqualTo(200);

        MailServer.Mail mail = server.mail().next(user.email());
        // Quotes need no escaping in element text; the markup and the ampersand do.
        assertThat(mail.html()).contains("<p>Hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; \"Co\",</p>").doesNotContain("<script");
        assertThat(mail.text()).startsWith("Hello " + NAME + ",\n\n");
        assertThat(mail.subject()).isEqualTo("Reset your password");
        assertThat(mail.header("To")).isEqualTo(user.email());
        assertThat(headerLines(mail)).noneMatch(line -> line.contains("script") || line.contains("Co\""));
    }

    @Test
    void anAddressWithALineBreakIsRefusedWhereverAnAddressIsSet() {
        String injected = "someone@example.com\r\nBcc: collector@example.org";
        // Sign-up.
        Http.Response signUp = EmailFlows.signUp(server, Http.browser(), "linebreak" + Long.toHexString(System.nanoTime() & 0xffff),
                injected, "en_US");
        assertThat(signUp.status()).isEqualTo(400);
        assertThat(signUp.body()).contains("Enter a valid email address.");
        // The account page.
        User user = server.createUser();
        Http browser = Http.browser();
        Http.Response account = Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Http.Response change = browser.postForm(server.url("/account/profile"), Http.form("csrf_token", Accounts.csrf(account),
                "name", "", "email", injected, "current_password", TestServer.PASSWORD));
        assertThat(change.status()).isEqualTo(400);
        assertThat(change.body()).contains("Enter a valid email address.");
        // The operator's tool.
        Run run = Tool.forServer(server, dir).run("user", "update", user.username(), "--email", injected);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("castgate: '" + injected + "' is not an email address" + System.lineSeparator());
        assertThat(server.database().stores().users().find(user.id()).orElseThrow().email()).isEqualTo(user.email());
        assertThat(server.mail().to("collector@example.org")).isEmpty();
    }
}
