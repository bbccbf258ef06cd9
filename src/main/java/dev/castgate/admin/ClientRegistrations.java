package dev.castgate.admin;

import dev.castgate.audit.AuditTrail;
import dev.castgate.audit.Operator;
import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Client;
import dev.castgate.clientauth.ClientAssertions;
import dev.castgate.clientauth.ClientKeys;
import dev.castgate.domain.ClientAuthMethod;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.ClientLogout;
import dev.castgate.domain.JwtClientAuth;
import dev.castgate.domain.RequestObjectPolicy;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.ClientType;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.http.TextRule;
import dev.castgate.store.AuditStore;
import dev.castgate.store.ClientStore;
import dev.castgate.store.Stores;
import dev.castgate.store.UserStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Registering clients, with the checks RFC 6749 §3.1.2 and RFC 8252 ask of redirect URIs. */
public final class ClientRegistrations {
    /**
     * What an operator asks for. Empty grant types or scope mean the defaults for the type; an
     * empty refresh grace means {@link Client#DEFAULT_REFRESH_GRACE} (zero, given, turns it off).
     */
    public record Request(String name, ClientType type, List<String> redirectUris, Set<GrantType> grantTypes,
                          Optional<Scope> scope, Optional<String> ownerLogin, Optional<Duration> accessTokenTtl,
                          SigningAlgorithm idTokenAlgorithm, AccessTokenFormat accessTokenFormat,
                          SigningAlgorithm accessTokenAlgorithm, Optional<Duration> refreshGrace, Client.Legacy legacy,
                          boolean resourceServer, boolean admin, boolean requirePushedAuthorizationRequests,
                          boolean emailInIdToken, RequestObjectPolicy requestObjects, ClientLogout logout,
                          boolean dpopBoundAccessTokens) {
        /**
         * A client that need not send request objects, takes no part in logout beyond the browser's
         * own, and has its access tokens bound to a key only when its token requests carry a DPoP proof.
         */
        public Request(String name, ClientType type, List<String> redirectUris, Set<GrantType> grantTypes, Optional<Scope> scope,
                       Optional<String> ownerLogin, Optional<Duration> accessTokenTtl, SigningAlgorithm idTokenAlgorithm,
                       AccessTokenFormat accessTokenFormat, SigningAlgorithm accessTokenAlgorithm, Optional<Duration> refreshGrace,
                       Client.Legacy legacy, boolean resourceServer, boolean admin, boolean requirePushedAuthorizationRequests,
                       boolean emailInIdToken) {
            this(name, type, redirectUris, grantTypes, scope, ownerLogin, accessTokenTtl, idTokenAlgorithm, accessTokenFormat,
                    accessTokenAlgorithm, refreshGrace, legacy, resourceServer, admin, requirePushedAuthorizationRequests, emailInIdToken,
                    RequestObjectPolicy.NONE, ClientLogout.NONE, false);
        }

        /** A client whose ID tokens carry the email claims as the original service's did. */
        public Request(String name, ClientType type, List<String> redirectUris, Set<GrantType> grantTypes, Optional<Scope> scope,
                       Optional<String> ownerLogin, Optional<Duration> accessTokenTtl, SigningAlgorithm idTokenAlgorithm,
                       AccessTokenFormat accessTokenFormat, SigningAlgorithm accessTokenAlgorithm, Optional<Duration> refreshGrace,
                       Client.Legacy legacy, boolean resourceServer, boolean admin, boolean requirePushedAuthorizationRequests) {
            this(name, type, redirectUris, grantTypes, scope, ownerLogin, accessTokenTtl, idTokenAlgorithm, accessTokenFormat,
                    accessTokenAlgorithm, refreshGrace, legacy, resourceServer, admin, requirePushedAuthorizationRequests, true);
        }

        /** A client whose authorization requests need not be pushed. */
        public Request(String name, ClientType type, List<String> redirectUris, Set<GrantType> grantTypes, Optional<Scope> scope,
                       Optional<String> ownerLogin, Optional<Duration> accessTokenTtl, SigningAlgorithm idTokenAlgorithm,
                       AccessTokenFormat accessTokenFormat, SigningAlgorithm accessTokenAlgorithm, Optional<Duration> refreshGrace,
                       Client.Legacy legacy, boolean resourceServer, boolean admin) {
            this(name, type, redirectUris, grantTypes, scope, ownerLogin, accessTokenTtl, idTokenAlgorithm, accessTokenFormat,
                    accessTokenAlgorithm, refreshGrace, legacy, resourceServer, admin, false, true);
        }
    }

