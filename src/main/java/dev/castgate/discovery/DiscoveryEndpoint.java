package dev.castgate.discovery;

import com.nimbusds.jose.JWSAlgorithm;
import dev.castgate.clientauth.ClientAssertions;
import dev.castgate.domain.AuthenticationLevel;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.ResponseMode;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.dpop.DpopProofs;
import dev.castgate.domain.Scope;
import dev.castgate.http.Json;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The provider metadata (OIDC Discovery §3, RFC 8414 §2), listing only what is implemented.
 * Built once; both well-known paths serve the same document.
 */
public final class DiscoveryEndpoint {
    private final String json;

    /**
     * {@code parRequired}: only pushed authorization requests are accepted ({@code par.required});
     * {@code requestObjectsRequired}: only requests in signed request objects are ({@code request_objects.required});
     * {@code requestObjectsByReference}: request objects are fetched from a request_uri URL.
     */
    public DiscoveryEndpoint(String issuer, boolean parRequired, boolean requestObjectsRequired, boolean requestObjectsByReference) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("authorization_endpoint", issuer + "/authorize");
        metadata.put("token_endpoint", issuer + "/oauth2/token");
        metadata.put("userinfo_endpoint", issuer + "/oauth2/userinfo");
        metadata.put("jwks_uri", issuer + "/oauth2/jwks");
        // Not admin: no client discovers its way to the admin API; an operator makes an admin client
        // and asks for the scope knowingly. RFC 8414 §2 lets a server leave scopes unadvertised.
        metadata.put("scopes_supported", List.copyOf(Scope.KNOWN));
        metadata.put("response_types_supported", List.of("code"));
        // OAuth 2.0 Form Post Response Mode and JARM; query is every response type's default here.
        metadata.put("response_modes_supported", ResponseMode.WIRE_NAMES);
        // JARM §4: signed by the client's ID token algorithm; never encrypted.
        metadata.put("authorization_signing_alg_values_supported", Arrays.stream(SigningAlgorithm.values()).map(Enum::name).toList());
        metadata.put("grant_types_supported", Arrays.stream(GrantType.values()).map(GrantType::wireName).toList());
        metadata.put("subject_types_supported", List.of("public"));
        metadata.put("id_token_signing_alg_values_supported", Arrays.stream(SigningAlgorithm.values()).map(Enum::name).toList());
        // RFC 7523 §2.2 with OIDC Core §9's names; every endpoint that authenticates clients takes the same ones.
        List<String> jwtMethods = List.of("private_key_jwt", "client_secret_jwt");
        List<String> assertionAlgs = ClientAssertions.ALGORITHMS.stream().map(JWSAlgorithm::getName).toList();
        List<String> methods = Stream.concat(Stream.of("client_secret_basic", "client_secret_post"), jwtMethods.stream()).toList();
        List<String> withNone = Stream.concat(methods.stream(), Stream.of("none")).toList();
        metadata.put("token_endpoint_auth_methods_supported", withNone);
        metadata.put("token_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        metadata.put("revocation_endpoint", issuer + "/oauth2/token/revoke");
        metadata.put("revocation_endpoint_auth_methods_supported", withNone);
        metadata.put("revocation_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        // Public clients cannot authenticate, so they cannot introspect (RFC 7662 §2.1).
        metadata.put("introspection_endpoint", issuer + "/oauth2/introspect");
        metadata.put("introspection_endpoint_auth_methods_supported", methods);
        metadata.put("introspection_endpoint_auth_signing_alg_values_supported", assertionAlgs);
        // RFC 9701 §7: a signed answer on request, by the caller's ID token algorithm; never encrypted.
        metadata.put("introspection_signing_alg_values_supported", Arrays.stream(SigningAlgorithm.values()).map(Enum::name).toList());
        metadata.put("device_authorization_endpoint", issuer + "/oauth2/device_authorization"); // RFC 8628 §4
        // RFC 9126 §5. A client may require pushing for itself; this says whether the server does for all.
        metadata.put("pushed_authorization_request_endpoint", issuer + "/oauth2/par");
        metadata.put("require_pushed_authorization_requests", parRequired);
        // RFC 8414 §2: listed whether or not registration is open; an initial access token opens it.
        metadata.put("registration_endpoint", issuer + "/oauth2/register");
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        // RFC 9449 §5.1: DPoP-bound tokens with proofs signed by these algorithms, at every endpoint.
        metadata.put("dpop_signing_alg_values_supported", DpopProofs.ALGORITHMS.stream().map(JWSAlgorithm::getName).toList());
        metadata.put("prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        metadata.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "acr", "amr", "sid",
                "name", "preferred_username", "updated_at", "email", "email_verified"));
        // "1" a password, "2" a password and a second factor; asked for with acr_values, or as an
        // acr in the claims parameter, whose other members name the person claims to return.
        metadata.put("acr_values_supported", Arrays.stream(AuthenticationLevel.values()).map(AuthenticationLevel::wireName).toList());
        metadata.put("claims_parameter_supported", true);
        // RFC 9101 §10.5, OIDC Discovery §3: signed request objects by value, at /authorize and pushed; by
        // reference only where the server fetches them; OIDC Discovery's default for that one is true, so false is said.
        metadata.put("request_parameter_supported", true);
        metadata.put("request_uri_parameter_supported", requestObjectsByReference);
        metadata.put("request_object_signing_alg_values_supported", assertionAlgs);
        metadata.put("require_signed_request_object", requestObjectsRequired); // RFC 9101 §10.5
        metadata.put("authorization_response_iss_parameter_supported", true);
        // RP-Initiated Logout 1.0 §2.1 and Back-Channel Logout 1.0 §2.1: ID tokens carry sid, and
        // logout tokens carry it too. Front-Channel Logout is not offered.
        metadata.put("end_session_endpoint", issuer + "/logout");
        metadata.put("backchannel_logout_supported", true);
        metadata.put("backchannel_logout_session_supported", true);
        metadata.put("frontchannel_logout_supported", false);
        this.json = Json.write(metadata);
    }

    public void handle(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=300");
        Json.respondRaw(ctx, 200, json);
    }
}
