package dev.castgate.dpop;

import static dev.castgate.token.TokenRequests.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.DpopKey;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.token.TokenRequests;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DPoP (RFC 9449) over HTTP: proofs at the token endpoint bind the tokens to the proof's key;
 * every check of §4.3 refuses a proof that fails it; bound tokens work at the Streaming API and
 * userinfo only with a proof of their key, and bearer tokens only as bearer tokens; a public
 * client's refresh token is bound, a confidential client's is not; {@code dpop_jkt} and a proof
 * at PAR bind the code; a client may require proofs; introspection tells the key.
 */
class DpopTest {
    static final String ALGS = "ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512";
    @CastgateServer static TestServer server;
    static TokenRequests tokens;

    @BeforeAll
    static void setUp() {
        tokens = new TokenRequests(server);
    }

    private static Instant now() { return server.clock().instant(); }

    private static String tokenUrl() { return server.url("/oauth2/token"); }

    private static Http.Response tokenRequest(TestClient client, Map<String, String> form, String... proofs) {
        String[] headers = new String[2 + 2 * proofs.length];
        headers[0] = "Authorization";
        headers[1] = client.basic();
        for (int i = 0; i < proofs.length; i++) {
            headers[2 + 2 * i] = "DPoP";
            headers[3 + 2 * i] = proofs[i];
        }
        return tokens.post(form, headers);
    }