    /** The new client and its secret, which is shown this once and stored only as a hash. */
    public record Registered(Client client, Optional<String> secret) {}

    private final Stores stores;
    private final ClientStore clients;
    private final UserStore users;
    private final AuditStore auditStore;
    private final AuditTrail audit;
    private final RandomTokens random;
    private final Clock clock;
    private final Optional<String> landingPage;
    private final Operator operator;

    /** Without a server address: the built-in landing page is then accepted only where any https or loopback URI is. */
    public ClientRegistrations(Stores stores, RandomTokens random, Clock clock) {
        this(stores, random, clock, Optional.empty());
    }

    /**
     * {@code issuer} is the server's; its built-in landing page {@code <issuer>/oauth2/redirect} is
     * accepted as a redirect URI even when the issuer is a plain-http development address.
     */
    public ClientRegistrations(Stores stores, RandomTokens random, Clock clock, String issuer) {
        this(stores, random, clock, Optional.of(issuer + LANDING_PAGE_PATH));
    }

    /** The path of the built-in landing page that shows what an authorization sent back. */
    public static final String LANDING_PAGE_PATH = "/oauth2/redirect";

    private ClientRegistrations(Stores stores, RandomTokens random, Clock clock, Optional<String> landingPage) {
        this(stores, random, clock, landingPage, Operator.COMMAND_LINE);
    }

    private ClientRegistrations(Stores stores, RandomTokens random, Clock clock, Optional<String> landingPage, Operator operator) {
        this.landingPage = landingPage;
        this.operator = operator;
        this.stores = stores;
        this.clients = stores.clients();
        this.users = stores.users();
        this.auditStore = stores.audit();
        this.audit = new AuditTrail(random, clock);
        this.random = random;
        this.clock = clock;
    }

    /** The same service, with its changes audited as {@code operator}'s. */
    public ClientRegistrations by(Operator operator) {
        return new ClientRegistrations(stores, random, clock, landingPage, operator);
    }

    /** Every client, oldest first. */
    public List<Client> list() { return clients.list(); }

    /** The client, or an AdminException that names it. */
    public Client require(ClientId clientId) {
        return clients.find(clientId).orElseThrow(() -> noClient(clientId));
    }

    /**
     * Who asks for a change: an operator (the command line, the admin API), or the client itself
     * through dynamic registration (RFC 7591, RFC 7592), which may ask for less: no owner, no
     * legacy behaviour, no introspection of other clients' tokens, no password grant the operator
     * did not already allow. The audit trail says which.
     */
    public record Via(boolean selfRegistration, Optional<String> address) {
        public static final Via OPERATOR = new Via(false, Optional.empty());

        /** The client itself, from {@code address}. */
        public static Via selfRegistration(String address) { return new Via(true, Optional.of(address)); }

        private AuditEvent stamp(AuditEvent event, String detail) {
            AuditEvent stamped = address.map(event::address).orElse(event);
            String said = selfRegistration ? (detail.isEmpty() ? "self-registration" : detail + " (self-registration)") : detail;
            return said.isEmpty() ? stamped : stamped.detail(said);
        }
    }

    /**
     * The {@link AdminException#key()} of every reason that concerns the redirect URIs, so that
     * dynamic registration can answer them with {@code invalid_redirect_uri} (RFC 7591 §3.2.2).
     */
    public static final String REDIRECT_URI_REASON = "client.redirect_uri";

    public Registered register(Request request) { return register(request, Via.OPERATOR); }

