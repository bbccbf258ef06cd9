package dev.castgate.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import dev.castgate.admin.ClientRegistrations;
import dev.castgate.clientauth.ClientAssertions;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientAuthMethod;
import dev.castgate.domain.ClientLogout;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.JwtClientAuth;
import dev.castgate.domain.RequestObjectPolicy;
import dev.castgate.domain.Scope;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The client metadata Castgate understands (RFC 7591 §2), as one table: each {@link Field} says
 * how a request's value is read and how a client's value is written back in the client
 * information response. Members not in the table are ignored and never echoed (§2). A field
 * Castgate gains later (request_object_signing_alg, ...) is one more entry here, and a column of
 * the client.
 */
public final class ClientMetadata {
    /** The name a client gets when it gives none and has no redirect URI to be named after. */
    static final String UNNAMED = "Unnamed client";

    /** What a registration asked for, defaults filled in, ready for the checks of {@code ClientRegistrations}. */
    public record Registration(String name, ClientAuthMethod authMethod, List<String> redirectUris, Set<GrantType> grantTypes,
                               Scope scope, SigningAlgorithm idTokenAlgorithm, AccessTokenFormat accessTokenFormat,
                               SigningAlgorithm accessTokenAlgorithm, boolean requirePushedAuthorizationRequests,
                               boolean emailInIdToken, Optional<String> jwks, Optional<String> jwksUri,
                               RequestObjectPolicy requestObjects, ClientLogout logout, boolean dpopBoundAccessTokens) {
        /** How the client asks to authenticate, for {@code ClientRegistrations.authenticateWith}. */
        public ClientRegistrations.Authentication authentication() { return new ClientRegistrations.Authentication(authMethod, jwks, jwksUri); }
    }

    /** The values read so far; what a request leaves out stays empty and gets its default in {@link #finish}. */
    private static final class Draft {
        Optional<String> name = Optional.empty();
        Optional<ClientAuthMethod> authMethod = Optional.empty();
        Optional<List<String>> redirectUris = Optional.empty();
        Optional<Set<GrantType>> grantTypes = Optional.empty();
        Optional<Boolean> codeResponse = Optional.empty();
        Optional<Scope> scope = Optional.empty();
        Optional<SigningAlgorithm> idTokenAlgorithm = Optional.empty();
        Optional<AccessTokenFormat> accessTokenFormat = Optional.empty();
        Optional<SigningAlgorithm> accessTokenAlgorithm = Optional.empty();
        Optional<Boolean> requirePushedAuthorizationRequests = Optional.empty();
        Optional<Boolean> emailInIdToken = Optional.empty();
        Optional<String> jwks = Optional.empty();
        Optional<String> jwksUri = Optional.empty();
        Optional<String> signingAlg = Optional.empty();
        Optional<Boolean> requireSignedRequestObject = Optional.empty();
        Optional<String> requestObjectSigningAlg = Optional.empty();
        List<String> postLogoutRedirectUris = List.of();
        Optional<String> backchannelLogoutUri = Optional.empty();
        boolean backchannelLogoutSessionRequired;
        boolean dpopBoundAccessTokens;
    }

    @FunctionalInterface
    private interface Reader {
        void read(JsonNode value, Draft draft);
    }

    @FunctionalInterface
    private interface Writer {
        Object write(Client client, ClientAuthMethod authMethod);
    }

    private record Field(String name, Reader reader, Writer writer) {}

