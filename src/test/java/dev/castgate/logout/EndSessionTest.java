package dev.castgate.logout;

import static dev.castgate.logout.LogoutFlows.idToken;
import static dev.castgate.logout.LogoutFlows.logout;
import static dev.castgate.logout.LogoutFlows.signedIn;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.JwtClaims;
import dev.castgate.testing.Sql;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OpenID Connect RP-Initiated Logout 1.0 at /logout: a hint for this very session ends it at once;
 * anything less asks the person first; the browser goes back only to a post-logout redirect URI
 * registered for the client, with its state; a hint this server did not sign is refused.
 */
class EndSessionTest {
    private static final String AFTER = "https://app.example/signed-out";

    @CastgateServer static TestServer server;

    /** A person signed in to a client in a browser, and the ID token the client got. */
    private record Signed(User user, TestClient client, Http browser, String hint) {}

    private static Signed signIn() {
        User user = server.createUser();
        TestClient client = client();
        Http browser = Http.browser();
        return new Signed(user, client, browser, idToken(server, browser, client, user));
    }

    private static TestClient client() {
        return server.client().postLogoutRedirectUris(AFTER, "https://app.example/other").create();
    }

    @Test
    void aHintForThisSessionEndsItAtOnceAndGoesBackWithState() {
        Signed in = signIn();
        User user = in.user();
        TestClient client = in.client();
        Http browser = in.browser();
        String hint = in.hint();
        assertThat(JwtClaims.of(hint).get("sid")).asString().matches("[0-9a-f]{40}");

        Http.Response out = logout(server, browser, "id_token_hint", hint, "post_logout_redirect_uri", AFTER, "state", "s-1");
        assertThat(out.status()).as(out.body()).isEqualTo(302);
        assertThat(out.location()).isEqualTo(AFTER + "?state=s-1");
        assertThat(out.headers("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("castgate_session=;"));
        assertThat(signedIn(server, browser)).isFalse();
        assertThat(Sql.count(server, "SELECT COUNT(*) FROM audit_events WHERE event_type = 'SIGN_OUT' AND user_id = ? AND client_id = ?",
                user.id().value(), client.id())).isEqualTo(1);
    }

    @Test
    void aClientMayPostItsRequestAndLeaveOutState() {
        Signed in = signIn();
        Http browser = in.browser();
        String hint = in.hint();
        Http.Response out = browser.postForm(server.url("/logout"), Http.form("id_token_hint", hint, "post_logout_redirect_uri", AFTER));
        assertThat(out.status()).isEqualTo(303);
        assertThat(out.location()).isEqualTo(AFTER);
        assertThat(signedIn(server, browser)).isFalse();
    }

    @Test
    void withoutAHintTheEndSessionEndpointSaysSignedOut() {
        Signed in = signIn();
        Http browser = in.browser();
        String hint = in.hint();
        Http.Response out = logout(server, browser, "id_token_hint", hint);
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.body()).contains("You are signed out.");
        assertThat(signedIn(server, browser)).isFalse();
    }

    @Test
    void aHintOfAnotherSessionAsksFirstAndCarriesTheRequestOn() {
        User user = server.createUser();
        TestClient client = client();
        String otherSessions = idToken(server, Http.browser(), client, user);
        Http browser = Http.browser();
        idToken(server, browser, client, user);

        Http.Response ask = logout(server, browser, "id_token_hint", otherSessions, "post_logout_redirect_uri", AFTER, "state", "s-2");
        assertThat(ask.status()).isEqualTo(200);
        assertThat(ask.body()).contains("<h1>Sign out?</h1>").contains(client.name() + " asks you to sign out.");
        assertThat(ask.header("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("form-action 'self' https://app.example;"));
        Map<String, String> form = HtmlForms.hiddenFields(ask.body());
        assertThat(form).containsEntry("client_id", client.id()).containsEntry("post_logout_redirect_uri", AFTER).containsEntry("state", "s-2")
                .doesNotContainKey("id_token_hint").containsKey("csrf_token");
        assertThat(signedIn(server, browser)).as("asking ends nothing").isTrue();

        Http.Response out = browser.postForm(server.url("/logout"), form);
        assertThat(out.status()).isEqualTo(303);
        assertThat(out.location()).isEqualTo(AFTER + "?state=s-2");
        assertThat(signedIn(server, browser)).isFalse();
    }

    @Test
    void withoutAHintThePersonIsAskedInTheLanguageUiLocalesNames() {
        User user = server.createUser();
        TestClient client = client();
        Http browser = Http.browser();
        idToken(server, browser, client, user);

        Http.Response german = logout(server, browser, "client_id", client.id(), "ui_locales", "fr-CA de-DE");
        assertThat(german.status()).isEqualTo(200);
        assertThat(german.body()).contains("<html lang=\"de-DE\">").contains("<h1>Abmelden?</h1>")
                .contains(client.name() + " bittet Sie, sich abzumelden.");
        Http.Response hungarian = logout(server, browser, "ui_locales", "hu");
        assertThat(hungarian.body()).contains("<html lang=\"hu-HU\">").contains("<h1>Kijelentkezik?</h1>");
        // A forged confirmation, without the form's token, ends nothing.
        Map<String, String> form = HtmlForms.hiddenFields(hungarian.body());
        form.put("csrf_token", "forged");
        assertThat(browser.postForm(server.url("/logout"), form).status()).isEqualTo(403);
        assertThat(signedIn(server, browser)).isTrue();

        Http.Response out = browser.postForm(server.url("/logout"), HtmlForms.hiddenFields(hungarian.body()));
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.body()).contains("<html lang=\"hu-HU\">").contains("Sikeresen kijelentkezett.");
        assertThat(signedIn(server, browser)).isFalse();
    }

    @Test
    void aPostLogoutRedirectUriNotRegisteredForTheClientIsRefused() {
        User user = server.createUser();
        TestClient client = client();
        TestClient other = server.client().postLogoutRedirectUris("https://elsewhere.example/bye").create();
        Http browser = Http.browser();
        String hint = idToken(server, browser, client, user);
        String refused = "The application asked to return to an address it has not registered for sign-out.";

        for (String uri : new String[] {"https://evil.example/", AFTER + "/", AFTER + "?x=1", "https://elsewhere.example/bye"}) {
            Http.Response out = logout(server, browser, "id_token_hint", hint, "post_logout_redirect_uri", uri, "state", "s");
            assertThat(out.status()).as(uri).isEqualTo(400);
            assertThat(out.header("Location")).isEmpty();
            assertThat(out.body()).contains("This sign-out request is not valid").contains(refused);
        }
        // Without a hint or client_id no client is known whose URIs could allow it.
        assertThat(logout(server, browser, "post_logout_redirect_uri", AFTER).body()).contains(refused);
        assertThat(logout(server, browser, "client_id", other.id(), "post_logout_redirect_uri", AFTER).body()).contains(refused);
        assertThat(signedIn(server, browser)).as("a refused request ends nothing").isTrue();
    }

    @Test
    void aBadHintIsRefused() throws Exception {
        Signed in = signIn();
        TestClient client = in.client();
        Http browser = in.browser();
        String hint = in.hint();
        String notOurs = "The application sent an ID token this server did not issue.";

        assertThat(logout(server, browser, "id_token_hint", "not-a-jwt").body()).contains(notOurs);
        // Signed by a key of the same kid that is not the server's.
        String kid = JWKSet.parse(Http.client().get(server.url("/oauth2/jwks")).body()).getKeys().stream()
                .filter(k -> k instanceof RSAKey).findFirst().orElseThrow().getKeyID();
        RSAKey forger = new RSAKeyGenerator(2048).keyID(kid).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder(JWTClaimsSet.parse(JwtClaims.of(hint))).issueTime(new Date()).build());
        forged.sign(new RSASSASigner(forger));
        Http.Response forgedOut = logout(server, browser, "id_token_hint", forged.serialize(), "post_logout_redirect_uri", AFTER);
        assertThat(forgedOut.status()).isEqualTo(400);
        assertThat(forgedOut.body()).contains(notOurs);
        // A hint for one client with another's client_id.
        TestClient other = client();
        Http.Response mismatch = logout(server, browser, "id_token_hint", hint, "client_id", other.id(), "post_logout_redirect_uri", AFTER);
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.body()).contains("names an application that is not registered, or one the ID token was not issued to");
        assertThat(logout(server, browser, "client_id", "0".repeat(40)).status()).isEqualTo(400);
        assertThat(browser.get(server.url("/logout?id_token_hint=" + hint + "&id_token_hint=" + hint)).status()).as("repeated").isEqualTo(400);
        assertThat(signedIn(server, browser)).isTrue();
    }

    @Test
    void anExpiredHintStillNamesTheSessionAndAHintWithoutASessionStillGoesBack() {
        Signed in = signIn();
        Http browser = in.browser();
        String hint = in.hint();
        server.clock().advance(Duration.ofHours(3)); // past the ID token's exp, within the session's
        Http.Response out = logout(server, browser, "id_token_hint", hint, "post_logout_redirect_uri", AFTER, "state", "late");
        assertThat(out.status()).isEqualTo(302);
        assertThat(out.location()).isEqualTo(AFTER + "?state=late");
        assertThat(signedIn(server, browser)).isFalse();

        Http.Response again = logout(server, browser, "id_token_hint", hint, "post_logout_redirect_uri", AFTER, "state", "again");
        assertThat(again.status()).as("nothing left to end").isEqualTo(302);
        assertThat(again.location()).isEqualTo(AFTER + "?state=again");
    }
}
