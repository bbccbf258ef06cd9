package dev.castgate.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.Authenticator;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.JwtClaims;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client asks for a second factor (OIDC Core §3.1.2.1 acr_values, §5.5.1.1 an essential acr in
 * claims): a session signed in with a password only is stepped up with a code and keeps its
 * auth_time; without a second factor, a voluntary request is answered with what the sign-in
 * reached, an essential one with a page and then unmet_authentication_requirements.
 */
class AcrValuesTest {
    private static final String ESSENTIAL_TWO = "{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\"2\"]}}}";

    @CastgateServer static TestServer server;

    private static Map<String, String> params(TestClient client, String... extra) {
        Map<String, String> params = Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code",
                "scope", "openid", "state", "ac");
        params.putAll(Http.form(extra));
        return params;
    }

    private static Map<String, Object> idToken(TestClient client, BrowserFlow flow, Http.Response redirect) {
        return JwtClaims.of((String) flow.exchange(client, redirect, "ac").get("id_token"));
    }

    @Test
    void aSessionSignedInWithAPasswordOnlyIsSteppedUpWithACodeAndKeepsItsSignInTime() {
        User user = server.createUser();
        Http browser = Http.browser();
        long signedInAt = server.clock().instant().getEpochSecond();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        // Turned on after this session signed in: the session stays a password-only one.
        Authenticator app = Authenticator.enable(server, browser).app();
        server.clock().advance(Duration.ofMinutes(3));
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server, browser);

        // Without acr_values, the session serves as it is.
        Map<String, Object> plain = idToken(client, flow, flow.decide(flow.open(params(client)), "allow"));
        assertThat(plain).containsEntry("acr", "1").containsEntry("amr", List.of("pwd")).containsEntry("auth_time", (int) signedInAt);

        // Asked for without a page, a step-up cannot happen.
        Http.Response none = flow.open(params(client, "acr_values", "2", "prompt", "none"));
        assertThat(none.status()).isEqualTo(302);
        assertThat(none.locationParams()).containsEntry("error", "login_required").containsEntry("state", "ac");

        Http.Response stepUp = flow.open(params(client, "acr_values", "2 1"));
        assertThat(stepUp.status()).isEqualTo(200);
        assertThat(stepUp.body()).contains("<h1>Enter your code</h1>").doesNotContain("type=\"password\"");
        assertThat(HtmlForms.hiddenFields(stepUp.body())).containsEntry("acr_values", "2 1");
        Http.Response redirect = flow.enterCode(stepUp, app.nextCode());
        // The consent is remembered, so the step-up leads straight back to the client.
        assertThat(redirect.status()).as(redirect.body()).isEqualTo(303);
        assertThat(idToken(client, flow, redirect)).containsEntry("acr", "2").containsEntry("amr", List.of("pwd", "otp", "mfa"))
                .containsEntry("auth_time", (int) signedInAt);

        // Once stepped up, the session meets the request without another code.
        Http.Response again = flow.open(params(client, "acr_values", "2"));
        assertThat(again.status()).isEqualTo(302);
        assertThat(idToken(client, flow, again)).containsEntry("acr", "2");
    }

    @Test
    void withoutASecondFactorAVoluntaryRequestGetsWhatTheSignInReached() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Map<String, Object> claims = idToken(client, flow, flow.authorize(params(client, "acr_values", "2"), user.username(),
                TestServer.PASSWORD));
        assertThat(claims).containsEntry("acr", "1").containsEntry("amr", List.of("pwd"));
        // Values that are not Castgate's are ignored.
        BrowserFlow other = new BrowserFlow(server);
        Map<String, Object> unknown = idToken(client, other, other.authorize(params(client, "acr_values", "urn:example:gold"),
                user.username(), TestServer.PASSWORD));
        assertThat(unknown).containsEntry("acr", "1");
    }

    @Test
    void withoutASecondFactorAnEssentialRequestIsAPageAndThenUnmetAuthenticationRequirements() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response required = flow.signIn(flow.open(params(client, "claims", ESSENTIAL_TWO)), user.username(), TestServer.PASSWORD);
        assertThat(required.status()).isEqualTo(403);
        assertThat(required.body()).contains("<h1>Two-step sign-in required</h1>")
                .contains("<strong>" + client.name() + "</strong> requires two-step sign-in, and your account does not have it turned on.")
                .contains("<a href=\"/account?lang=en_US\">Your account</a>")
                .contains("Back to " + client.name());
        assertThat(HtmlForms.hiddenFields(required.body())).containsEntry("claims", ESSENTIAL_TWO)
                .containsEntry("interaction", "second_factor_required");

        Http.Response back = flow.submit(required, Map.of());
        assertThat(back.status()).isEqualTo(303);
        assertThat(back.locationParams()).containsEntry("error", "unmet_authentication_requirements").containsEntry("state", "ac")
                .containsEntry("iss", server.issuer());

        // With a session and prompt=none there is no page: the error at once.
        Http.Response none = flow.open(params(client, "claims", ESSENTIAL_TWO, "prompt", "none"));
        assertThat(none.status()).isEqualTo(302);
        assertThat(none.locationParams()).containsEntry("error", "unmet_authentication_requirements");
    }

    @Test
    void anEssentialRequestIsMetWithTheCodeAndReportedAsAskedFor() {
        User user = server.createUser();
        Http browser = Http.browser();
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Authenticator app = Authenticator.enable(server, browser).app();
        TestClient client = server.client().create();

        BrowserFlow flow = new BrowserFlow(server);
        Http.Response consent = flow.enterCode(flow.signIn(flow.open(params(client, "claims", ESSENTIAL_TWO)), user.username(),
                TestServer.PASSWORD), app.nextCode());
        assertThat(idToken(client, flow, flow.decide(consent, "allow"))).containsEntry("acr", "2");

        // OIDC Core §5.5.1.1: an essential acr is answered with one of the values asked for, which a second factor meets too.
        BrowserFlow one = new BrowserFlow(server);
        Http.Response redirect = one.enterCode(one.signIn(one.open(params(client, "claims",
                "{\"id_token\":{\"acr\":{\"essential\":true,\"value\":\"1\"}}}")), user.username(), TestServer.PASSWORD), app.nextCode());
        assertThat(idToken(client, one, redirect)).containsEntry("acr", "1").containsEntry("amr", List.of("pwd", "otp", "mfa"));
    }

    @Test
    void anEssentialRequestNoSignInCanMeetAndMalformedClaimsAreRefusedBeforeTheSignIn() {
        TestClient client = server.client().create();
        Http.Response unmet = new BrowserFlow(server).open(params(client, "claims",
                "{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\"urn:example:gold\"]}}}"));
        assertThat(unmet.status()).isEqualTo(302);
        assertThat(unmet.locationParams()).containsEntry("error", "unmet_authentication_requirements").containsEntry("state", "ac");

        Http.Response malformed = new BrowserFlow(server).open(params(client, "claims", "{not json"));
        assertThat(malformed.status()).isEqualTo(302);
        assertThat(malformed.locationParams()).containsEntry("error", "invalid_request")
                .containsEntry("error_description", "claims must be a JSON object");
    }
}