    public Registered register(Request request, Via via) {
        Set<GrantType> grants = request.grantTypes().isEmpty() ? defaultGrants(request.type()) : EnumSet.copyOf(request.grantTypes());
        Scope scope = request.scope().orElse(new Scope(new java.util.TreeSet<>(Scope.KNOWN)));
        Optional<UserId> ownerId = request.ownerLogin().map(this::ownerId);
        Optional<String> secret = request.type().confidential() ? Optional.of(random.hex40()) : Optional.empty();
        Client client = checked(new Client(new ClientId(random.hex40()), request.name().strip(), request.type(), secret.map(Hashes::tokenHash),
                List.copyOf(request.redirectUris()), grants, scope, ownerId, request.accessTokenTtl(),
                request.idTokenAlgorithm(), request.accessTokenFormat(), request.accessTokenAlgorithm(), request.refreshGrace().orElse(Client.DEFAULT_REFRESH_GRACE),
                request.legacy(), request.resourceServer(), request.admin(), request.requirePushedAuthorizationRequests(),
                request.emailInIdToken(), clock.instant()).withRequestObjects(request.requestObjects()).withLogout(request.logout())
                .withDpopBoundAccessTokens(request.dpopBoundAccessTokens()));
        if (via.selfRegistration()) checkSelfService(client, Optional.empty());
        clients.insert(client);
        auditStore.record(operator.stamp(via.stamp(audit.success(AuditEvent.Type.CLIENT_CREATED).client(client.id()).user(ownerId),
                (client.admin() ? "admin " : "") + client.type().wireName() + " client '" + client.name() + "'")));
        return new Registered(client, secret);
    }

    /**
     * What an operator changes; an empty field keeps the client's setting. {@code accessTokenTtl}
     * holds an empty Optional inside to go back to the server's lifetime. The type, the secret
     * and the id never change.
     */
    public record Changes(Optional<String> name, Optional<List<String>> redirectUris, Optional<Set<GrantType>> grantTypes,
                          Optional<Scope> scope, Optional<String> ownerLogin, Optional<Optional<Duration>> accessTokenTtl,
                          Optional<SigningAlgorithm> idTokenAlgorithm, Optional<AccessTokenFormat> accessTokenFormat,
                          Optional<SigningAlgorithm> accessTokenAlgorithm, Optional<Duration> refreshGrace, Optional<Boolean> allowImplicit, Optional<Boolean> allowPassword,
                          Optional<Boolean> allowPkcePlain, Optional<Boolean> prefixRedirectMatch, Optional<Boolean> legacyApiWrites,
                          Optional<Boolean> resourceServer, Optional<Boolean> admin, Optional<Boolean> requirePushedAuthorizationRequests,
                          Optional<Boolean> emailInIdToken, Optional<Boolean> requireSignedRequestObject,
                          Optional<Optional<String>> requestObjectSigningAlg, Optional<List<String>> postLogoutRedirectUris,
                          Optional<Optional<String>> backchannelLogoutUri, Optional<Boolean> backchannelLogoutSessionRequired,
                          Optional<Boolean> dpopBoundAccessTokens) {
        /** The client's logout settings with these changes. */
        ClientLogout logout(ClientLogout before) {
            return new ClientLogout(postLogoutRedirectUris.orElse(before.postLogoutRedirectUris()),
                    backchannelLogoutUri.orElse(before.backchannelLogoutUri()),
                    backchannelLogoutSessionRequired.orElse(before.backchannelLogoutSessionRequired()));
        }
    }

    /**
     * Changes a client's settings with the checks of registration, and audits CLIENT_UPDATED.
     * Servers cache clients for {@code ClientLookup.TTL}, so a change reaches every node within it.
     */
    public Client update(ClientId clientId, Changes changes) { return update(clientId, changes, Via.OPERATOR); }

