package dev.castgate.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Credentials and the consent decision are taken only from a POST (security review §11): a GET
 * that carries the sign-in or consent form's fields in its query is a plain authorization request,
 * which shows the form again and signs nobody in, decides nothing.
 */
class InteractionOnlyByPostTest {
    @CastgateServer static TestServer server;

    private static Map<String, String> params(TestClient client) {
        return Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code",
                "scope", "openid", "state", "st");
    }

    @Test
    void aSignInInTheQueryShowsTheSignInFormAndSignsNobodyIn() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response login = browser.open(params(client));
        Map<String, String> query = new LinkedHashMap<>(HtmlForms.hiddenFields(login.body()));
        query.putAll(Http.form("username", user.username(), "password", TestServer.PASSWORD));
        assertThat(query).containsEntry("interaction", "login");

        Http.Response byGet = browser.open(query);
        assertThat(byGet.status()).as(byGet.body()).isEqualTo(200);
        assertThat(byGet.header("Location")).isEmpty();
        assertThat(byGet.body()).contains("name=\"interaction\" value=\"login\"").contains("type=\"password\"");
        assertThat(byGet.headers("Set-Cookie")).noneMatch(c -> c.startsWith("castgate_session="));

        // Still signed out: a plain request shows the sign-in form again.
        Http.Response again = browser.open(params(client));
        assertThat(again.body()).contains("name=\"interaction\" value=\"login\"");
    }

    @Test
    void aConsentInTheQueryShowsTheConsentPageAndStoresNoConsent() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response consent = browser.signIn(browser.open(params(client)), user.username(), TestServer.PASSWORD);
        assertThat(consent.body()).contains("name=\"interaction\" value=\"consent\"");
        Map<String, String> query = new LinkedHashMap<>(HtmlForms.hiddenFields(consent.body()));
        query.put("decision", "allow");

        Http.Response byGet = browser.open(query);
        assertThat(byGet.status()).as(byGet.body()).isEqualTo(200);
        assertThat(byGet.header("Location")).isEmpty();
        assertThat(byGet.body()).contains("name=\"interaction\" value=\"consent\"");

        // Nothing was allowed: the next request asks again, and the POST still decides.
        Http.Response next = browser.open(params(client));
        assertThat(next.body()).contains("name=\"interaction\" value=\"consent\"");
        Http.Response allowed = browser.decide(next, "allow");
        assertThat(allowed.status()).isEqualTo(303);
        assertThat(allowed.locationParams()).containsKey("code");
    }

    @Test
    void aDenialInTheQueryIsNoDenial() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response consent = browser.signIn(browser.open(params(client)), user.username(), TestServer.PASSWORD);
        Map<String, String> query = new LinkedHashMap<>(HtmlForms.hiddenFields(consent.body()));
        query.put("decision", "deny");
        Http.Response byGet = browser.open(query);
        assertThat(byGet.status()).as(byGet.body()).isEqualTo(200);
        assertThat(byGet.header("Location")).isEmpty();
    }
}