    private static final List<Field> FIELDS = List.of(
            new Field("client_name", (v, d) -> d.name = Optional.of(text(v, "client_name")), (c, m) -> c.name()),
            new Field("redirect_uris", (v, d) -> d.redirectUris = Optional.of(redirectUris(v)), (c, m) -> c.redirectUris()),
            new Field("grant_types", (v, d) -> d.grantTypes = Optional.of(grantTypes(v)),
                    (c, m) -> c.grantTypes().stream().map(GrantType::wireName).sorted().toList()),
            new Field("response_types", (v, d) -> d.codeResponse = Optional.of(responseTypes(v)),
                    (c, m) -> c.allows(GrantType.AUTHORIZATION_CODE) ? List.of("code") : List.of()),
            new Field("scope", (v, d) -> d.scope = Optional.of(scope(v)), (c, m) -> c.allowedScope().wireValue()),
            new Field("token_endpoint_auth_method", (v, d) -> d.authMethod = Optional.of(authMethod(v)), (c, m) -> m.wireName()),
            new Field("id_token_signed_response_alg", (v, d) -> d.idTokenAlgorithm = Optional.of(algorithm(v, "id_token_signed_response_alg")),
                    (c, m) -> c.idTokenAlgorithm().name()),
            // Castgate's own, named as the command line's client JSON names them.
            new Field("access_token_format", (v, d) -> d.accessTokenFormat = Optional.of(accessTokenFormat(v)),
                    (c, m) -> c.accessTokenFormat().wireName()),
            new Field("access_token_signing_alg", (v, d) -> d.accessTokenAlgorithm = Optional.of(algorithm(v, "access_token_signing_alg")),
                    (c, m) -> c.accessTokenAlgorithm().name()),
            // RFC 9126 §6: false when left out. A client may ask it of itself: it only restricts the client.
            new Field("require_pushed_authorization_requests",
                    (v, d) -> d.requirePushedAuthorizationRequests = Optional.of(bool(v, "require_pushed_authorization_requests")),
                    (c, m) -> c.requirePushedAuthorizationRequests()),
            // Castgate's own: true when left out, the original service's ID tokens; false leaves
            // email and email_verified to userinfo.
            new Field("email_in_id_token", (v, d) -> d.emailInIdToken = Optional.of(bool(v, "email_in_id_token")),
                    (c, m) -> c.emailInIdToken()),

            // RFC 7591 §2: a private_key_jwt client's keys, by value or by reference; never both.
            new Field("jwks", (v, d) -> d.jwks = Optional.of(jwks(v)),
                    (c, m) -> c.jwtAuth().flatMap(JwtClientAuth::jwks).map(dev.castgate.http.Json::stored).orElse(null)),
            new Field("jwks_uri", (v, d) -> d.jwksUri = Optional.of(text(v, "jwks_uri")),
                    (c, m) -> c.jwtAuth().flatMap(JwtClientAuth::jwksUri).orElse(null)),
            // RFC 9101 §10.5: false when left out; like require_pushed_authorization_requests it only restricts the client.
            new Field("require_signed_request_object",
                    (v, d) -> d.requireSignedRequestObject = Optional.of(bool(v, "require_signed_request_object")),
                    (c, m) -> c.requestObjects().requireSigned()),
            // OIDC Dynamic Client Registration §2: the one algorithm its request objects use; none is never accepted.
            new Field("request_object_signing_alg",
                    (v, d) -> d.requestObjectSigningAlg = Optional.of(text(v, "request_object_signing_alg")),
                    (c, m) -> c.requestObjects().signingAlg().orElse(null)),
            // Checked against what the method allows; Castgate accepts every advertised algorithm of the
            // method, so the value is not kept, and not echoed.
            new Field("token_endpoint_auth_signing_alg", (v, d) -> signingAlg(text(v, "token_endpoint_auth_signing_alg"), d), (c, m) -> null),
            // RP-Initiated Logout 1.0 §3.1 and Back-Channel Logout 1.0 §2.2.
            new Field("post_logout_redirect_uris",
                    (v, d) -> d.postLogoutRedirectUris = strings(v, "post_logout_redirect_uris", OAuthError.INVALID_CLIENT_METADATA).stream().distinct().toList(),
                    (c, m) -> c.logout().postLogoutRedirectUris()),
            new Field("backchannel_logout_uri", (v, d) -> d.backchannelLogoutUri = Optional.of(text(v, "backchannel_logout_uri")),
                    (c, m) -> c.logout().backchannelLogoutUri().orElse(null)),
            new Field("backchannel_logout_session_required",
                    (v, d) -> d.backchannelLogoutSessionRequired = bool(v, "backchannel_logout_session_required"),
                    (c, m) -> c.logout().backchannelLogoutSessionRequired()),
            // RFC 9449 §5.2: false when left out; it only restricts the client.
            new Field("dpop_bound_access_tokens", (v, d) -> d.dpopBoundAccessTokens = bool(v, "dpop_bound_access_tokens"),
                    (c, m) -> c.dpopBoundAccessTokens()));