    public Client update(ClientId clientId, Changes changes, Via via) {
        Client before = require(clientId);
        Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
        grants.addAll(changes.grantTypes().filter(g -> !g.isEmpty()).orElse(before.grantTypes()));
        changes.allowPassword().ifPresent(on -> {
            if (on) grants.add(GrantType.PASSWORD); else grants.remove(GrantType.PASSWORD);
        });
        if (grants.isEmpty()) throw new AdminException("a client needs at least one grant type");
        Client.Legacy legacy = new Client.Legacy(
                changes.allowImplicit().orElse(before.legacy().implicit()),
                changes.allowPkcePlain().orElse(before.legacy().pkcePlain()),
                changes.prefixRedirectMatch().orElse(before.legacy().prefixRedirectMatch()),
                changes.legacyApiWrites().orElse(before.legacy().apiWrites()));
        Client after = checked(new Client(before.id(), changes.name().map(String::strip).orElse(before.name()), before.type(),
                before.secretHash(), changes.redirectUris().orElse(before.redirectUris()), grants,
                changes.scope().orElse(before.allowedScope()),
                changes.ownerLogin().map(this::ownerId).or(before::ownerId),
                changes.accessTokenTtl().orElse(before.accessTokenTtl()),
                changes.idTokenAlgorithm().orElse(before.idTokenAlgorithm()),
                changes.accessTokenFormat().orElse(before.accessTokenFormat()),
                changes.accessTokenAlgorithm().orElse(before.accessTokenAlgorithm()),
                changes.refreshGrace().orElse(before.refreshGrace()), legacy,
                changes.resourceServer().orElse(before.resourceServer()),
                changes.admin().orElse(before.admin()),
                changes.requirePushedAuthorizationRequests().orElse(before.requirePushedAuthorizationRequests()),
                changes.emailInIdToken().orElse(before.emailInIdToken()), before.createdAt())
                .withJwtAuth(before.jwtAuth())
                .withRequestObjects(new RequestObjectPolicy(
                        changes.requireSignedRequestObject().orElse(before.requestObjects().requireSigned()),
                        changes.requestObjectSigningAlg().orElse(before.requestObjects().signingAlg())))
                .withLogout(changes.logout(before.logout()))
                .withDpopBoundAccessTokens(changes.dpopBoundAccessTokens().orElse(before.dpopBoundAccessTokens())));
        if (via.selfRegistration()) checkSelfService(after, Optional.of(before));
        if (!clients.update(after)) throw noClient(clientId);
        auditStore.record(operator.stamp(via.stamp(audit.success(AuditEvent.Type.CLIENT_UPDATED).client(after.id()).user(after.ownerId()),
                describeChanges(before, after))));
        return after;
    }

    /** How a web client is to prove itself: a method, and for private_key_jwt its key set or where to fetch it. */
    public record Authentication(ClientAuthMethod method, Optional<String> jwks, Optional<String> jwksUri) {
        public static Authentication of(ClientAuthMethod method) { return new Authentication(method, Optional.empty(), Optional.empty()); }
    }

    /** Seals a client_secret_jwt client's secret for its row (the keys at rest do it). */
    public interface SecretSealer {
        String seal(ClientId clientId, String secret);
    }

    /**
     * Changes how a web client proves itself, and audits CLIENT_UPDATED. For private_key_jwt the
     * client's secret is replaced by one nobody is shown, so the old one stops working. For
     * client_secret_jwt a new secret is made, longer than a plain one (enough for HS512), stored as
     * a hash and, sealed, as itself, because checking an HMAC needs the key. A client that leaves a
     * JWT method for its secret gets a new one. Any new secret is in the answer, this once.
     */
    public Registered authenticateWith(ClientId clientId, Authentication how, SecretSealer sealer, Via via) {
        Client before = require(clientId);
        if (!before.type().confidential()) throw new AdminException("a native client has no secret and authenticates with none");
        Optional<JwtClientAuth> jwt = checkAuthentication(how);
        Optional<String> secret = Optional.empty();
        TokenHash hash = before.secretHash().orElseThrow();
        if (how.method() == ClientAuthMethod.PRIVATE_KEY_JWT) {
            if (before.authMethod() != ClientAuthMethod.PRIVATE_KEY_JWT) hash = Hashes.tokenHash(random.hex40() + random.hex40());
        } else if (how.method() == ClientAuthMethod.CLIENT_SECRET_JWT) {
            secret = Optional.of(random.hex40() + random.hex40());
            jwt = Optional.of(new JwtClientAuth(how.method(), Optional.empty(), Optional.empty(), Optional.of(sealer.seal(clientId, secret.get()))));
        } else if (before.authMethod().jwt()) {
            secret = Optional.of(random.hex40());
        }
        if (secret.isPresent()) hash = Hashes.tokenHash(secret.get());
        if (!clients.replaceAuthentication(clientId, hash, jwt)) throw noClient(clientId);
        Client after = require(clientId);
        auditStore.record(operator.stamp(via.stamp(audit.success(AuditEvent.Type.CLIENT_UPDATED).client(clientId).user(after.ownerId()),
                "changed token_endpoint_auth_method to " + how.method().wireName() + (secret.isPresent() ? ", with a new secret" : ""))));
        return new Registered(after, secret);
    }

