package dev.castgate.claims;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.JwtClaims;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The claims request parameter (OIDC Core §5.5) over HTTP, as a relying party's library sends it:
 * the person claims named for the ID token or for userinfo come back there, whatever the scope,
 * after the person allowed them; unknown claims are ignored; a value that is no claims request
 * is invalid_request; it survives the sign-in and consent forms, pushing, and refreshing.
 */
class ClaimsParameterTest {
    private static final String STATE = "cl";

    @CastgateServer static TestServer server;

    private static Map<String, String> params(TestClient client, String scope, String claims) {
        return Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code",
                "scope", scope, "state", STATE, "nonce", "n-1", "claims", claims);
    }

    @Test
    void claimsNamedForTheIdTokenComeInItWithoutTheirScopesAfterTheConsentPageListedThem() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response login = flow.open(params(client, "openid",
                "{\"id_token\":{\"email\":{\"essential\":true},\"name\":null,\"auth_time\":{\"essential\":true}}}"));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(HtmlForms.hiddenFields(login.body())).containsKey("claims");
        Http.Response consent = flow.signIn(login, user.username(), TestServer.PASSWORD);
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        // The claims are asked for as their scopes would ask, so the page says what they release.
        assertThat(consent.body()).contains("See your email address").contains("See your name and username");
        Map<String, Object> tokens = flow.exchange(client, flow.decide(consent, "allow"), STATE);
        assertThat(tokens).containsEntry("scope", "openid");
        Map<String, Object> idToken = JwtClaims.of((String) tokens.get("id_token"));
        // Only the claims named: email without email_verified, name without the rest of the profile.
        assertThat(idToken).containsEntry("email", user.email()).containsEntry("name", user.name().orElseThrow())
                .containsEntry("nonce", "n-1").containsKey("auth_time")
                .doesNotContainKeys("email_verified", "preferred_username", "updated_at");
        // Named for the ID token only: userinfo releases what the scope does, the subject.
        assertThat(userinfo(tokens)).isEqualTo(Map.of("sub", user.id().value()));
    }

    @Test
    void claimsNamedForUserinfoComeFromUserinfoForEveryAccessTokenOfTheGrant() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = authorized(client, user,
                "{\"userinfo\":{\"preferred_username\":null,\"updated_at\":null,\"email_verified\":{\"essential\":true}}}");
        Map<String, Object> expected = Map.of("sub", user.id().value(), "preferred_username", user.username(),
                "updated_at", (int) user.updatedAt().getEpochSecond(), "email_verified", true);
        assertThat(userinfo(tokens)).isEqualTo(expected);
        assertThat(JwtClaims.of((String) tokens.get("id_token"))).doesNotContainKeys("preferred_username", "updated_at", "email",
                "email_verified", "name");

        // The grant keeps them: the refreshed access token and ID token answer the same.
        assertThat(userinfo(ClaimsCalls.refreshed(server, client, tokens))).isEqualTo(expected);
    }

    @Test
    void theIdTokenKeepsTheNamedClaimsWhenRefreshed() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = authorized(client, user, "{\"id_token\":{\"preferred_username\":null}}");
        assertThat(JwtClaims.of((String) ClaimsCalls.refreshed(server, client, tokens).get("id_token")))
                .containsEntry("preferred_username", user.username());
    }

    @Test
    void unknownClaimsAndClaimsCastgateDoesNotHoldAreIgnored() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response consent = flow.signIn(flow.open(params(client, "openid",
                "{\"id_token\":{\"favourite_colour\":null,\"picture\":null,\"locale\":{\"essential\":true}},"
                        + "\"userinfo\":{\"phone_number\":null,\"address\":null},\"other\":1}")), user.username(), TestServer.PASSWORD);
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        assertThat(consent.body()).doesNotContain("See your email address").doesNotContain("See your name and username");
        Map<String, Object> tokens = flow.exchange(client, flow.decide(consent, "allow"), STATE);
        assertThat(JwtClaims.of((String) tokens.get("id_token"))).doesNotContainKeys("favourite_colour", "picture", "locale");
        assertThat(userinfo(tokens)).isEqualTo(Map.of("sub", user.id().value()));
    }

    @Test
    void claimsOfAScopeTheClientMayNotHaveAreNotReleased() {
        User user = server.createUser();
        TestClient client = server.client().scope("openid profile").create();
        Map<String, Object> tokens = authorized(client, user,
                "{\"id_token\":{\"email\":null,\"name\":null},\"userinfo\":{\"email\":null}}");
        assertThat(JwtClaims.of((String) tokens.get("id_token"))).containsEntry("name", user.name().orElseThrow())
                .doesNotContainKeys("email", "email_verified");
        assertThat(userinfo(tokens)).isEqualTo(Map.of("sub", user.id().value()));
    }

    @Test
    void aRememberedConsentForLessAsksAgain() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        flow.authorize(params(client, "openid", "{}"), user.username(), TestServer.PASSWORD);
        // Allowed for openid alone: the email claim is not covered, so the page comes again.
        Http.Response again = flow.open(params(client, "openid", "{\"userinfo\":{\"email\":null}}"));
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.body()).contains("name=\"interaction\" value=\"consent\"").contains("See your email address");
        // prompt=none cannot ask.
        Http.Response none = flow.open(withPromptNone(params(client, "openid", "{\"userinfo\":{\"email\":null}}")));
        assertThat(none.status()).isEqualTo(302);
        assertThat(none.locationParams()).containsEntry("error", "consent_required").containsEntry("state", STATE);
        // Once allowed, remembered like a scope.
        flow.decide(again, "allow");
        Http.Response remembered = flow.open(withPromptNone(params(client, "openid email", "{}")));
        assertThat(remembered.status()).isEqualTo(302);
        assertThat(remembered.locationParams()).containsKey("code");
    }

    @Test
    void anAcrNamedWithoutValuesIsTheSignInsOwn() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = authorized(client, user, "{\"id_token\":{\"acr\":null}}");
        assertThat(JwtClaims.of((String) tokens.get("id_token"))).containsEntry("acr", "1").containsEntry("amr", List.of("pwd"));
    }

    /** §5.5.1: a sub asked for with a value is the only account the request is answered for. */
    @Test
    void aSubWithAValueIsAnsweredOnlyForThatAccount() {
        User user = server.createUser();
        User other = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        String own = "{\"id_token\":{\"sub\":{\"value\":\"" + user.id().value() + "\"}}}";
        String others = "{\"id_token\":{\"sub\":{\"value\":\"" + other.id().value() + "\"}}}";
        Map<String, Object> tokens = flow.exchange(client, flow.authorize(params(client, "openid", own), user.username(),
                TestServer.PASSWORD), STATE);
        assertThat(JwtClaims.of((String) tokens.get("id_token"))).containsEntry("sub", user.id().value());

        // The session is another account's: without a page that is login_required; with one, a sign-in.
        Http.Response none = flow.open(withPromptNone(params(client, "openid", others)));
        assertThat(none.status()).isEqualTo(302);
        assertThat(none.locationParams()).containsEntry("error", "login_required").containsEntry("state", STATE);
        Http.Response login = flow.open(params(client, "openid", others));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).contains("name=\"interaction\" value=\"login\"");
        // Signing in as someone else still does not answer for them.
        Http.Response wrong = flow.signIn(login, user.username(), TestServer.PASSWORD);
        assertThat(wrong.status()).as("after a form's POST").isEqualTo(303);
        assertThat(wrong.locationParams()).containsEntry("error", "access_denied")
                .containsEntry("error_description", "the account signed in is not the one the request names").containsEntry("state", STATE);
    }

    @Test
    void aValueThatIsNoClaimsRequestIsInvalidRequestAtTheRedirectUri() {
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Map<String, String> problems = Map.of(
                "not json", "claims must be a JSON object",
                "[\"email\"]", "claims must be a JSON object",
                "{\"id_token\":[\"email\"]}", "claims.id_token must be a JSON object",
                "{\"userinfo\":\"email\"}", "claims.userinfo must be a JSON object",
                "{\"userinfo\":{\"email\":true}}", "claims.userinfo.email must be null or a JSON object",
                "{\"id_token\":{}} trailing", "claims must be a JSON object");
        problems.forEach((claims, description) -> {
            Http.Response r = flow.open(params(client, "openid", claims));
            assertThat(r.status()).as(claims).isEqualTo(302);
            assertThat(r.locationParams()).as(claims).containsEntry("error", "invalid_request")
                    .containsEntry("error_description", description).containsEntry("state", STATE);
        });
    }

    @Test
    void aPushedRequestKeepsItsClaims() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Http.Response pushed = Http.client().postForm(server.url("/oauth2/par"), Http.form("response_type", "code",
                "redirect_uri", client.redirectUri(), "scope", "openid", "state", STATE,
                "claims", "{\"id_token\":{\"email\":null},\"userinfo\":{\"name\":null}}"), "Authorization", client.basic());
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        // A malformed one is refused at the push, as JSON.
        Http.Response bad = Http.client().postForm(server.url("/oauth2/par"), Http.form("response_type", "code",
                "redirect_uri", client.redirectUri(), "scope", "openid", "claims", "{\"id_token\":1}"), "Authorization", client.basic());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json()).isEqualTo(Map.of("error", "invalid_request", "error_description", "claims.id_token must be a JSON object"));

        BrowserFlow flow = new BrowserFlow(server);
        Map<String, Object> tokens = flow.exchange(client, flow.authorize(Http.form("client_id", client.id(),
                "request_uri", (String) pushed.json().get("request_uri")), user.username(), TestServer.PASSWORD), STATE);
        assertThat(JwtClaims.of((String) tokens.get("id_token"))).containsEntry("email", user.email()).doesNotContainKey("name");
        assertThat(userinfo(tokens)).isEqualTo(Map.of("sub", user.id().value(), "name", user.name().orElseThrow()));
    }

    private static Map<String, String> withPromptNone(Map<String, String> params) {
        params.put("prompt", "none");
        return params;
    }

    private static Map<String, Object> authorized(TestClient client, User user, String claims) {
        return ClaimsCalls.tokens(server, client, user.username(), params(client, "openid", claims), STATE);
    }

    private static Map<String, Object> userinfo(Map<String, Object> tokens) { return ClaimsCalls.userinfo(server, tokens); }
}
