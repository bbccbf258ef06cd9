package dev.castgate.admin.api;

import dev.castgate.admin.ClientRegistrations;
import dev.castgate.audit.Operator;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientAuthMethod;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.ClientLogout;
import dev.castgate.domain.ClientType;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.RequestObjectPolicy;
import dev.castgate.domain.Scope;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Json;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** {@code /clients}: what {@code castgate client} does, through {@link ClientRegistrations}. */
final class ClientsResource {
    /** The settings a client is registered and updated with, as {@link ClientRegistrations#describe} shows them. */
    static final List<AdminRoute.Field> SETTINGS = List.of(
            AdminRoute.Field.body("redirect_uris", false, "array", "redirect URIs; on update, replaces the registered list"),
            AdminRoute.Field.body("grant_types", false, "array", "grant types; default authorization_code, refresh_token (and client_credentials for web)"),
            AdminRoute.Field.body("scope", false, "string", "space-separated scopes the client may ask for; default all"),
            AdminRoute.Field.body("owner", false, "string", "username or email of the account client_credentials tokens act for"),
            AdminRoute.Field.body("access_token_ttl", false, "integer", "access token lifetime in seconds; null or absent: the server's"),
            AdminRoute.Field.body("id_token_signed_response_alg", false, "string", "RS256 (default) or ES256"),
            AdminRoute.Field.body("access_token_format", false, "string", "opaque (default) or jwt"),
            AdminRoute.Field.body("access_token_signing_alg", false, "string", "ES256 (default) or RS256"),
            AdminRoute.Field.body("refresh_grace", false, "integer", "seconds a rotated refresh token may be retried, 0 to 60; default 30"),
            AdminRoute.Field.body("allow_implicit", false, "boolean", "legacy implicit flow"),
            AdminRoute.Field.body("allow_password", false, "boolean", "legacy password grant (adds or removes it)"),
            AdminRoute.Field.body("allow_pkce_plain", false, "boolean", "legacy PKCE plain"),
            AdminRoute.Field.body("prefix_redirect_match", false, "boolean", "legacy prefix redirect matching"),
            AdminRoute.Field.body("legacy_api_writes", false, "boolean", "legacy scope-free Streaming API writes"),
            AdminRoute.Field.body("resource_server", false, "boolean", "may introspect other clients' access tokens (web only)"),
            AdminRoute.Field.body("admin", false, "boolean", "an admin client: may receive the admin scope through client_credentials (web only)"),
            AdminRoute.Field.body("require_pushed_authorization_requests", false, "boolean",
                    "accept its authorization requests only when pushed to /oauth2/par first"),
            AdminRoute.Field.body("email_in_id_token", false, "boolean",
                    "email and email_verified in ID tokens with the email scope (default true); false: userinfo only"),
            AdminRoute.Field.body("require_signed_request_object", false, "boolean",
                    "accept its authorization requests only inside a request object signed with its keys (RFC 9101)"),
            AdminRoute.Field.body("request_object_signing_alg", false, "string",
                    "the one algorithm its request objects must be signed with, such as PS256; null or absent: any its keys allow"),
            AdminRoute.Field.body("post_logout_redirect_uris", false, "array",
                    "where the browser may be sent after a logout the client asks for (exact match); on update, replaces the list"),
            AdminRoute.Field.body("backchannel_logout_uri", false, "string",
                    "where logout tokens are posted when a session the client had a grant in ends (https); null removes it"),
            AdminRoute.Field.body("backchannel_logout_session_required", false, "boolean", "the client needs sid in logout tokens"),
            AdminRoute.Field.body("dpop_bound_access_tokens", false, "boolean",
                    "its token requests must carry a DPoP proof, so all its access tokens are bound to a key (RFC 9449)"),

            AdminRoute.Field.body("token_endpoint_auth_method", false, "string",
                    "web clients: client_secret_basic (default; the secret in the Basic header or the form), private_key_jwt or client_secret_jwt (RFC 7523; a new secret is in the answer)"),
            AdminRoute.Field.body("jwks", false, "object", "private_key_jwt: the client's public keys, a JWK Set"),
            AdminRoute.Field.body("jwks_uri", false, "string", "private_key_jwt: where the server fetches the client's JWK Set (https)"));

    private final ClientRegistrations registrations;
    private final String base;
    private final ClientRegistrations.SecretSealer sealer;