    /** RFC 7591 §2: jwks and jwks_uri are for private_key_jwt, and exactly one of them; public keys only; jwks_uri https. */
    public static Optional<JwtClientAuth> checkAuthentication(Authentication how) {
        if (how.method() == ClientAuthMethod.NONE) throw new AdminException("a web client authenticates: none is for native clients");
        if (how.method() != ClientAuthMethod.PRIVATE_KEY_JWT) {
            if (how.jwks().isPresent() || how.jwksUri().isPresent()) {
                throw new AdminException("jwks and jwks_uri are for private_key_jwt clients only");
            }
            return how.method().jwt() ? Optional.of(new JwtClientAuth(how.method(), Optional.empty(), Optional.empty(), Optional.empty())) : Optional.empty();
        }
        if (how.jwks().isPresent() == how.jwksUri().isPresent()) {
            throw new AdminException("a private_key_jwt client needs its public keys: either jwks or jwks_uri, not both");
        }
        how.jwksUri().flatMap(JwtClientAuth::jwksUriProblem).ifPresent(problem -> { throw new AdminException(problem); });
        how.jwks().ifPresent(json -> {
            try {
                ClientKeys.parsePublic(json);
            } catch (IllegalArgumentException e) {
                throw new AdminException("jwks: " + e.getMessage());
            }
        });
        return Optional.of(new JwtClientAuth(how.method(), how.jwks(), how.jwksUri(), Optional.empty()));
    }

    /**
     * What a client may not give itself: what only an operator may allow stays as the operator
     * left it ({@code before}; nothing, for a new client).
     */
    private static void checkSelfService(Client c, Optional<Client> before) {
        if (!c.ownerId().equals(before.flatMap(Client::ownerId))) {
            throw new AdminException("a client that registers itself has no owner account");
        }
        if (!c.legacy().equals(before.map(Client::legacy).orElse(Client.Legacy.NONE))) {
            throw new AdminException("legacy behaviours are allowed only by an operator");
        }
        if (c.resourceServer() != before.map(Client::resourceServer).orElse(false)) {
            throw new AdminException("only an operator may make a client a resource server");
        }
        if (c.admin() != before.map(Client::admin).orElse(false)) {
            throw new AdminException("only an operator may make a client an admin client");
        }
        if (c.grantTypes().contains(GrantType.PASSWORD) && !before.map(b -> b.allows(GrantType.PASSWORD)).orElse(false)) {
            throw new AdminException("the password grant is allowed only by an operator");
        }
    }

