package dev.castgate.authorize;

import static dev.castgate.authorize.FormPostResponseModeTest.assertFormPost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JWT Secured Authorization Response Mode (JARM): {@code query.jwt}, {@code form_post.jwt} and
 * {@code jwt} bring the answer as one signed JWT, the {@code response} parameter, which the client
 * checks as an independent library does: Nimbus's JWT processor with the server's JWK Set,
 * requiring the issuer, itself as audience and an expiry.
 */
class JarmResponseModeTest {
    @CastgateServer static TestServer server;
    static TestClient web;

    @BeforeAll
    static void setUp() {
        web = server.client().create();
    }

    @Test
    void queryJwtAndJwtBringTheCodeSignedInTheQuery() throws Exception {
        User user = server.createUser();
        for (String mode : new String[] {"query.jwt", "jwt"}) {
            BrowserFlow flow = new BrowserFlow(server);
            Http.Response redirect = flow.authorize(params(web, "response_mode", mode, "state", "s-" + mode), user.username(), TestServer.PASSWORD);
            assertThat(redirect.location()).startsWith(web.redirectUri() + "?response=");
            assertThat(redirect.locationParams()).as("iss travels inside the JWT alone").containsOnlyKeys("response");

            long now = server.clock().instant().getEpochSecond();
            JWTClaimsSet claims = verify(redirect.locationParams().get("response"), web);
            assertThat(claims.getClaims().keySet()).containsExactlyInAnyOrder("iss", "aud", "exp", "code", "state");
            assertThat(claims.getIssuer()).isEqualTo(server.issuer());
            assertThat(claims.getAudience()).containsExactly(web.id());
            assertThat(claims.getExpirationTime().getTime() / 1000).isEqualTo(now + 600);
            assertThat(claims.getStringClaim("state")).isEqualTo("s-" + mode);
            Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "authorization_code",
                    "code", claims.getStringClaim("code"), "redirect_uri", web.redirectUri()), "Authorization", web.basic());
            assertThat(token.status()).as(token.body()).isEqualTo(200);
        }
    }

    @Test
    void formPostJwtPostsTheSignedAnswer() throws Exception {
        TestClient client = server.client().idTokenAlgorithm(SigningAlgorithm.ES256).create();
        BrowserFlow flow = new BrowserFlow(server);
        User user = server.createUser();
        Http.Response consent = flow.signIn(flow.open(params(client, "response_mode", "form_post.jwt", "state", "fp")), user.username(),
                TestServer.PASSWORD);

        Map<String, String> fields = assertFormPost(flow.decide(consent, "allow"), client.redirectUri());

        assertThat(fields).containsOnlyKeys("response");
        assertThat(SignedJWT.parse(fields.get("response")).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        JWTClaimsSet claims = verify(fields.get("response"), client);
        assertThat(claims.getStringClaim("state")).isEqualTo("fp");
        assertThat(claims.getStringClaim("code")).matches("[0-9a-f]{40}");
        // Meant for this client alone.
        assertThatThrownBy(() -> verify(fields.get("response"), web)).isInstanceOf(BadJOSEException.class);
    }

    @Test
    void errorsAreSignedToo() throws Exception {
        Http.Response none = get(params(web, "response_mode", "query.jwt", "prompt", "none", "state", "e1"));
        assertThat(none.status()).isEqualTo(302);
        JWTClaimsSet claims = verify(none.locationParams().get("response"), web);
        assertThat(claims.getClaims().keySet()).containsExactlyInAnyOrder("iss", "aud", "exp", "error", "error_description", "state");
        assertThat(claims.getStringClaim("error")).isEqualTo("login_required");
        assertThat(claims.getStringClaim("error_description")).isEqualTo("the user is not signed in");

        // A request's own faults are answered the way it asked, as far as that mode is offered.
        Http.Response bad = get(params(web, "response_mode", "jwt", "scope", "nope", "state", "e2"));
        JWTClaimsSet badClaims = verify(bad.locationParams().get("response"), web);
        assertThat(badClaims.getStringClaim("error")).isEqualTo("invalid_scope");
        assertThat(badClaims.getStringClaim("state")).isEqualTo("e2");
    }

    @Test
    void aTokenNeverTravelsInTheQueryEvenSigned() throws Exception {
        TestClient legacy = server.client().allowImplicit().create();
        for (String mode : new String[] {"query.jwt", "jwt"}) {
            Http.Response r = get(Http.form("client_id", legacy.id(), "redirect_uri", legacy.redirectUri(), "response_type", "token",
                    "response_mode", mode, "state", "t"));
            JWTClaimsSet claims = verify(r.locationParams().get("response"), legacy);
            assertThat(claims.getStringClaim("error")).isEqualTo("invalid_request");
            assertThat(claims.getStringClaim("error_description")).isEqualTo("response_mode " + mode + " cannot carry a token; use form_post.jwt");
        }
        // form_post.jwt carries it in the posted form.
        BrowserFlow flow = new BrowserFlow(server);
        User user = server.createUser();
        Http.Response consent = flow.signIn(flow.open(Http.form("client_id", legacy.id(), "redirect_uri", legacy.redirectUri(),
                "response_type", "token", "response_mode", "form_post.jwt", "state", "t2")), user.username(), TestServer.PASSWORD);
        JWTClaimsSet claims = verify(assertFormPost(flow.decide(consent, "allow"), legacy.redirectUri()).get("response"), legacy);
        assertThat(claims.getClaims().keySet()).containsExactlyInAnyOrder("iss", "aud", "exp", "access_token", "token_type", "expires_in", "state");
        assertThat(claims.getStringClaim("token_type")).isEqualTo("bearer");
    }

    private static JWTClaimsSet verify(String jwt, TestClient client) throws Exception {
        JWKSet keys = JWKSet.parse(Http.client().get(server.url("/oauth2/jwks")).body());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), new ImmutableJWKSet<>(keys)));
        // The test clock runs ahead of the real one; the expiry is checked above against it.
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(client.id(),
                new JWTClaimsSet.Builder().issuer(server.issuer()).build(), Set.of("exp")) {
            @Override
            protected java.util.Date currentTime() { return java.util.Date.from(server.clock().instant()); }
        };
        processor.setJWTClaimsSetVerifier(claims);
        return processor.process(jwt, null);
    }

    private static Http.Response get(Map<String, String> params) {
        return Http.client().get(Urls.withQuery(server.url("/authorize"), params));
    }

    private static Map<String, String> params(TestClient client, String... extra) {
        Map<String, String> params = new LinkedHashMap<>(Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", "openid"));
        params.putAll(Http.form(extra));
        return params;
    }
}