    ClientsResource(ClientRegistrations registrations, String base, ClientRegistrations.SecretSealer sealer) {
        this.registrations = registrations;
        this.sealer = sealer;
        this.base = base;
    }

    void list(Context ctx, Operator operator) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Client c : registrations.list()) all.add(body(c));
        Json.respond(ctx, 200, Map.of("clients", all));
    }

    void get(Context ctx, Operator operator) {
        Json.respond(ctx, 200, body(registrations.require(id(ctx))));
    }

    void create(Context ctx, Operator operator) {
        AdminBody b = AdminBody.parse(ctx, AdminApi.names(AdminApi.CLIENT_CREATE_FIELDS));
        ClientType type = parsed(b.requireString("type"), "type", ClientType::parse);
        Optional<ClientRegistrations.Authentication> how = authentication(b);
        how.ifPresent(ClientsResource::checked);
        Set<GrantType> grants = ClientRegistrations.grantsToRegister(type, grantTypes(b).orElse(Set.of()),
                b.bool("allow_password").orElse(false));
        ClientRegistrations.Registered registered = registrations.by(operator).register(new ClientRegistrations.Request(
                b.requireString("name"), type, b.strings("redirect_uris").orElse(List.of()), grants, scope(b), b.string("owner"),
                seconds(b, "access_token_ttl"),
                b.string("id_token_signed_response_alg").map(v -> parsed(v, "id_token_signed_response_alg", SigningAlgorithm::parse))
                        .orElse(SigningAlgorithm.RS256),
                b.string("access_token_format").map(v -> parsed(v, "access_token_format", AccessTokenFormat::parse)).orElse(AccessTokenFormat.OPAQUE),
                b.string("access_token_signing_alg").map(v -> parsed(v, "access_token_signing_alg", SigningAlgorithm::parse))
                        .orElse(SigningAlgorithm.ES256),
                seconds(b, "refresh_grace"),
                new Client.Legacy(b.bool("allow_implicit").orElse(false), b.bool("allow_pkce_plain").orElse(false),
                        b.bool("prefix_redirect_match").orElse(false), b.bool("legacy_api_writes").orElse(false)),
                b.bool("resource_server").orElse(false), b.bool("admin").orElse(false),
                b.bool("require_pushed_authorization_requests").orElse(false), b.bool("email_in_id_token").orElse(true),
                new RequestObjectPolicy(b.bool("require_signed_request_object").orElse(false), b.string("request_object_signing_alg")),
                new ClientLogout(b.strings("post_logout_redirect_uris").orElse(List.of()), b.string("backchannel_logout_uri"),
                        b.bool("backchannel_logout_session_required").orElse(false)),
                b.bool("dpop_bound_access_tokens").orElse(false)));
        if (how.isPresent()) {
            ClientRegistrations.Registered changed = registrations.by(operator).authenticateWith(registered.client().id(), how.get(), sealer,
                    ClientRegistrations.Via.OPERATOR);
            Optional<String> made = how.get().method() == ClientAuthMethod.PRIVATE_KEY_JWT ? Optional.empty() : registered.secret();
            registered = new ClientRegistrations.Registered(changed.client(), changed.secret().or(() -> made));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", registered.client().id().value());
        registered.secret().ifPresent(s -> body.put("client_secret", s)); // shown this once; stored only as a hash
        body.putAll(ClientRegistrations.describe(registered.client()));
        ctx.header("Location", base + "/clients/" + registered.client().id().value());
        Json.respond(ctx, 201, body);
    }

    void update(Context ctx, Operator operator) {
        ClientId id = id(ctx);
        registrations.require(id); // an unknown client is 404 before its body is judged
        AdminBody b = AdminBody.parse(ctx, AdminApi.names(AdminApi.CLIENT_UPDATE_FIELDS));
        Optional<ClientRegistrations.Authentication> how = authentication(b);
        how.ifPresent(ClientsResource::checked);
        Optional<Optional<Duration>> ttl = b.isNull("access_token_ttl") ? Optional.of(Optional.empty())
                : seconds(b, "access_token_ttl").map(Optional::of);
        Client updated = registrations.by(operator).update(id, new ClientRegistrations.Changes(
                b.string("name"), b.strings("redirect_uris"), grantTypes(b), b.has("scope") ? Optional.of(scope(b).orElse(Scope.EMPTY)) : Optional.empty(),
                b.string("owner"), ttl,
                b.string("id_token_signed_response_alg").map(v -> parsed(v, "id_token_signed_response_alg", SigningAlgorithm::parse)),
                b.string("access_token_format").map(v -> parsed(v, "access_token_format", AccessTokenFormat::parse)),
                b.string("access_token_signing_alg").map(v -> parsed(v, "access_token_signing_alg", SigningAlgorithm::parse)),
                seconds(b, "refresh_grace"),
                b.bool("allow_implicit"), b.bool("allow_password"), b.bool("allow_pkce_plain"), b.bool("prefix_redirect_match"),
                b.bool("legacy_api_writes"), b.bool("resource_server"), b.bool("admin"), b.bool("require_pushed_authorization_requests"),
                b.bool("email_in_id_token"), b.bool("require_signed_request_object"),
                b.isNull("request_object_signing_alg") ? Optional.of(Optional.empty())
                        : b.string("request_object_signing_alg").map(Optional::of),
                b.strings("post_logout_redirect_uris"),
                b.isNull("backchannel_logout_uri") ? Optional.of(Optional.empty()) : b.string("backchannel_logout_uri").map(Optional::of),
                b.bool("backchannel_logout_session_required"), b.bool("dpop_bound_access_tokens")));
        if (how.isEmpty()) {
            Json.respond(ctx, 200, body(updated));
            return;
        }
        ClientRegistrations.Registered changed = registrations.by(operator).authenticateWith(id, how.get(), sealer, ClientRegistrations.Via.OPERATOR);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", id.value());
        changed.secret().ifPresent(s -> body.put("client_secret", s)); // shown this once
        body.putAll(ClientRegistrations.describe(changed.client()));
        Json.respond(ctx, 200, body);
    }

    void delete(Context ctx, Operator operator) {
        registrations.by(operator).remove(id(ctx));
        ctx.status(204);
    }

    private static Map<String, Object> body(Client c) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", c.id().value());
        body.putAll(ClientRegistrations.describe(c));
        return body;
    }

    /** What the body asks of how the client authenticates, if anything; keys or their address alone mean private_key_jwt. */
    private static Optional<ClientRegistrations.Authentication> authentication(AdminBody b) {
        Optional<String> jwks = b.object("jwks");
        Optional<String> jwksUri = b.string("jwks_uri");
        Optional<ClientAuthMethod> method = b.string("token_endpoint_auth_method").map(raw -> ClientAuthMethod.find(raw)
                .orElseThrow(() -> OAuthException.invalidRequest("token_endpoint_auth_method must be client_secret_basic, client_secret_post, "
                        + "private_key_jwt or client_secret_jwt")));
        if (method.isEmpty() && jwks.isEmpty() && jwksUri.isEmpty()) return Optional.empty();
        return Optional.of(new ClientRegistrations.Authentication(method.orElse(ClientAuthMethod.PRIVATE_KEY_JWT), jwks, jwksUri));
    }

    /** Checked before anything is written, so a refused key set leaves the client as it was. */
    private static void checked(ClientRegistrations.Authentication how) { ClientRegistrations.checkAuthentication(how); }

    private static ClientId id(Context ctx) { return new ClientId(ctx.pathParam("id")); }

    private static Optional<Set<GrantType>> grantTypes(AdminBody b) {
        return b.strings("grant_types").map(names -> {
            Set<GrantType> grants = java.util.EnumSet.noneOf(GrantType.class);
            for (String name : names) {
                grants.add(GrantType.find(name.trim()).orElseThrow(() -> OAuthException.invalidRequest("unknown grant type '" + name + "'")));
            }
            return grants;
        });
    }

    private static Optional<Scope> scope(AdminBody b) {
        return b.string("scope").map(raw -> Optional.ofNullable(Scope.parseOrNull(raw))
                .orElseThrow(() -> OAuthException.invalidRequest("'scope' holds characters that are not allowed")));
    }

    private static Optional<Duration> seconds(AdminBody b, String name) { return b.integer(name).map(Duration::ofSeconds); }

    /** A value through the domain's own parser, whose words say what is allowed. */
    static <T> T parsed(String raw, String name, Function<String, T> parser) {
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest(name + ": " + e.getMessage());
        }
    }
}
