package dev.castgate.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.admin.AdminException;
import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.token.TokenRequests;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The built-in landing page, GET /oauth2/redirect: a registrable redirect URI that shows what it received. */
class LandingPageTest {
    @CastgateServer static TestServer server;

    private static Http.Response landing(Map<String, String> query, String... headers) {
        return Http.browser().get(server.url("/oauth2/redirect") + (query.isEmpty() ? "" : "?" + Http.encode(query)), headers);
    }

    @Test
    void aCodeFlowEndsOnTheLandingPageWhichShowsTheCode() {
        User user = server.createUser();
        String landing = server.url("/oauth2/redirect");
        TestClient client = server.client().redirectUris(landing).create();
        Http.Response redirect = new BrowserFlow(server).authorize(Http.form("client_id", client.id(), "redirect_uri", landing,
                "response_type", "code", "state", "XYZ"), user.username(), TestServer.PASSWORD);
        assertThat(redirect.location()).startsWith(landing + "?code=");
        String code = redirect.locationParams().get("code");

        Http.Response page = Http.browser().get(redirect.location());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.header("Cache-Control")).hasValue("no-store");
        assertThat(page.header("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("frame-ancestors 'none'"));
        assertThat(page.body()).contains("<h1>Authorization code received</h1>")
                .contains("<code id=\"code\">" + code + "</code>").contains("<code id=\"state\">XYZ</code>");

        // The code shown is a real one.
        Http.Response tokens = new TokenRequests(server).post(client, Http.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", landing));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    }

    @Test
    void anImplicitTokenIsShown() {
        User user = server.createUser();
        String landing = server.url("/oauth2/redirect");
        TestClient client = server.client().allowImplicit().redirectUris(landing).create();
        Http.Response redirect = new BrowserFlow(server).authorize(Http.form("client_id", client.id(), "redirect_uri", landing,
                "response_type", "token", "state", "s1"), user.username(), TestServer.PASSWORD);
        Http.Response page = Http.browser().get(redirect.location());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Access token received</h1>")
                .contains("<code id=\"access_token\">" + redirect.locationParams().get("access_token") + "</code>")
                .contains("<code id=\"token_type\">bearer</code>").contains("<code id=\"expires_in\">86400</code>");
    }

    @Test
    void anErrorIsShownEscaped() {
        Http.Response page = landing(Http.form("error", "access_denied", "error_description", "<b>the user denied</b>", "state", "s"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Authorization not completed</h1>").contains("<code id=\"error\">access_denied</code>")
                .contains("&lt;b&gt;the user denied&lt;/b&gt;").doesNotContain("<b>the user");
    }

    @Test
    void withNothingItSaysSo() {
        Http.Response page = landing(Map.of());
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("<h1>Nothing received</h1>");
        // Parameters it does not know are not shown.
        assertThat(landing(Http.form("evil", "<script>")).body()).doesNotContain("evil").doesNotContain("<script>");
    }

    @Test
    void itSpeaksThePagesLanguages() {
        assertThat(landing(Http.form("code", "abc", "lang", "hu_HU")).body()).contains("<h1>Engedélyezési kód megérkezett</h1>")
                .contains("<html lang=\"hu-HU\">");
        assertThat(landing(Http.form("code", "abc"), "Accept-Language", "de-DE,de;q=0.9").body())
                .contains("<h1>Autorisierungscode erhalten</h1>");
        // The language links keep what the page shows.
        assertThat(landing(Http.form("code", "abc")).body()).contains("/oauth2/redirect?code=abc&amp;lang=hu_HU");
    }

    @Test
    void onlyGetIsServed() {
        Http.Response post = Http.client().postForm(server.url("/oauth2/redirect"), Http.form("code", "x"));
        assertThat(post.status()).isEqualTo(405);
    }

    @Test
    void anHttpIssuersLandingPageIsAcceptedButOtherPlainHttpIsNot() {
        // The test server's issuer is http://127.0.0.1:PORT, accepted anyway as a loopback address;
        // the check for the landing page itself is shown with a non-loopback issuer.
        dev.castgate.admin.ClientRegistrations registrations = new dev.castgate.admin.ClientRegistrations(
                server.database().stores(), dev.castgate.crypto.RandomTokens.secure(), server.clock(), "http://auth.internal");
        dev.castgate.admin.ClientRegistrations.Request request = new dev.castgate.admin.ClientRegistrations.Request("Landing",
                dev.castgate.domain.ClientType.WEB, java.util.List.of("http://auth.internal/oauth2/redirect"), java.util.Set.of(),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(), dev.castgate.domain.SigningAlgorithm.RS256,
                dev.castgate.domain.AccessTokenFormat.OPAQUE, dev.castgate.domain.SigningAlgorithm.ES256, java.util.Optional.of(java.time.Duration.ZERO), dev.castgate.domain.Client.Legacy.NONE, false, false);
        assertThat(registrations.register(request).client().redirectUris()).containsExactly("http://auth.internal/oauth2/redirect");
        Assertions.assertThatThrownBy(() -> registrations.register(new dev.castgate.admin.ClientRegistrations.Request("Other",
                        dev.castgate.domain.ClientType.WEB, java.util.List.of("http://auth.internal/elsewhere"), java.util.Set.of(),
                        java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(), dev.castgate.domain.SigningAlgorithm.RS256,
                        dev.castgate.domain.AccessTokenFormat.OPAQUE, dev.castgate.domain.SigningAlgorithm.ES256, java.util.Optional.of(java.time.Duration.ZERO), dev.castgate.domain.Client.Legacy.NONE, false, false)))
                .isInstanceOf(AdminException.class).hasMessageContaining("must use https");
    }
}