    private ClientMetadata() {}

    /**
     * Reads the metadata Castgate understands from a registration (or, RFC 7592 §2.2, a
     * replacement): defaults for what is left out, {@code invalid_client_metadata} or
     * {@code invalid_redirect_uri} for values it cannot honour. A JSON null counts as left out.
     */
    public static Registration parse(ObjectNode body) {
        Draft draft = new Draft();
        for (Field field : FIELDS) {
            JsonNode value = body.get(field.name());
            if (value != null && !value.isNull()) field.reader().read(value, draft);
        }
        return finish(draft);
    }

    /** The metadata of a registered client, for the client information response (RFC 7591 §3.2.1). */
    public static Map<String, Object> write(Client client, ClientAuthMethod authMethod) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Field field : FIELDS) {
            Object value = field.writer().write(client, authMethod);
            if (value != null) out.put(field.name(), value); // a value the client does not have is left out
        }
        return out;
    }

    /** RFC 7591 §2 and §2.1: the defaults, and response types that agree with the grant types. */
    private static Registration finish(Draft d) {
        // RFC 7591 §2: without grant_types a client uses the authorization code grant only.
        Set<GrantType> grants = d.grantTypes.orElse(EnumSet.of(GrantType.AUTHORIZATION_CODE));
        boolean code = grants.contains(GrantType.AUTHORIZATION_CODE);
        if (d.codeResponse.isPresent() && d.codeResponse.get() != code) {
            throw invalid(code ? "the authorization_code grant needs the response type code"
                    : "the response type code needs the authorization_code grant");
        }
        List<String> uris = d.redirectUris.orElse(List.of());
        ClientAuthMethod method = d.authMethod.orElse(ClientAuthMethod.CLIENT_SECRET_BASIC);
        if (d.jwks.isPresent() && d.jwksUri.isPresent()) throw invalid("jwks and jwks_uri must not both be given");
        if (method == ClientAuthMethod.PRIVATE_KEY_JWT && d.jwks.isEmpty() && d.jwksUri.isEmpty()) {
            throw invalid("private_key_jwt needs the client's public keys, in jwks or at jwks_uri");
        }
        if (method != ClientAuthMethod.PRIVATE_KEY_JWT && (d.jwks.isPresent() || d.jwksUri.isPresent())) {
            throw invalid("jwks and jwks_uri are for token_endpoint_auth_method private_key_jwt");
        }
        if (d.signingAlg.isPresent()) {
            List<String> allowed = (method == ClientAuthMethod.PRIVATE_KEY_JWT ? ClientAssertions.KEY_ALGORITHMS
                    : method == ClientAuthMethod.CLIENT_SECRET_JWT ? ClientAssertions.SECRET_ALGORITHMS : List.<JWSAlgorithm>of())
                    .stream().map(JWSAlgorithm::getName).toList();
            if (!allowed.contains(d.signingAlg.get())) {
                throw invalid("token_endpoint_auth_signing_alg " + d.signingAlg.get() + " is not one " + method.wireName() + " allows");
            }
        }
        return new Registration(d.name.orElseGet(() -> defaultName(uris)), method,
                uris, grants, d.scope.orElse(new Scope(new TreeSet<>(Scope.KNOWN))),
                d.idTokenAlgorithm.orElse(SigningAlgorithm.RS256), d.accessTokenFormat.orElse(AccessTokenFormat.OPAQUE),
                d.accessTokenAlgorithm.orElse(SigningAlgorithm.ES256), d.requirePushedAuthorizationRequests.orElse(false),
                d.emailInIdToken.orElse(true), d.jwks, d.jwksUri,
                new RequestObjectPolicy(d.requireSignedRequestObject.orElse(false), d.requestObjectSigningAlg),
                new ClientLogout(d.postLogoutRedirectUris, d.backchannelLogoutUri, d.backchannelLogoutSessionRequired),
                d.dpopBoundAccessTokens);
    }

    /** A client without a name is named after its first redirect URI's host, which people can recognise. */
    private static String defaultName(List<String> uris) {
        if (uris.isEmpty()) return UNNAMED;
        try {
            String host = new URI(uris.get(0)).getHost();
            return host == null || host.isBlank() ? UNNAMED : host;
        } catch (java.net.URISyntaxException e) {
            return UNNAMED; // refused later, with the reason
        }
    }

    private static boolean bool(JsonNode value, String name) {
        if (!value.isBoolean()) throw invalid(name + " must be true or false");
        return value.booleanValue();
    }

    private static String text(JsonNode value, String name) {
        if (!value.isTextual()) throw invalid(name + " must be a string");
        return value.textValue();
    }

    private static List<String> strings(JsonNode value, String name, OAuthError error) {
        if (!value.isArray()) throw new OAuthException(error, name + " must be an array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) throw new OAuthException(error, name + " must be an array of strings");
            out.add(item.textValue());
        }
        return out;
    }

    private static List<String> redirectUris(JsonNode value) {
        return strings(value, "redirect_uris", OAuthError.INVALID_REDIRECT_URI).stream().distinct().toList();
    }

    /**
     * Every grant type Castgate knows; whether this client may have it ({@code password} only
     * where an operator allowed it) is {@code ClientRegistrations}' decision.
     */
    private static Set<GrantType> grantTypes(JsonNode value) {
        Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
        for (String raw : strings(value, "grant_types", OAuthError.INVALID_CLIENT_METADATA)) {
            if (raw.equals("implicit")) throw invalid("the implicit flow is allowed only by an operator");
            grants.add(GrantType.find(raw).orElseThrow(() -> invalid("unsupported grant type '" + raw + "'")));
        }
        if (grants.isEmpty()) throw invalid("grant_types must name at least one grant type");
        return grants;
    }

    /** Whether {@code code} is asked for; it is the only response type a client may register (RFC 9700 §2.1.2). */
    private static boolean responseTypes(JsonNode value) {
        boolean code = false;
        for (String raw : strings(value, "response_types", OAuthError.INVALID_CLIENT_METADATA)) {
            if (!raw.equals("code")) throw invalid("unsupported response type '" + raw + "'; only code may be registered");
            code = true;
        }
        return code;
    }

    private static Scope scope(JsonNode value) {
        Scope scope = Scope.parseOrNull(text(value, "scope"));
        if (scope == null) throw invalid("scope holds characters that are not allowed");
        return scope;
    }

    private static ClientAuthMethod authMethod(JsonNode value) {
        String raw = text(value, "token_endpoint_auth_method");
        return ClientAuthMethod.find(raw).orElseThrow(() -> invalid("unsupported token_endpoint_auth_method '" + raw
                + "'; use client_secret_basic, client_secret_post, private_key_jwt, client_secret_jwt or none"));
    }

    private static SigningAlgorithm algorithm(JsonNode value, String name) {
        String raw = text(value, name);
        try {
            return SigningAlgorithm.parse(raw);
        } catch (IllegalArgumentException e) {
            throw invalid(name + " must be RS256 or ES256, not '" + raw + "'");
        }
    }

    private static AccessTokenFormat accessTokenFormat(JsonNode value) {
        String raw = text(value, "access_token_format");
        try {
            return AccessTokenFormat.parse(raw);
        } catch (IllegalArgumentException e) {
            throw invalid("access_token_format must be opaque or jwt, not '" + raw + "'");
        }
    }

    /** A JWK Set object (RFC 7517 §5), kept as its JSON text; its keys are checked on registration. */
    private static String jwks(JsonNode value) {
        if (!value.isObject()) throw invalid("jwks must be a JWK Set object");
        return value.toString();
    }

    private static void signingAlg(String raw, Draft d) { d.signingAlg = Optional.of(raw); }

    static OAuthException invalid(String description) {
        return new OAuthException(OAuthError.INVALID_CLIENT_METADATA, description);
    }
}