    /** The checks every client passes, on registration and on each update. */
    private Client checked(Client c) {
        if (c.name().isBlank() || !TextRule.NAME.accepts(c.name())) {
            throw new AdminException("the name must be 1 to 200 characters, without control characters");
        }
        if (c.type() == ClientType.NATIVE && c.grantTypes().contains(GrantType.CLIENT_CREDENTIALS)) {
            throw new AdminException("a native client has no secret, so it cannot use client_credentials");
        }
        // RFC 9700 §2.4: the password grant hands the person's password to the client; only a
        // confidential client that proves itself may be trusted with it.
        if (c.type() == ClientType.NATIVE && c.grantTypes().contains(GrantType.PASSWORD)) {
            throw new AdminException("a native client has no secret, so it cannot use the password grant");
        }
        // RFC 7662 §2.1: introspection needs client authentication, which a native client cannot give.
        if (c.type() == ClientType.NATIVE && c.resourceServer()) {
            throw new AdminException("a native client has no secret, so it cannot be a resource server");
        }
        // The admin API is the operator's: only a client that proves itself with its secret, through
        // client_credentials, may hold it (Client.mayReceiveAdminScope).
        if (c.admin() && !c.type().confidential()) {
            throw new AdminException("a native client has no secret, so it cannot be an admin client");
        }
        if (c.admin() && !c.grantTypes().contains(GrantType.CLIENT_CREDENTIALS)) {
            throw new AdminException("an admin client receives the admin scope through client_credentials, so it needs that grant type");
        }
        if (c.grantTypes().contains(GrantType.AUTHORIZATION_CODE) && c.redirectUris().isEmpty()) {
            throw new AdminException(REDIRECT_URI_REASON, "the authorization_code grant needs at least one redirect URI");
        }
        if (c.legacy().implicit() && c.dpopBoundAccessTokens()) {
            // RFC 9449 binds tokens at the token endpoint; the implicit flow's token never passes it.
            throw new AdminException("the implicit flow's access tokens cannot be DPoP-bound: allow one or the other");
        }
        if (c.legacy().implicit() && c.redirectUris().isEmpty()) {
            throw new AdminException(REDIRECT_URI_REASON, "the implicit flow needs at least one redirect URI");
        }
        for (String uri : c.redirectUris()) checkRedirectUri(uri, c.type(), landingPage);
        checkLogout(c);
        // Each is kept with every code issued for it, and all of them with the client, in columns of these widths.
        if (!c.redirectUris().stream().allMatch(TextRule.REDIRECT_URI::accepts)) {
            throw new AdminException(REDIRECT_URI_REASON, "a redirect URI must be at most " + TextRule.REDIRECT_URI.maxLength() + " characters");
        }
        if (String.join(" ", c.redirectUris()).length() > TextRule.MAX_REDIRECT_URIS_LENGTH) {
            throw new AdminException(REDIRECT_URI_REASON, "the redirect URIs together must be at most " + TextRule.MAX_REDIRECT_URIS_LENGTH + " characters");
        }
        if (c.allowedScope().contains(Scope.ADMIN)) {
            throw new AdminException("admin is not among a client's scopes: an admin client receives it through client_credentials");
        }
        Set<String> unknown = c.allowedScope().missingFrom(new Scope(new java.util.TreeSet<>(Scope.KNOWN)));
        if (!unknown.isEmpty()) throw new AdminException("unknown scope: " + String.join(" ", unknown));
        c.accessTokenTtl().filter(ttl -> ttl.isNegative() || ttl.isZero())
                .ifPresent(ttl -> { throw new AdminException("the access token lifetime must be positive"); });
        if (c.refreshGrace().isNegative() || c.refreshGrace().compareTo(Client.MAX_REFRESH_GRACE) > 0) {
            throw new AdminException("the refresh grace window must be 0 to " + Client.MAX_REFRESH_GRACE.toSeconds() + " seconds");
        }
        c.requestObjects().signingAlg().ifPresent(ClientRegistrations::checkRequestObjectSigningAlg);
        return c;
    }

    /**
     * A request object's algorithm a client may register: one Castgate verifies, with keys
     * (private_key_jwt) or with the client's secret (client_secret_jwt); never {@code none}
     * (RFC 9101 §10.5: only signed request objects are accepted here).
     */
    public static void checkRequestObjectSigningAlg(String alg) {
        List<String> known = ClientAssertions.ALGORITHMS.stream().map(com.nimbusds.jose.JWSAlgorithm::getName).toList();
        if (!known.contains(alg)) {
            throw new AdminException("request_object_signing_alg must be one of " + String.join(", ", known)
                    + (alg.length() <= 20 ? ", not '" + alg + "'" : ""));
        }
    }

    /**
     * The reason key of refused post-logout redirect URIs; dynamic registration answers them with
     * invalid_client_metadata, as RP-Initiated Logout §3.1 names no error of its own.
     */
    public static final String POST_LOGOUT_REDIRECT_URI_REASON = "client.post_logout_redirect_uri";

    /**
     * Post-logout redirect URIs obey the rules of redirect URIs (RP-Initiated Logout §3.1: absolute,
     * matched exactly); a back-channel logout URI is one Castgate calls ({@link ClientLogout#backchannelUriProblem}).
     */
    private void checkLogout(Client c) {
        for (String uri : c.logout().postLogoutRedirectUris()) {
            try {
                checkRedirectUri(uri, c.type(), landingPage);
            } catch (AdminException e) {
                throw new AdminException(POST_LOGOUT_REDIRECT_URI_REASON, "post-logout " + e.getMessage());
            }
        }
        if (!c.logout().postLogoutRedirectUris().stream().allMatch(TextRule.REDIRECT_URI::accepts)
                || String.join(" ", c.logout().postLogoutRedirectUris()).length() > TextRule.MAX_REDIRECT_URIS_LENGTH) {
            throw new AdminException(POST_LOGOUT_REDIRECT_URI_REASON, "the post-logout redirect URIs must be at most "
                    + TextRule.REDIRECT_URI.maxLength() + " characters each and " + TextRule.MAX_REDIRECT_URIS_LENGTH + " together");
        }
        c.logout().backchannelLogoutUri().flatMap(ClientLogout::backchannelUriProblem)
                .ifPresent(problem -> { throw new AdminException(problem); });
    }

