package dev.castgate.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The landing page speaks only in its own words (security review §14): the message comes from the
 * registered error code's own text; what the address carries is shown as data, marked as what the
 * client received and unchecked, and free text such as error_description only in a collapsed
 * technical-detail block.
 */
class LandingPageContentTest {
    @CastgateServer static TestServer server;

    private static final String PHISHING = "Your Castgate account is suspended. Call +1-555-0100 or visit https://castgate-support.example";

    private static String landing(Map<String, String> query, String... headers) {
        Http.Response page = Http.browser().get(server.url("/oauth2/redirect") + "?" + Http.encode(query), headers);
        assertThat(page.status()).isEqualTo(200);
        return page.body();
    }

    /** The part of the page before the block of received values: only the server's own words. */
    private static String ownWords(String body) {
        int received = body.indexOf("<section class=\"received\"");
        assertThat(received).as("a marked block of received values").isPositive();
        return body.substring(0, received);
    }

    @Test
    void aRegisteredErrorIsExplainedInTheServersOwnWords() {
        String body = landing(Http.form("error", "access_denied", "error_description", PHISHING, "state", "s1"));
        assertThat(ownWords(body)).contains("<h1>Authorization not completed</h1>")
                .contains("The sign-in or the request was declined.").doesNotContain("suspended").doesNotContain("555");
        assertThat(body).contains("What this address carries")
                .contains("Castgate has not checked them")
                .contains("<code id=\"error\">access_denied</code>").contains("<code id=\"state\">s1</code>");
        // The description only inside the collapsed technical detail, marked as unchecked.
        int details = body.indexOf("<details>");
        assertThat(details).isPositive();
        assertThat(body.indexOf("suspended")).isGreaterThan(details);
        assertThat(body.substring(details)).contains("Technical detail (not checked)").contains("<code id=\"error_description\">");
    }

    @Test
    void anUnregisteredErrorCodeIsNotShownAsAnError() {
        String body = landing(Http.form("error", "account_suspended_call_555_0100", "error_description", PHISHING));
        assertThat(ownWords(body)).contains("an error that is not a standard one").doesNotContain("account_suspended")
                .doesNotContain("555");
        int details = body.indexOf("<details>");
        assertThat(details).isPositive();
        assertThat(body.indexOf("account_suspended")).isGreaterThan(details);
    }

    @Test
    void theErrorTextsSpeakThePagesLanguages() {
        assertThat(ownWords(landing(Http.form("error", "login_required", "lang", "de_DE"))))
                .contains("Niemand ist angemeldet");
        assertThat(ownWords(landing(Http.form("error", "consent_required", "lang", "hu_HU"))))
                .contains("jóváhagyási oldal");
    }

    @Test
    void aCodeIsStillShownForCopying() {
        String body = landing(Http.form("code", "abc123", "state", "XYZ", "iss", server.issuer()));
        assertThat(ownWords(body)).contains("<h1>Authorization code received</h1>").doesNotContain("XYZ");
        assertThat(body).contains("<code id=\"code\">abc123</code>").contains("<code id=\"state\">XYZ</code>")
                .doesNotContain("<details>");
    }
}
