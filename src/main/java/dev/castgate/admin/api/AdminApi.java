package dev.castgate.admin.api;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;

import dev.castgate.admin.AdminException;
import dev.castgate.admin.AuditReading;
import dev.castgate.admin.ClientRegistrations;
import dev.castgate.admin.GrantAdministration;
import dev.castgate.admin.UserAdministration;
import dev.castgate.admin.api.AdminRoute.Field;
import dev.castgate.api.Caller;
import dev.castgate.api.RateLimiter;
import dev.castgate.api.TokenVerifier;
import dev.castgate.audit.Operator;
import dev.castgate.clientauth.ClientLookup;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.Scope;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.http.AccessLog;
import dev.castgate.http.BearerToken;
import dev.castgate.http.Json;
import dev.castgate.http.ResponseHeaders;
import dev.castgate.keys.KeyRotation;
import dev.castgate.keys.SigningKeys;
import dev.castgate.mail.EmailVerification;
import dev.castgate.registration.RegistrationTokens;
import dev.castgate.resource.Resources;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.router.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The admin API under {@code /admin/api}: what the command-line tool does (clients, users,
 * grants, signing keys, the audit trail, registration tokens), through the same services, for an operator's tools.
 * This class is its router: one route table, from which both the Javalin routes and the OpenAPI
 * description are made. Every request but the description's is rate limited like the Streaming
 * API's, then its access token is verified by the same {@link TokenVerifier} and must carry the
 * {@code admin} scope, which only an admin client gets, through client_credentials
 * ({@code Client.mayReceiveAdminScope}); its client must still be an admin client (the client
 * cache's {@link ClientLookup#TTL} after the flag is removed, its tokens stop working here).
 * Changes are audited as the admin client's ({@link Operator}).
 */
public final class AdminApi {
    public static final String BASE_PATH = "/admin/api";

    static final List<Field> CLIENT_CREATE_FIELDS = Stream.concat(Stream.of(
            Field.body("name", true, "string", "the client's name, 1 to 200 characters"),
            Field.body("type", true, "string", "web (confidential) or native (public, PKCE)")), ClientsResource.SETTINGS.stream()).toList();
    static final List<Field> CLIENT_UPDATE_FIELDS = Stream.concat(Stream.of(
            Field.body("name", false, "string", "a new name")), ClientsResource.SETTINGS.stream()).toList();
    static final List<Field> USER_CREATE_FIELDS = List.of(
            Field.body("username", true, "string", "2 to 64 letters, digits, dots, dashes or underscores"),
            Field.body("email", true, "string", "the email address"),
            Field.body("email_verified", false, "boolean", "mark the address verified; default false"),
            Field.body("name", false, "string", "display name"),
            Field.body("password", true, "string", "the password, under sign-up's rules"));
    static final List<Field> USER_UPDATE_FIELDS = List.of(
            Field.body("username", false, "string", "a new username"),
            Field.body("email", false, "string", "a new email: no longer verified unless email_verified is true; a link that confirms it "
                    + "goes to the new address and a notice to the old one, where mail is set up"),
            Field.body("email_verified", false, "boolean", "mark the email verified (true, and mail no link) or not (false)"),
            Field.body("name", false, "string", "a new display name; empty removes it"),
            Field.body("language", false, "string", "the language of the mails about a new email: en_US (default), hu_HU or de_DE"));
    static final List<Field> PASSWORD_FIELDS = List.of(
            Field.body("password", true, "string", "the new password, under sign-up's rules; every session of the account ends"),
            Field.body("revoke_grants", false, "boolean", "also revoke every app's and device's tokens"));
    static final List<Field> VERIFY_EMAIL_FIELDS = List.of(
            Field.body("verified", false, "boolean", "true (default) marks the email verified, false not verified"));
    static final List<Field> ROTATE_FIELDS = List.of(
            Field.body("alg", false, "string", "ES256, RS256 or all (default)"));
    static final List<Field> AUDIT_FIELDS = List.of(
            Field.query("limit", "integer", "at most this many events, 1 to 1000000; default 100"),
            Field.query("since", "string", "a time (2026-11-28T10:00:00Z) or an age (90m, 24h, 7d); default 24h"),
            Field.query("type", "string", "event types, lower case, comma-separated or repeated (user_created,client_updated); default all"));
    static final List<Field> REGISTRATION_TOKEN_FIELDS = List.of(
            Field.body("ttl", false, "integer", "how long the token lives, in seconds; default 86400 (a day)"),
            Field.body("uses", false, "integer", "how many registrations it allows; default any number until it expires"));
    static final List<Field> RESOURCE_FIELDS = List.of(
            Field.body("uri", true, "string", "the resource's identifier, an absolute URI without a fragment, which clients send as resource"),
            Field.body("name", true, "string", "a name for people"),
            Field.body("scopes", false, "array", "the only scopes a token for it may carry (openid is always kept); default: any"));
    static final List<Field> RESOURCE_DELETE_FIELDS = List.of(Field.query("uri", "string", "the resource's URI (required)"));
    static final List<Field> USER_DELETE_FIELDS = List.of(
            Field.query("remove_owned_clients", "boolean", "true: also remove the clients the account owns; otherwise an owner of clients is not removed"));

    /**
     * What every request passes before its handler: the rate limit, the token's verification (its
     * audience must be the issuer's, RFC 8707), the client's flag.
     */
    private record Gate(TokenVerifier verifier, ClientLookup clients, RateLimiter limiter, String issuer) {}

    private final Gate gate;
    private final List<AdminRoute> routes;
    private final String openApiJson;

    /** {@code verification} is the server's email verification where mail leaves, else empty. */
    public AdminApi(String issuer, TokenVerifier verifier, ClientLookup clients, RateLimiter limiter, ClientRegistrations registrations,
                    ClientRegistrations.SecretSealer sealer, UserAdministration users, Optional<EmailVerification> verification, GrantAdministration grants,
                    KeyRotation rotation, SigningKeys keys, AuditReading audit, RegistrationTokens registrationTokens, Resources resources) {
        String base = issuer + BASE_PATH;
        this.gate = new Gate(verifier, clients, limiter, issuer);
        this.routes = routeTable(new ClientsResource(registrations, base, sealer), new UsersResource(users, verification, base),
                new GrantsResource(grants), new KeysResource(rotation, keys), new AuditResource(audit),
                new RegistrationTokensResource(registrationTokens, base), new ResourcesResource(resources));
        this.openApiJson = Json.write(AdminOpenApi.build(issuer, base, routes));
    }

    private List<AdminRoute> routeTable(ClientsResource clients, UsersResource users, GrantsResource grants, KeysResource keys,
                                        AuditResource audit, RegistrationTokensResource registrationTokens, ResourcesResource resources) {
        List<Field> none = List.of();
        List<AdminRoute> table = new ArrayList<>(List.of(
                new AdminRoute(GET, "/clients", "listClients", "every client, oldest first", clients::list, none, 200),
                new AdminRoute(POST, "/clients", "createClient", "registers a client; a web client's secret is in this response only",
                        clients::create, CLIENT_CREATE_FIELDS, 201),
                new AdminRoute(GET, "/clients/{id}", "getClient", "a client's settings", clients::get, none, 200),
                new AdminRoute(PATCH, "/clients/{id}", "updateClient", "changes a client's settings; what is not given stays as it is",
                        clients::update, CLIENT_UPDATE_FIELDS, 200),
                new AdminRoute(DELETE, "/clients/{id}", "deleteClient", "removes a client and every grant and token it holds",
                        clients::delete, none, 204),

                new AdminRoute(GET, "/users", "listUsers", "every account, by username", users::list, none, 200),
                new AdminRoute(POST, "/users", "createUser", "creates an account", users::create, USER_CREATE_FIELDS, 201),
                new AdminRoute(GET, "/users/{user}", "getUser", "an account (by username or email) and what hangs off it",
                        users::get, none, 200),
                new AdminRoute(PATCH, "/users/{user}", "updateUser", "changes an account's username, email, name or email verification",
                        users::update, USER_UPDATE_FIELDS, 200),
                new AdminRoute(DELETE, "/users/{user}", "deleteUser",
                        "removes an account with its grants, tokens, sessions, consents, channels, videos, device passwords and passkeys; "
                                + "its audit events stay, anonymised", users::delete, USER_DELETE_FIELDS, 200),
                new AdminRoute(POST, "/users/{user}/password", "setUserPassword", "sets the password and ends the account's sessions",
                        users::setPassword, PASSWORD_FIELDS, 200),
                new AdminRoute(POST, "/users/{user}/verify-email", "verifyUserEmail", "marks the email verified or not",
                        users::verifyEmail, VERIFY_EMAIL_FIELDS, 200),
                new AdminRoute(POST, "/users/{user}/disable", "disableUser",
                        "disables the account: no sign-in, its sessions end and every grant it has is revoked", users::disable, none, 200),
                new AdminRoute(POST, "/users/{user}/enable", "enableUser", "lets a disabled account sign in again", users::enable, none, 200),
                new AdminRoute(POST, "/users/{user}/unlock", "unlockUser", "forgets the failed sign-ins at the account's username and email",
                        users::unlock, none, 200),
                new AdminRoute(DELETE, "/users/{user}/passkeys", "removeUserPasskeys", "removes every passkey of the account",
                        users::removePasskeys, none, 200),

                new AdminRoute(GET, "/users/{user}/grants", "listUserGrants", "the account's live grants, most recently used first",
                        grants::ofUser, none, 200),
                new AdminRoute(DELETE, "/grants/{grant_id}", "revokeGrant", "revokes a grant: every code and token it issued ends",
                        grants::revoke, none, 200),

                new AdminRoute(GET, "/keys", "listKeys", "the signing keys with their state: pending, active, retiring or retired",
                        keys::list, none, 200),
                new AdminRoute(POST, "/keys/rotate", "rotateKeys", "adds a new signing key of each algorithm named: published now, "
                        + "signing after keys.activation_delay", keys::rotate, ROTATE_FIELDS, 200),
                new AdminRoute(POST, "/keys/{kid}/retire", "retireKey", "stops publishing a signing key at once, deleting its key material",
                        keys::retire, none, 200),

                new AdminRoute(GET, "/audit", "listAuditEvents", "security events, newest first", audit::list, AUDIT_FIELDS, 200),

                new AdminRoute(GET, "/registration-tokens", "listRegistrationTokens",
                        "initial access tokens for dynamic client registration, used-up ones too, oldest first; never their secrets",
                        registrationTokens::list, none, 200),
                new AdminRoute(POST, "/registration-tokens", "createRegistrationToken",
                        "makes an initial access token; its secret (token) is in this response only", registrationTokens::create,
                        REGISTRATION_TOKEN_FIELDS, 201),
                new AdminRoute(GET, "/registration-tokens/{id}", "getRegistrationToken", "an initial access token's times, uses and state",
                        registrationTokens::get, none, 200),
                new AdminRoute(DELETE, "/registration-tokens/{id}", "revokeRegistrationToken",
                        "ends an initial access token at once; the clients it registered stay", registrationTokens::revoke, none, 200),

                new AdminRoute(GET, "/resources", "listResources",
                        "the resources clients may name with resource indicators (RFC 8707): the Streaming API, then the registered ones",
                        resources::list, none, 200),
                new AdminRoute(POST, "/resources", "addResource", "registers a resource server clients may name with resource",
                        resources::add, RESOURCE_FIELDS, 201),
                new AdminRoute(DELETE, "/resources", "removeResource",
                        "removes a registered resource; tokens issued for it keep their audience until they expire",
                        resources::remove, RESOURCE_DELETE_FIELDS, 200)));
        return List.copyOf(table);
    }

    /** The OpenAPI description's own route: it takes no token, as the Streaming API's does not; it holds nothing secret. */
    static final String OPENAPI_PATH = "/openapi.json";

    /** Registers every route of the table, and the description. */
    public void register(RoutesConfig config) {
        for (AdminRoute route : routes) config.addEndpoint(new Endpoint(route.method(), BASE_PATH + route.path(), guard(route)));
        config.addEndpoint(new Endpoint(GET, BASE_PATH + OPENAPI_PATH, ctx -> Json.respondRaw(ctx, 200, openApiJson)));
    }

    /**
     * The route's handler behind the checks, in a fixed order: rate limit, token, scope, the
     * client's admin flag. An operator's refusal (AdminException) is invalid_request, or
     * not_found for what the request names that does not exist.
     */
    private Handler guard(AdminRoute route) {
        return ctx -> {
            ResponseHeaders.noStore(ctx);
            // Counted before the token is checked, so guessing tokens spends the address's allowance.
            gate.limiter().check(ctx, BearerToken.peekInHeader(ctx).map(Hashes::sha256Hex));
            Caller caller = gate.verifier().require(ctx, gate.issuer(), BearerToken.presentedInHeader(ctx));
            AccessLog.client(ctx, caller.clientId().value());
            caller.requireAudience(gate.issuer());
            if (!caller.scope().contains(Scope.ADMIN)) {
                throw caller.refusal(OAuthException.insufficientScope(Scope.ADMIN, "the access token lacks the admin scope"));
            }
            if (!gate.clients().find(caller.clientId()).map(c -> c.mayReceiveAdminScope(GrantType.CLIENT_CREDENTIALS)).orElse(false)) {
                throw caller.refusal(OAuthException.invalidToken("the access token's client is no longer an admin client"));
            }
            try {
                route.handler().handle(ctx, Operator.adminClient(caller.clientId()));
            } catch (AdminException.NotFound e) {
                throw new OAuthException(OAuthError.NOT_FOUND, e.getMessage());
            } catch (AdminException e) {
                throw OAuthException.invalidRequest(e.getMessage());
            }
            if (route.changes()) {
                // This node's caches see the change at once (revoked tokens, changed clients); other nodes as for the tool's changes.
                gate.verifier().forgetAll();
                gate.clients().forgetAll();
            }
        };
    }

    static Set<String> names(List<Field> fields) {
        return fields.stream().filter(f -> f.in() == AdminRoute.In.BODY).map(Field::name).collect(Collectors.toUnmodifiableSet());
    }
}