    private UserId ownerId(String login) {
        return users.findByLogin(login).map(User::id).orElseThrow(() -> new AdminException("no user '" + login + "' to own the client"));
    }

    /** Which settings changed, by name only: the audit trail needs no values. */
    private static String describeChanges(Client before, Client after) {
        List<String> changed = new java.util.ArrayList<>();
        if (!before.name().equals(after.name())) changed.add("name");
        if (!before.redirectUris().equals(after.redirectUris())) changed.add("redirect_uris");
        if (!before.grantTypes().equals(after.grantTypes())) changed.add("grant_types");
        if (!before.allowedScope().equals(after.allowedScope())) changed.add("scope");
        if (!before.ownerId().equals(after.ownerId())) changed.add("owner");
        if (!before.accessTokenTtl().equals(after.accessTokenTtl())) changed.add("access_token_ttl");
        if (before.idTokenAlgorithm() != after.idTokenAlgorithm()) changed.add("id_token_alg");
        if (before.accessTokenFormat() != after.accessTokenFormat()) changed.add("access_token_format");
        if (before.accessTokenAlgorithm() != after.accessTokenAlgorithm()) changed.add("access_token_alg");
        if (!before.refreshGrace().equals(after.refreshGrace())) changed.add("refresh_grace");
        if (!before.legacy().equals(after.legacy())) changed.add("legacy");
        if (before.resourceServer() != after.resourceServer()) changed.add("resource_server");
        if (before.admin() != after.admin()) changed.add(after.admin() ? "admin (now an admin client)" : "admin (no longer an admin client)");
        if (before.requirePushedAuthorizationRequests() != after.requirePushedAuthorizationRequests()) {
            changed.add("require_pushed_authorization_requests");
        }
        if (before.emailInIdToken() != after.emailInIdToken()) changed.add("email_in_id_token");
        if (before.requestObjects().requireSigned() != after.requestObjects().requireSigned()) changed.add("require_signed_request_object");
        if (!before.requestObjects().signingAlg().equals(after.requestObjects().signingAlg())) changed.add("request_object_signing_alg");
        if (!before.logout().postLogoutRedirectUris().equals(after.logout().postLogoutRedirectUris())) changed.add("post_logout_redirect_uris");
        if (!before.logout().backchannelLogoutUri().equals(after.logout().backchannelLogoutUri())) changed.add("backchannel_logout_uri");
        if (before.logout().backchannelLogoutSessionRequired() != after.logout().backchannelLogoutSessionRequired()) {
            changed.add("backchannel_logout_session_required");
        }
        if (before.dpopBoundAccessTokens() != after.dpopBoundAccessTokens()) changed.add("dpop_bound_access_tokens");
        return changed.isEmpty() ? "nothing changed" : "changed " + String.join(", ", changed);
    }

    /** Removes a client; every grant and token it holds goes with it. */
    public void remove(ClientId clientId) { remove(clientId, Via.OPERATOR); }

    /** The same; a self-registered client's registration access token goes with it. */
    public void remove(ClientId clientId, Via via) {
        if (!clients.delete(clientId)) throw noClient(clientId);
        auditStore.record(operator.stamp(via.stamp(audit.success(AuditEvent.Type.CLIENT_REMOVED).client(clientId), "")));
    }

    /** An unknown client: the admin API answers it 404. */
    public static AdminException noClient(ClientId clientId) {
        return new AdminException.NotFound("no client " + clientId);
    }

