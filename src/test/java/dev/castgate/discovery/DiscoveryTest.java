package dev.castgate.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Provider metadata (OIDC Discovery §3/§4, RFC 8414 §2/§3), the JWK Set (RFC 7517) and the
 * operational endpoints. What the metadata advertises must be what the server does.
 */
class DiscoveryTest {
    @CastgateServer static TestServer server;

    @Test
    void bothWellKnownDocumentsAreTheSame() {
        Http.Response oidc = Http.client().get(server.url("/.well-known/openid-configuration"));
        Http.Response oauth = Http.client().get(server.url("/.well-known/oauth-authorization-server"));
        for (Http.Response r : List.of(oidc, oauth)) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        }
        assertThat(oauth.json()).isEqualTo(oidc.json());
    }

    @Test
    void issuerAndEndpointsAreExact() {
        Map<String, Object> metadata = metadata();
        String issuer = server.issuer();
        // OIDC Discovery §4.3 / RFC 8414 §3.3: identical to the issuer the document was fetched for.
        assertThat(metadata).containsEntry("issuer", issuer)
                .containsEntry("authorization_endpoint", issuer + "/authorize")
                .containsEntry("token_endpoint", issuer + "/oauth2/token")
                .containsEntry("userinfo_endpoint", issuer + "/oauth2/userinfo")
                .containsEntry("jwks_uri", issuer + "/oauth2/jwks")
                // RFC 9126 §5; pushing is not required unless par.required says so (PushedAuthorizationRequestTest).
                .containsEntry("pushed_authorization_request_endpoint", issuer + "/oauth2/par")
                .containsEntry("require_pushed_authorization_requests", false);
    }

    @Test
    void requiredMetadataIsPresent() {
        // OIDC Discovery §3: REQUIRED members.
        assertThat(metadata()).containsKeys("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
                "response_types_supported", "subject_types_supported", "id_token_signing_alg_values_supported");
    }

    @Test
    void listsWhatIsImplemented() {
        Map<String, Object> metadata = metadata();
        assertThat(metadata).containsEntry("response_types_supported", List.of("code"))
                // OAuth 2.0 Form Post Response Mode (FormPostResponseModeTest) and JARM (JarmResponseModeTest).
                .containsEntry("response_modes_supported", List.of("query", "form_post", "query.jwt", "form_post.jwt", "jwt"))
                .containsEntry("authorization_signing_alg_values_supported", List.of("RS256", "ES256"))
                .doesNotContainKeys("authorization_encryption_alg_values_supported", "authorization_encryption_enc_values_supported")
                // RFC 9701 §7 (IntrospectionTest); no encryption is offered, so neither of its encryption members is listed.
                .containsEntry("introspection_signing_alg_values_supported", List.of("RS256", "ES256"))
                .doesNotContainKeys("introspection_encryption_alg_values_supported", "introspection_encryption_enc_values_supported")
                .containsEntry("subject_types_supported", List.of("public"))
                .containsEntry("code_challenge_methods_supported", List.of("S256"))
                // RFC 9449 (DpopTest): asymmetric proofs only.
                .containsEntry("dpop_signing_alg_values_supported",
                        List.of("ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512"))
                .containsEntry("id_token_signing_alg_values_supported", List.of("RS256", "ES256"))
                // RFC 9101 (RequestObjectTest): by value; by reference only with request_objects.by_reference.
                .containsEntry("request_parameter_supported", true)
                .containsEntry("request_uri_parameter_supported", false)
                .containsEntry("require_signed_request_object", false)
                .containsEntry("request_object_signing_alg_values_supported",
                        List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512"))
                .containsEntry("claims_parameter_supported", true)
                // "1" a password, "2" a password and a second factor (README, Second factor).
                .containsEntry("acr_values_supported", List.of("1", "2"))
                .containsEntry("authorization_response_iss_parameter_supported", true)
                // RP-Initiated and Back-Channel Logout 1.0 (EndSessionTest, BackChannelLogoutTest); no front-channel logout.
                .containsEntry("end_session_endpoint", server.issuer() + "/logout")
                .containsEntry("backchannel_logout_supported", true)
                .containsEntry("backchannel_logout_session_supported", true)
                .containsEntry("frontchannel_logout_supported", false);
        assertThat(strings(metadata, "scopes_supported")).contains("openid", "profile", "email", "broadcaster");
        assertThat(strings(metadata, "grant_types_supported")).contains("authorization_code", "refresh_token", "client_credentials");
        // The password grant is implemented (for clients registered for it), so it is listed; the
        // legacy implicit flow and PKCE plain are per-client exceptions and are not advertised.
        assertThat(strings(metadata, "grant_types_supported")).contains("password").doesNotContain("implicit");
        assertThat(strings(metadata, "response_types_supported")).containsExactly("code");
        // JWT client authentication (RFC 7523) is always on; mutual TLS (RFC 8705) is not offered, so not listed.
        assertThat(strings(metadata, "token_endpoint_auth_methods_supported"))
                .containsExactly("client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt", "none");
        List<String> algs = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512");
        assertThat(strings(metadata, "token_endpoint_auth_signing_alg_values_supported")).isEqualTo(algs).doesNotContain("none");
        assertThat(metadata).containsEntry("revocation_endpoint", server.issuer() + "/oauth2/token/revoke")
                .containsEntry("introspection_endpoint", server.issuer() + "/oauth2/introspect");
        assertThat(strings(metadata, "revocation_endpoint_auth_methods_supported"))
                .containsExactly("client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt", "none");
        assertThat(strings(metadata, "revocation_endpoint_auth_signing_alg_values_supported")).isEqualTo(algs);
        // Public clients cannot introspect (RFC 7662 §2.1), so none is not offered there.
        assertThat(strings(metadata, "introspection_endpoint_auth_methods_supported"))
                .containsExactly("client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt");
        assertThat(strings(metadata, "introspection_endpoint_auth_signing_alg_values_supported")).isEqualTo(algs);
        assertThat(strings(metadata, "claims_supported")).contains("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce",
                "at_hash", "acr", "amr", "sid", "email", "email_verified", "name", "preferred_username", "updated_at")
                .doesNotContain("picture", "locale");
        assertThat(metadata).containsEntry("claims_parameter_supported", true);
        assertThat(strings(metadata, "scopes_supported")).containsExactly("openid", "profile", "email", "broadcaster");
    }

    @Test
    void everyAdvertisedEndpointAnswers() {
        Map<String, Object> metadata = metadata();
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            if (!e.getKey().endsWith("_endpoint") && !e.getKey().equals("jwks_uri")) continue;
            String url = (String) e.getValue();
            assertThat(url).as(e.getKey()).startsWith(server.issuer() + "/");
            Http.Response get = Http.client().get(url);
            Http.Response post = Http.client().postForm(url, Map.of());
            assertThat(List.of(get.status(), post.status())).as(e.getKey() + " answers GET or POST")
                    .anyMatch(status -> status != 404 && status != 405);
        }
    }

    @Test
    void everyAdvertisedGrantTypeIsKnownToTheTokenEndpoint() {
        TestClient client = server.client().create();
        for (String grantType : strings(metadata(), "grant_types_supported")) {
            Http.Response r = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", grantType),
                    "Authorization", client.basic());
            assertThat(r.json().get("error")).as(grantType).isNotEqualTo("unsupported_grant_type");
        }
    }

    @Test
    void everyAdvertisedScopeAndPromptIsAcceptedByTheAuthorizationEndpoint() {
        TestClient client = server.client().create();
        Map<String, Object> metadata = metadata();
        for (String scope : strings(metadata, "scopes_supported")) {
            Http.Response r = Http.client().get(Urls.withQuery(server.url("/authorize"), Http.form("client_id", client.id(),
                    "redirect_uri", client.redirectUri(), "response_type", "code", "scope", scope)));
            assertThat(r.status()).as(scope + ": " + r.header("Location").orElse("")).isEqualTo(200);
        }
        for (String prompt : strings(metadata, "prompt_values_supported")) {
            Http.Response r = Http.client().get(Urls.withQuery(server.url("/authorize"), Http.form("client_id", client.id(),
                    "redirect_uri", client.redirectUri(), "response_type", "code", "prompt", prompt)));
            // prompt=none without a session is answered with login_required, which is support too.
            if (r.status() == 302) assertThat(r.locationParams()).as(prompt).containsEntry("error", "login_required");
            else assertThat(r.status()).as(prompt).isEqualTo(200);
        }
    }

    @Test
    void advertisedClaimsAreTheOnesIssued() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        String code = browser.code(browser.authorize(Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", "openid profile email", "nonce", "n"), user.username(), TestServer.PASSWORD), null);
        Map<String, Object> token = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri()),
                "Authorization", client.basic()).json();
        Map<String, Object> userinfo = Http.client().get(server.url("/oauth2/userinfo"),
                "Authorization", "Bearer " + token.get("access_token")).json();
        String[] parts = ((String) token.get("id_token")).split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8);

        List<String> advertised = strings(metadata(), "claims_supported");
        assertThat(advertised).containsAll(userinfo.keySet());
        for (String claim : advertised) {
            assertThat(userinfo.containsKey(claim) || payload.contains("\"" + claim + "\"")).as(claim + " is issued somewhere").isTrue();
        }
    }

    @Test
    void metadataIsCacheableJson() {
        Http.Response r = Http.client().get(server.url("/.well-known/openid-configuration"));
        assertThat(r.header("Cache-Control")).hasValueSatisfying(c -> assertThat(c).contains("max-age"));
        assertThat(r.header("Set-Cookie")).isEmpty();
    }

    // ---- JWKS ----

    @Test
    void jwksHasAnRs256AndAnEs256PublicKeyWithNoPrivateParts() {
        Http.Response r = Http.client().get(server.url("/oauth2/jwks"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/jwk-set+json"));
        assertThat(r.json()).containsOnlyKeys("keys");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) r.json().get("keys");
        assertThat(keys).hasSizeGreaterThanOrEqualTo(2);

        Map<String, Object> rsa = keys.stream().filter(k -> "RS256".equals(k.get("alg"))).findFirst().orElseThrow();
        assertThat(rsa).containsEntry("kty", "RSA").containsEntry("use", "sig").containsKeys("kid", "n", "e");
        // RFC 7518 §6.3.2: the private members; §6.2.2 for EC.
        assertThat(rsa).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi", "oth");
        assertThat(java.util.Base64.getUrlDecoder().decode((String) rsa.get("n"))).hasSizeGreaterThanOrEqualTo(256);

        Map<String, Object> ec = keys.stream().filter(k -> "ES256".equals(k.get("alg"))).findFirst().orElseThrow();
        assertThat(ec).containsEntry("kty", "EC").containsEntry("crv", "P-256").containsEntry("use", "sig")
                .containsKeys("kid", "x", "y").doesNotContainKey("d");

        for (Map<String, Object> key : keys) {
            assertThat(key).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi", "oth", "k");
        }
        assertThat(keys.stream().map(k -> k.get("kid")).distinct().count()).isEqualTo(keys.size());
        assertThat(r.body()).doesNotContain("\"d\"");
    }

    @Test
    void jwksIsStableAcrossRequests() {
        assertThat(Http.client().get(server.url("/oauth2/jwks")).json()).isEqualTo(Http.client().get(server.url("/oauth2/jwks")).json());
    }

    // ---- health and unknown paths ----

    @Test
    void healthEndpointsAnswer() {
        for (String path : List.of("/health/live", "/health/ready")) {
            Http.Response r = Http.client().get(server.url(path));
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.json()).as(path).containsEntry("status", "up");
        }
    }

    @Test
    void unknownPathIsJson404() {
        for (String path : List.of("/no/such/thing", "/oauth2/nothing", "/.well-known/unknown")) {
            Http.Response r = Http.client().get(server.url(path));
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.header("Content-Type")).as(path).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(r.json()).as(path).isEqualTo(Map.of("error", "not_found", "error_description", "no such endpoint"));
        }
    }

    @Test
    void wrongMethodIsJson405() {
        Http.Response r = Http.client().postForm(server.url("/.well-known/openid-configuration"), Map.of());
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.json()).containsEntry("error", "invalid_request");
    }

    // ---- helpers ----

    private static Map<String, Object> metadata() {
        Http.Response r = Http.client().get(server.url("/.well-known/openid-configuration"));
        assertThat(r.status()).isEqualTo(200);
        return r.json();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> metadata, String key) {
        assertThat(metadata).containsKey(key);
        return (List<String>) metadata.get(key);
    }
}