    private static Map<String, Object> boundClientCredentials(TestClient client, DpopKey key) {
        Http.Response response = tokenRequest(client, Http.form("grant_type", "client_credentials", "scope", "broadcaster"),
                key.proof("POST", tokenUrl(), now()));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static Http.Response introspect(TestClient caller, String token) {
        return Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", token), "Authorization", caller.basic());
    }

    private static Http.Response api(String token, String scheme, String... proof) {
        String[] headers = proof.length == 0 ? new String[] {"Authorization", scheme + " " + token}
                : new String[] {"Authorization", scheme + " " + token, "DPoP", proof[0]};
        return Http.client().get(server.url("/api/users/self"), headers);
    }

    private static void assertDpopChallenge(Http.Response response, int status, String error, String description) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json()).isEqualTo(Map.of("error", error, "error_description", description));
        assertThat(response.headers("WWW-Authenticate")).containsExactly(
                "DPoP error=\"" + error + "\", error_description=\"" + description + "\", algs=\"" + ALGS + "\"");
    }

    @Test
    void aProofBindsTheAccessTokenAndIntrospectionNamesTheKey() {
        TestClient client = server.client().owner(server.createUser()).resourceServer().create();
        DpopKey key = DpopKey.generate();
        Map<String, Object> body = boundClientCredentials(client, key);
        assertThat(body).containsEntry("token_type", "DPoP").containsEntry("scope", "broadcaster");

        Http.Response introspected = introspect(client, (String) body.get("access_token"));
        assertThat(introspected.status()).isEqualTo(200);
        assertThat(introspected.json()).containsEntry("active", true).containsEntry("token_type", "DPoP")
                .containsEntry("cnf", Map.of("jkt", key.thumbprint()));

        // Without a proof the same client gets a bearer token, as before.
        Http.Response bearer = tokens.post(client, Http.form("grant_type", "client_credentials"));
        assertThat(bearer.json()).containsEntry("token_type", "bearer");
        assertThat(introspect(client, (String) bearer.json().get("access_token")).json()).doesNotContainKey("cnf")
                .containsEntry("token_type", "bearer");
    }

    @Test
    void aJwtAccessTokenCarriesTheThumbprintInCnf() throws Exception {
        TestClient client = server.client().owner(server.createUser()).accessTokenFormat(AccessTokenFormat.JWT).create();
        DpopKey key = DpopKey.generate();
        String token = (String) boundClientCredentials(client, key).get("access_token");
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getJSONObjectClaim("cnf")).isEqualTo(Map.of("jkt", key.thumbprint()));
        assertThat(api(token, "DPoP", key.proof("GET", server.url("/api/users/self"), now(), token)).status()).isEqualTo(200);
    }

    @Test
    void theStreamingApiTakesABoundTokenOnlyWithAProofOfItsKey() {
        TestClient client = server.client().owner(server.createUser()).create();
        DpopKey key = DpopKey.generate();
        String token = (String) boundClientCredentials(client, key).get("access_token");
        String url = server.url("/api/users/self");

        String proof = key.proof("GET", url, now(), token);
        Http.Response ok = api(token, "DPoP", proof);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.headers("DPoP-Nonce")).isEmpty();

        // §11.1: the same proof again is a replay.
        assertDpopChallenge(api(token, "DPoP", proof), 401, "invalid_dpop_proof",
                "the DPoP proof was used before: make a new one for each request");
        // §7.2: a bound token passed off as a bearer token.
        Http.Response asBearer = api(token, "Bearer");
        assertThat(asBearer.status()).isEqualTo(401);
        assertThat(asBearer.json()).containsEntry("error", "invalid_token")
                .containsEntry("error_description", "the access token is DPoP-bound: send it with the DPoP scheme and a proof");
        assertThat(asBearer.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer realm=\"castgate\", error=\"invalid_token\""));
        assertDpopChallenge(api(token, "DPoP"), 401, "invalid_dpop_proof", "a DPoP proof must come with a DPoP access token");
        assertDpopChallenge(api(token, "DPoP", DpopKey.generate().proof("GET", url, now(), token)), 401, "invalid_token",
                "the DPoP proof is not signed with the key the access token is bound to");
        assertDpopChallenge(api(token, "DPoP", key.proof("GET", url, now())), 401, "invalid_dpop_proof", "the DPoP proof must have an ath");
        assertDpopChallenge(api(token, "DPoP", key.proof("GET", url, now(), "another token")), 401, "invalid_dpop_proof",
                "the DPoP proof's ath is not the hash of this access token");
        assertDpopChallenge(api(token, "DPoP", key.proof("POST", url, now(), token)), 401, "invalid_dpop_proof",
                "the DPoP proof's htm is not this request's method");
        assertDpopChallenge(api(token, "DPoP", key.proof("GET", server.url("/api/channels"), now(), token)), 401, "invalid_dpop_proof",
                "the DPoP proof's htu is not this request's URI");
        // The query is not part of htu (§4.3 check 9), and scheme and host compare without case.
        Http.Response withQuery = Http.client().get(url + "?detail=1", "Authorization", "DPoP " + token, "DPoP",
                key.proof("GET", url.replace("http://", "HTTP://"), now(), token));
        assertThat(withQuery.status()).as(withQuery.body()).isEqualTo(200);
    }

    @Test
    void theAdminApiTakesABoundTokenWithAProof() {
        TestClient admin = server.client().admin().create();
        DpopKey key = DpopKey.generate();
        Http.Response issued = tokenRequest(admin, Http.form("grant_type", "client_credentials", "scope", "admin"),
                key.proof("POST", tokenUrl(), now()));
        String token = (String) issued.json().get("access_token");
        String clients = server.url("/admin/api/clients");
        Http.Response listed = Http.client().get(clients, "Authorization", "DPoP " + token, "DPoP", key.proof("GET", clients, now(), token));
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(Http.client().get(clients, "Authorization", "Bearer " + token).status()).isEqualTo(401);
    }

    @Test
    void aBearerTokenIsNotTakenWithTheDpopScheme() {
        TestClient client = server.client().owner(server.createUser()).create();
        DpopKey key = DpopKey.generate();
        Http.Response issued = tokens.post(client, Http.form("grant_type", "client_credentials"));
        String token = (String) issued.json().get("access_token");
        assertDpopChallenge(api(token, "DPoP", key.proof("GET", server.url("/api/users/self"), now(), token)), 401, "invalid_token",
                "the access token is not DPoP-bound: send it with the Bearer scheme");
        assertThat(api(token, "Bearer").status()).isEqualTo(200);
    }

    @Test
    void everyCheckOfAProofRefusesOneThatFailsIt() {
        TestClient client = server.client().owner(server.createUser()).create();
        DpopKey key = DpopKey.generate();
        Map<String, String> form = Http.form("grant_type", "client_credentials");
        String url = tokenUrl();
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("not.a.jwt", "the DPoP proof is not a signed JWT");
        refusals.put(key.new Proof("POST", url, now()).type("JWT").sign(), "the DPoP proof's typ must be dpop+jwt");
        refusals.put(key.new Proof("POST", url, now()).type(null).sign(), "the DPoP proof's typ must be dpop+jwt");
        refusals.put(unsigned(key.proof("POST", url, now())), "the DPoP proof is not a signed JWT");
        refusals.put(key.new Proof("POST", url, now()).hmac().sign(), "the DPoP proof's alg must be one of " + ALGS);
        refusals.put(key.new Proof("POST", url, now()).privateKeyInHeader().sign(), "the DPoP proof's jwk must not hold a private key");
        refusals.put(key.new Proof("POST", url, now()).signedBy(DpopKey.generate()).sign(), "the DPoP proof's signature does not verify with its jwk");
        refusals.put(key.proof("GET", url, now()), "the DPoP proof's htm is not this request's method");
        refusals.put(key.proof("POST", server.url("/oauth2/par"), now()), "the DPoP proof's htu is not this request's URI");
        refusals.put(key.proof("POST", "https://elsewhere.example/oauth2/token", now()), "the DPoP proof's htu is not this request's URI");
        refusals.put(key.proof("POST", url, now().minusSeconds(61)), "the DPoP proof's iat is too old: make a new one for each request");
        refusals.put(key.proof("POST", url, now().plusSeconds(61)), "the DPoP proof's iat is in the future");
        refusals.put(key.new Proof("POST", url, now()).claims(c -> c.jwtID(null)).sign(), "the DPoP proof must have a jti");
        refusals.put(key.new Proof("POST", url, now()).claims(c -> c.claim("htu", null)).sign(), "the DPoP proof must have a htu");
        refusals.put(key.new Proof("POST", url, now()).claims(c -> c.claim("htm", 7)).sign(), "the DPoP proof's htm must be a string");
        refusals.put(key.new Proof("POST", url, now()).claims(c -> c.issueTime(null)).sign(), "the DPoP proof must have an iat");
        refusals.forEach((proof, description) ->
                assertBadRequest(tokenRequest(client, form, proof), "invalid_dpop_proof", description));
        assertBadRequest(tokenRequest(client, form, key.proof("POST", url, now()), key.proof("POST", url, now())),
                "invalid_dpop_proof", "send one DPoP header, not several");

        // Within the window either way it is accepted, once.
        String proof = key.proof("POST", url, now().minusSeconds(59));
        assertThat(tokenRequest(client, form, proof).status()).isEqualTo(200);
        assertThat(tokenRequest(client, form, key.proof("POST", url, now().plusSeconds(59))).status()).isEqualTo(200);
        assertBadRequest(tokenRequest(client, form, proof), "invalid_dpop_proof", "the DPoP proof was used before: make a new one for each request");
    }

    /** The proof with its header's alg set to none and no signature. */
    private static String unsigned(String proof) {
        String[] parts = proof.split("\\.");
        String header = new String(java.util.Base64.getUrlDecoder().decode(parts[0]), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"ES256\"", "\"none\"");
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + parts[1] + ".";
    }

    @Test
    void aClientRegisteredForBoundTokensMustSendAProof() {
        TestClient client = server.client().owner(server.createUser()).dpopBound().create();
        assertBadRequest(tokens.post(client, Http.form("grant_type", "client_credentials")), "invalid_dpop_proof",
                "this client's access tokens are DPoP-bound: send a DPoP proof");
        assertThat(boundClientCredentials(client, DpopKey.generate())).containsEntry("token_type", "DPoP");
    }

    /** A native app's code, with PKCE, exchanged with {@code headers} (a DPoP proof, or none). */
    private static Http.Response publicClientTokens(TestClient app, User user, String... headers) {
        String verifier = TokenRequests.newVerifier();
        String code = tokens.code(app, user, Http.form("scope", "openid", "code_challenge", TokenRequests.s256(verifier),
                "code_challenge_method", "S256"));
        return tokens.post(Http.form("grant_type", "authorization_code", "code", code, "client_id", app.id(),
                "redirect_uri", app.redirectUri(), "code_verifier", verifier), headers);
    }

    @Test
    void aPublicClientsRefreshTokenIsBoundToItsKey() {
        User user = server.createUser();
        TestClient app = server.client().nativeApp().redirectUris("http://127.0.0.1:9/callback").create();
        DpopKey key = DpopKey.generate();
        Http.Response issued = publicClientTokens(app, user, "DPoP", key.proof("POST", tokenUrl(), now()));
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        assertThat(issued.json()).containsEntry("token_type", "DPoP");
        String refresh = (String) issued.json().get("refresh_token");

        // userinfo takes the bound token with a proof of its key, and not as a bearer token.
        String access = (String) issued.json().get("access_token");
        String userinfo = server.url("/oauth2/userinfo");
        Http.Response info = Http.client().get(userinfo, "Authorization", "DPoP " + access, "DPoP", key.proof("GET", userinfo, now(), access));
        assertThat(info.status()).as(info.body()).isEqualTo(200);
        assertThat(info.json()).containsEntry("sub", user.id().value());
        assertThat(tokens.userinfo(access).status()).isEqualTo(401);

        Map<String, String> form = Http.form("grant_type", "refresh_token", "refresh_token", refresh, "client_id", app.id());
        assertBadRequest(tokens.post(form), "invalid_grant", "the refresh token is DPoP-bound: send a DPoP proof of its key");
        assertBadRequest(tokens.post(form, "DPoP", DpopKey.generate().proof("POST", tokenUrl(), now())), "invalid_grant",
                "the refresh token is bound to another key than the DPoP proof's");
        // Refused before it was used up: the client's own key still refreshes it, and the successor is bound too.
        Http.Response refreshed = tokens.post(form, "DPoP", key.proof("POST", tokenUrl(), now()));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(refreshed.json()).containsEntry("token_type", "DPoP");
        Map<String, String> next = Http.form("grant_type", "refresh_token", "refresh_token", (String) refreshed.json().get("refresh_token"),
                "client_id", app.id());
        assertBadRequest(tokens.post(next), "invalid_grant", "the refresh token is DPoP-bound: send a DPoP proof of its key");
        assertThat(tokens.post(next, "DPoP", key.proof("POST", tokenUrl(), now())).status()).isEqualTo(200);
    }

    @Test
    void aPublicClientsRefreshTokenIsBoundOnceItsRefreshCarriesAProof() {
        User user = server.createUser();
        TestClient app = server.client().nativeApp().redirectUris("http://127.0.0.1:9/callback").create();
        Http.Response issued = publicClientTokens(app, user);
        assertThat(issued.json()).containsEntry("token_type", "bearer");

        // The first token was issued without a proof, so it is not bound; the one a proven refresh issues is.
        DpopKey key = DpopKey.generate();
        Http.Response proven = tokens.post(Http.form("grant_type", "refresh_token", "refresh_token", (String) issued.json().get("refresh_token"),
                "client_id", app.id()), "DPoP", key.proof("POST", tokenUrl(), now()));
        assertThat(proven.json()).containsEntry("token_type", "DPoP");
        assertBadRequest(tokens.post(Http.form("grant_type", "refresh_token", "refresh_token", (String) proven.json().get("refresh_token"),
                "client_id", app.id())), "invalid_grant", "the refresh token is DPoP-bound: send a DPoP proof of its key");
    }

    @Test
    void aConfidentialClientsRefreshTokenIsNotBound() {
        User user = server.createUser();
        TestClient client = server.client().create();
        DpopKey key = DpopKey.generate();
        Http.Response issued = tokenRequest(client, Http.form("grant_type", "authorization_code", "code", tokens.code(client, user, "openid"),
                "redirect_uri", client.redirectUri()), key.proof("POST", tokenUrl(), now()));
        assertThat(issued.json()).containsEntry("token_type", "DPoP");
        String refresh = (String) issued.json().get("refresh_token");
        assertThat(introspect(client, refresh).json()).containsEntry("active", true).doesNotContainKey("cnf");

        // §5: its own authentication binds it; a refresh with a new key binds the new access token to that key.
        DpopKey newKey = DpopKey.generate();
        Http.Response refreshed = tokenRequest(client, Http.form("grant_type", "refresh_token", "refresh_token", refresh),
                newKey.proof("POST", tokenUrl(), now()));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(introspect(client, (String) refreshed.json().get("access_token")).json())
                .containsEntry("cnf", Map.of("jkt", newKey.thumbprint()));
        Http.Response plain = tokens.post(client, Http.form("grant_type", "refresh_token", "refresh_token",
                (String) refreshed.json().get("refresh_token")));
        assertThat(plain.status()).as(plain.body()).isEqualTo(200);
        assertThat(plain.json()).containsEntry("token_type", "bearer");
    }

    @Test
    void dpopJktBindsTheCodeToAKey() {
        User user = server.createUser();
        TestClient client = server.client().create();
        DpopKey key = DpopKey.generate();
        Map<String, String> bound = Http.form("scope", "openid", "dpop_jkt", key.thumbprint());

        String stolen = tokens.code(client, user, bound);
        Map<String, String> exchange = Http.form("grant_type", "authorization_code", "code", stolen, "redirect_uri", client.redirectUri());
        assertBadRequest(tokenRequest(client, exchange, DpopKey.generate().proof("POST", tokenUrl(), now())), "invalid_grant",
                "the DPoP proof's key is not the one the authorization request named");
        String unproven = tokens.code(client, user, bound);
        assertBadRequest(tokens.post(client, Http.form("grant_type", "authorization_code", "code", unproven, "redirect_uri", client.redirectUri())),
                "invalid_grant", "the authorization code is bound to a DPoP key: send a DPoP proof of it");

        String code = tokens.code(client, user, bound);
        Http.Response ok = tokenRequest(client, Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri()),
                key.proof("POST", tokenUrl(), now()));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json()).containsEntry("token_type", "DPoP");
    }

    @Test
    void aMalformedDpopJktIsRefusedToTheRedirectUri() {
        TestClient client = server.client().create();
        Http.Response refused = Http.client().get(server.url("/authorize?" + Http.encode(Http.form("client_id", client.id(),
                "response_type", "code", "redirect_uri", client.redirectUri(), "state", "s", "dpop_jkt", "short"))));
        assertThat(refused.status()).isEqualTo(302);
        assertThat(refused.locationParams()).containsEntry("error", "invalid_request")
                .containsEntry("error_description", "dpop_jkt must be a SHA-256 JWK thumbprint: 43 base64url characters");
    }

    @Test
    void aProofAtParBindsTheCode() {
        User user = server.createUser();
        TestClient client = server.client().create();
        DpopKey key = DpopKey.generate();
        String par = server.url("/oauth2/par");
        Map<String, String> request = Http.form("response_type", "code", "redirect_uri", client.redirectUri(), "scope", "openid",
                "state", "st");

        Map<String, String> mismatched = new java.util.LinkedHashMap<>(request);
        mismatched.put("dpop_jkt", DpopKey.generate().thumbprint());
        assertBadRequest(Http.client().postForm(par, mismatched, "Authorization", client.basic(), "DPoP", key.proof("POST", par, now())),
                "invalid_dpop_proof", "dpop_jkt is not the thumbprint of the DPoP proof's key");

        Http.Response pushed = Http.client().postForm(par, request, "Authorization", client.basic(), "DPoP", key.proof("POST", par, now()));
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        String code = tokens.code(client, user, Http.form("request_uri", (String) pushed.json().get("request_uri"), "redirect_uri", null,
                "response_type", null, "state", null));
        assertBadRequest(tokenRequest(client, Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri()),
                DpopKey.generate().proof("POST", tokenUrl(), now())), "invalid_grant",
                "the DPoP proof's key is not the one the authorization request named");
    }

    @Test
    void theImplicitFlowCannotGiveBoundTokens() {
        assertThatThrownBy(() -> server.client().allowImplicit().dpopBound().create())
                .hasMessage("the implicit flow's access tokens cannot be DPoP-bound: allow one or the other");
    }
}