    /** The client as the tool's {@code --json} and the admin API show it, without its id (each names that its own way). */
    public static Map<String, Object> describe(Client c) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", c.name());
        body.put("type", c.type().wireName());
        body.put("redirect_uris", c.redirectUris());
        body.put("grant_types", c.grantTypes().stream().map(GrantType::wireName).sorted().toList());
        body.put("scope", c.allowedScope().wireValue());
        c.ownerId().ifPresent(owner -> body.put("owner_id", owner.value()));
        body.put("id_token_signed_response_alg", c.idTokenAlgorithm().name());
        c.accessTokenTtl().ifPresent(ttl -> body.put("access_token_ttl", ttl.toSeconds()));
        body.put("access_token_format", c.accessTokenFormat().wireName());
        body.put("access_token_signing_alg", c.accessTokenAlgorithm().name());
        body.put("refresh_grace", c.refreshGrace().toSeconds());
        body.put("allow_implicit", c.legacy().implicit());
        body.put("allow_pkce_plain", c.legacy().pkcePlain());
        body.put("prefix_redirect_match", c.legacy().prefixRedirectMatch());
        body.put("legacy_api_writes", c.legacy().apiWrites());
        body.put("resource_server", c.resourceServer());
        body.put("admin", c.admin());
        body.put("require_pushed_authorization_requests", c.requirePushedAuthorizationRequests());
        body.put("email_in_id_token", c.emailInIdToken());
        body.put("token_endpoint_auth_method", c.authMethod().wireName());
        c.jwtAuth().flatMap(JwtClientAuth::jwksUri).ifPresent(uri -> body.put("jwks_uri", uri));
        c.jwtAuth().flatMap(JwtClientAuth::jwks).ifPresent(jwks -> body.put("jwks", dev.castgate.http.Json.stored(jwks)));
        body.put("require_signed_request_object", c.requestObjects().requireSigned());
        c.requestObjects().signingAlg().ifPresent(alg -> body.put("request_object_signing_alg", alg));
        body.put("post_logout_redirect_uris", c.logout().postLogoutRedirectUris());
        c.logout().backchannelLogoutUri().ifPresent(uri -> body.put("backchannel_logout_uri", uri));
        body.put("backchannel_logout_session_required", c.logout().backchannelLogoutSessionRequired());
        body.put("dpop_bound_access_tokens", c.dpopBoundAccessTokens());
        return body;
    }

    /**
     * The grant types to register: those named (none: the type's defaults, left to
     * {@link #register}), with the legacy password grant added when {@code allowPassword}.
     */
    public static Set<GrantType> grantsToRegister(ClientType type, java.util.Collection<GrantType> named, boolean allowPassword) {
        Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
        grants.addAll(named);
        if (allowPassword) {
            if (grants.isEmpty()) grants.addAll(defaultGrants(type));
            grants.add(GrantType.PASSWORD);
        }
        return grants;
    }

    public static Set<GrantType> defaultGrants(ClientType type) {
        return type == ClientType.WEB
                ? EnumSet.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS)
                : EnumSet.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);
    }

    /**
     * Absolute, no fragment (RFC 6749 §3.1.2); https, or http only on this machine. Native apps
     * may also use a private-use scheme such as com.example.app:/callback (RFC 8252 §7.1).
     */
    static void checkRedirectUri(String raw, ClientType type, Optional<String> landingPage) {
        if (landingPage.isPresent() && landingPage.get().equals(raw)) return;
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new AdminException(REDIRECT_URI_REASON, "'" + raw + "' is not a valid URI");
        }
        if (!uri.isAbsolute()) throw new AdminException(REDIRECT_URI_REASON, "redirect URI '" + raw + "' must be absolute");
        if (uri.getRawFragment() != null) throw new AdminException(REDIRECT_URI_REASON, "redirect URI '" + raw + "' must not have a fragment");
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) return;
        if (scheme.equals("http")) {
            String host = uri.getHost();
            if ("localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host)) return;
            throw new AdminException(REDIRECT_URI_REASON, "redirect URI '" + raw + "' must use https (http only for localhost and loopback addresses)");
        }
        if (type == ClientType.NATIVE && scheme.contains(".")) return;
        throw new AdminException(REDIRECT_URI_REASON, "redirect URI '" + raw + "' must use https"
                + (type == ClientType.NATIVE ? " or a private-use scheme such as com.example.app" : ""));
    }
}
