package dev.castgate.cli;

import dev.castgate.Storage;
import dev.castgate.admin.AdminException;
import dev.castgate.admin.ClientRegistrations;
import dev.castgate.clientauth.ClientKeys;
import dev.castgate.config.ServerConfig;
import dev.castgate.keys.KeyFile;
import dev.castgate.keys.KeysAtRest;
import dev.castgate.crypto.RandomTokens;
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
import dev.castgate.http.Json;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "client", description = "Manage clients.",
        subcommands = {ClientCommands.Add.class, ClientCommands.Update.class, ClientCommands.ListClients.class, ClientCommands.Remove.class})
final class ClientCommands {
    @ParentCommand CastgateCommand root;

    @Command(name = "add", description = "Register a client; a web client's secret is printed once.")
    static final class Add implements Runnable {
        @ParentCommand ClientCommands parent;
        @Spec CommandSpec spec;
        @Option(names = "--name", required = true) String name;
        @Option(names = "--type", required = true, description = "web (confidential) or native (public, PKCE)") ClientType type;
        @Option(names = "--redirect-uri", description = "A redirect URI; repeat for more.") List<String> redirectUris = new ArrayList<>();
        @Option(names = "--grant-types", split = ",", description = "Comma-separated; default: authorization_code,refresh_token (+client_credentials for web).")
        List<GrantType> grantTypes = new ArrayList<>();
        @Option(names = "--scopes", description = "Space-separated scopes the client may ask for; default: all.") Scope scopes;
        @Option(names = "--owner", description = "Username or email of the account client_credentials tokens act for.") String owner;
        @Option(names = "--access-token-ttl", description = "Access token lifetime, such as 3600s or 2h; default: the server's.") Duration accessTokenTtl;
        @Option(names = "--id-token-alg", description = "RS256 (default) or ES256.") SigningAlgorithm idTokenAlg = SigningAlgorithm.RS256;
        @Option(names = "--access-token-format", description = "opaque (default, 40 hex) or jwt (RFC 9068).") AccessTokenFormat accessTokenFormat = AccessTokenFormat.OPAQUE;
        @Option(names = "--access-token-alg", description = "How JWT access tokens are signed: ES256 (default) or RS256.") SigningAlgorithm accessTokenAlg = SigningAlgorithm.ES256;
        @Option(names = "--refresh-grace", converter = OptionConverters.ZeroOrDuration.class,
                description = "How long a rotated refresh token may be retried, 0s to 60s; default 30s, 0s for strict reuse detection.") Duration refreshGrace;
        @Option(names = "--allow-implicit", description = "Legacy: allow response_type=token, the token delivered in the redirect's query.") boolean allowImplicit;
        @Option(names = "--allow-password", description = "Legacy: allow the password grant (adds it to the grant types).") boolean allowPassword;
        @Option(names = "--allow-pkce-plain", description = "Legacy: allow PKCE with code_challenge_method=plain (otherwise S256 only).") boolean allowPkcePlain;
        @Option(names = "--prefix-redirect-match", description = "Legacy: accept any redirect URI that starts with a registered one, on the same host.") boolean prefixRedirectMatch;
        @Option(names = "--legacy-api-writes", description = "Legacy: let any of its tokens create, change and delete channels and videos (otherwise they need the broadcaster scope).") boolean legacyApiWrites;
        @Option(names = "--resource-server", description = "May introspect other clients' access tokens (web clients only).") boolean resourceServer;
        @Option(names = "--admin", description = "An admin client: may receive the admin scope, through client_credentials, for the admin API (web clients only).")
        boolean admin;
        @Option(names = "--require-par", description = "Accept its authorization requests only when pushed to /oauth2/par first (RFC 9126).") boolean requirePar;
        @Option(names = "--email-in-id-token", negatable = true,
                description = "Put email and email_verified in ID tokens with the email scope (the default; --no-email-in-id-token: userinfo only).")
        Boolean emailInIdToken;
        @Option(names = "--require-signed-request-object",
                description = "Accept its authorization requests only inside a request object signed with its keys (RFC 9101).")
        boolean requireSignedRequestObject;
        @Option(names = "--request-object-alg", description = "The one algorithm its request objects must be signed with, such as PS256; default: any its keys allow.")
        String requestObjectAlg;
        @Option(names = "--post-logout-redirect-uri", description = "Where the browser may be sent after a logout the client asks for; repeat for more.")
        List<String> postLogoutRedirectUris = new ArrayList<>();
        @Option(names = "--backchannel-logout-uri", description = "Where logout tokens are posted when a session the client had a grant in ends (https).")
        String backchannelLogoutUri;
        @Option(names = "--backchannel-logout-session-required", description = "The client needs sid in its logout tokens.")
        boolean backchannelLogoutSessionRequired;
        @Option(names = "--require-dpop", description = "Its token requests must carry a DPoP proof, so all its access tokens are bound to a key (RFC 9449).")
        boolean requireDpop;
        @Option(names = "--json", description = "Print the result as JSON.") boolean json;
        @Mixin AuthenticationOptions authentication;

        @Override
        public void run() {
            Set<GrantType> grants = ClientRegistrations.grantsToRegister(type, grantTypes, allowPassword);
            Optional<ClientRegistrations.Authentication> how = authentication.requested();
            how.ifPresent(ClientRegistrations::checkAuthentication);
            try (Storage db = parent.root.openDatabase()) {
                ClientRegistrations.Registered registered = registrations(parent, db).register(new ClientRegistrations.Request(
                        name, type, redirectUris, grants, Optional.ofNullable(scopes), Optional.ofNullable(owner),
                        Optional.ofNullable(accessTokenTtl), idTokenAlg, accessTokenFormat, accessTokenAlg, Optional.ofNullable(refreshGrace),
                        new Client.Legacy(allowImplicit, allowPkcePlain, prefixRedirectMatch, legacyApiWrites), resourceServer, admin, requirePar,
                        emailInIdToken == null || emailInIdToken,
                        new RequestObjectPolicy(requireSignedRequestObject, Optional.ofNullable(requestObjectAlg)),
                        new ClientLogout(postLogoutRedirectUris, Optional.ofNullable(backchannelLogoutUri), backchannelLogoutSessionRequired),
                        requireDpop));
                if (how.isPresent()) {
                    // A secret still in use (client_secret_basic asked for) is the one just made; a new one replaces it.
                    ClientRegistrations.Registered changed = authenticateWith(parent, db, registered.client().id(), how.get());
                    Optional<String> made = how.get().method() == ClientAuthMethod.PRIVATE_KEY_JWT ? Optional.empty() : registered.secret();
                    registered = new ClientRegistrations.Registered(changed.client(), changed.secret().or(() -> made));
                }
                print(registered);
            }
        }

        private void print(ClientRegistrations.Registered registered) {
            PrintWriter out = spec.commandLine().getOut();
            Client c = registered.client();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("client_id", c.id().value());
                registered.secret().ifPresent(s -> body.put("client_secret", s));
                body.putAll(describe(c));
                out.println(Json.write(body));
            } else {
                out.println("client_id:     " + c.id());
                registered.secret().ifPresent(s -> out.println("client_secret: " + s + "   (shown once; store it now)"));
            }
        }
    }

    @Command(name = "update", description = "Change a client's settings; what is not given stays as it is. "
            + "Servers see the change within 5 seconds (they cache clients that long).")
    static final class Update implements Runnable {
        @ParentCommand ClientCommands parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "CLIENT_ID") String clientId;
        @Option(names = "--name") String name;
        @Option(names = "--redirect-uri", description = "A redirect URI; repeat for more. Replaces the registered list.") List<String> redirectUris = new ArrayList<>();
        @Option(names = "--grant-types", split = ",", description = "Comma-separated; replaces the registered grant types.") List<GrantType> grantTypes = new ArrayList<>();
        @Option(names = "--scopes", description = "Space-separated scopes the client may ask for.") Scope scopes;
        @Option(names = "--owner", description = "Username or email of the account client_credentials tokens act for.") String owner;
        @Option(names = "--access-token-ttl", description = "Access token lifetime, such as 3600s or 2h, or 'default' for the server's.")
        OptionConverters.LifetimeOrDefault accessTokenTtl;
        @Option(names = "--id-token-alg", description = "RS256 or ES256.") SigningAlgorithm idTokenAlg;
        @Option(names = "--access-token-format", description = "opaque or jwt.") AccessTokenFormat accessTokenFormat;
        @Option(names = "--access-token-alg", description = "ES256 or RS256.") SigningAlgorithm accessTokenAlg;
        @Option(names = "--refresh-grace", converter = OptionConverters.ZeroOrDuration.class, description = "0s to 60s.") Duration refreshGrace;
        @Option(names = "--allow-implicit", negatable = true, description = "Legacy implicit flow on (--no-allow-implicit: off).") Boolean allowImplicit;
        @Option(names = "--allow-password", negatable = true, description = "Password grant on (--no-allow-password: off).") Boolean allowPassword;
        @Option(names = "--allow-pkce-plain", negatable = true, description = "PKCE plain on (--no-allow-pkce-plain: off).") Boolean allowPkcePlain;
        @Option(names = "--prefix-redirect-match", negatable = true, description = "Prefix redirect matching on (--no-prefix-redirect-match: off).") Boolean prefixRedirectMatch;
        @Option(names = "--legacy-api-writes", negatable = true, description = "Scope-free API writes on (--no-legacy-api-writes: off).") Boolean legacyApiWrites;
        @Option(names = "--resource-server", negatable = true, description = "Introspection of other clients' access tokens on (--no-resource-server: off).") Boolean resourceServer;
        @Option(names = "--admin", negatable = true, description = "An admin client, which may receive the admin scope (--no-admin: a plain client again).") Boolean admin;
        @Option(names = "--require-par", negatable = true, description = "Pushed authorization requests required (--no-require-par: not required).") Boolean requirePar;
        @Option(names = "--email-in-id-token", negatable = true, description = "Email claims in ID tokens (--no-email-in-id-token: userinfo only).") Boolean emailInIdToken;
        @Option(names = "--require-signed-request-object", negatable = true,
                description = "Signed request objects required (--no-require-signed-request-object: not required).") Boolean requireSignedRequestObject;
        @Option(names = "--request-object-alg", description = "The one algorithm its request objects must be signed with, or 'any'.") String requestObjectAlg;
        @Option(names = "--post-logout-redirect-uri", description = "A post-logout redirect URI; repeat for more. Replaces the registered list.")
        List<String> postLogoutRedirectUris = new ArrayList<>();
        @Option(names = "--no-post-logout-redirect-uris", description = "Remove every post-logout redirect URI.") boolean noPostLogoutRedirectUris;
        @Option(names = "--backchannel-logout-uri", description = "Where logout tokens are posted (https), or 'none' to stop them.") String backchannelLogoutUri;
        @Option(names = "--backchannel-logout-session-required", negatable = true,
                description = "sid required in logout tokens (--no-backchannel-logout-session-required: not required).") Boolean backchannelLogoutSessionRequired;
        @Option(names = "--require-dpop", negatable = true, description = "DPoP proofs required at the token endpoint (--no-require-dpop: not required).")
        Boolean requireDpop;
        @Option(names = "--json", description = "Print the client as JSON.") boolean json;
        @Mixin AuthenticationOptions authentication;

        @Override
        public void run() {
            ClientRegistrations.Changes changes = new ClientRegistrations.Changes(
                    Optional.ofNullable(name),
                    redirectUris.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(redirectUris)),
                    grantTypes.isEmpty() ? Optional.empty() : Optional.<Set<GrantType>>of(EnumSet.copyOf(grantTypes)),
                    Optional.ofNullable(scopes),
                    Optional.ofNullable(owner),
                    Optional.ofNullable(accessTokenTtl).map(OptionConverters.LifetimeOrDefault::lifetime),
                    Optional.ofNullable(idTokenAlg),
                    Optional.ofNullable(accessTokenFormat),
                    Optional.ofNullable(accessTokenAlg),
                    Optional.ofNullable(refreshGrace),
                    Optional.ofNullable(allowImplicit), Optional.ofNullable(allowPassword),
                    Optional.ofNullable(allowPkcePlain), Optional.ofNullable(prefixRedirectMatch), Optional.ofNullable(legacyApiWrites),
                    Optional.ofNullable(resourceServer), Optional.ofNullable(admin), Optional.ofNullable(requirePar),
                    Optional.ofNullable(emailInIdToken), Optional.ofNullable(requireSignedRequestObject),
                    Optional.ofNullable(requestObjectAlg).map(alg -> Optional.of(alg).filter(a -> !a.equals("any"))),
                    noPostLogoutRedirectUris ? Optional.of(List.of())
                            : postLogoutRedirectUris.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(postLogoutRedirectUris)),
                    Optional.ofNullable(backchannelLogoutUri).map(uri -> uri.equals("none") ? Optional.<String>empty() : Optional.of(uri)),
                    Optional.ofNullable(backchannelLogoutSessionRequired), Optional.ofNullable(requireDpop));
            try (Storage db = parent.root.openDatabase()) {
                Optional<ClientRegistrations.Authentication> how = authentication.requested();
                how.ifPresent(ClientRegistrations::checkAuthentication);
                Client updated = registrations(parent, db).update(new ClientId(clientId), changes);
                Optional<String> secret = Optional.empty();
                if (how.isPresent()) {
                    ClientRegistrations.Registered changed = authenticateWith(parent, db, updated.id(), how.get());
                    updated = changed.client();
                    secret = changed.secret();
                }
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("client_id", updated.id().value());
                    secret.ifPresent(s -> body.put("client_secret", s));
                    body.putAll(describe(updated));
                    out.println(Json.write(body));
                } else {
                    out.println("updated client " + updated.id());
                    secret.ifPresent(s -> out.println("client_secret: " + s + "   (shown once; store it now)"));
                }
            }
        }
    }

    @Command(name = "list", description = "List clients.")
    static final class ListClients implements Runnable {
        @ParentCommand ClientCommands parent;
        @Spec CommandSpec spec;
        @Option(names = "--json", description = "Print the clients as JSON.") boolean json;

        @Override
        public void run() {
            try (Storage db = parent.root.openDatabase()) {
                PrintWriter out = spec.commandLine().getOut();
                List<Client> clients = registrations(parent, db).list();
                if (json) {
                    List<Map<String, Object>> all = new ArrayList<>();
                    for (Client c : clients) {
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("client_id", c.id().value());
                        body.putAll(describe(c));
                        all.add(body);
                    }
                    out.println(Json.write(all));
                    return;
                }
                out.printf("%-40s  %-6s  %-24s  %s%n", "CLIENT_ID", "TYPE", "NAME", "GRANT TYPES");
                for (Client c : clients) {
                    out.printf("%-40s  %-6s  %-24s  %s%n", c.id(), c.type().wireName(), c.name(), grantList(c) + (c.admin() ? "  (admin)" : ""));
                }
            }
        }
    }

    @Command(name = "remove", description = "Remove a client and end every grant and token it holds.")
    static final class Remove implements Runnable {
        @ParentCommand ClientCommands parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "CLIENT_ID") String clientId;

        @Override
        public void run() {
            try (Storage db = parent.root.openDatabase()) {
                registrations(parent, db).remove(new ClientId(clientId));
                spec.commandLine().getOut().println("removed client " + clientId);
            }
        }
    }

    static Map<String, Object> describe(Client c) { return ClientRegistrations.describe(c); }

    /** {@code --auth-method}, {@code --jwks} and {@code --jwks-uri}, the same for add and update. */
    static final class AuthenticationOptions {
        @Option(names = "--auth-method", description = "How a web client authenticates: client_secret_basic (default; its secret, "
                + "in the Basic header or the form), private_key_jwt (a JWT signed with its key; give --jwks or --jwks-uri) "
                + "or client_secret_jwt (a JWT with an HMAC of a new secret, printed once).") ClientAuthMethod method;
        @Option(names = "--jwks", description = "A file with the client's public keys as a JWK Set (private_key_jwt).") Path jwksFile;
        @Option(names = "--jwks-uri", description = "Where the server fetches the client's JWK Set: https, or http on loopback (private_key_jwt).") String jwksUri;

        /** What was asked, if anything; keys or their address alone mean private_key_jwt. */
        Optional<ClientRegistrations.Authentication> requested() {
            if (method == null && jwksFile == null && jwksUri == null) return Optional.empty();
            Optional<String> jwks = Optional.ofNullable(jwksFile).map(AuthenticationOptions::read);
            return Optional.of(new ClientRegistrations.Authentication(method == null ? ClientAuthMethod.PRIVATE_KEY_JWT : method, jwks,
                    Optional.ofNullable(jwksUri)));
        }

        private static String read(Path file) {
            try {
                if (Files.size(file) > ClientKeys.MAX_CHARS) throw new AdminException("--jwks: " + file + " is larger than " + ClientKeys.MAX_CHARS / 1024 + " KiB");
                return Files.readString(file);
            } catch (java.io.IOException e) {
                throw new AdminException("--jwks: cannot read " + file);
            }
        }
    }

    /** The key of keys at rest seals a client_secret_jwt secret; it is read only when one is made. */
    private static ClientRegistrations.Registered authenticateWith(ClientCommands parent, Storage db, ClientId id,
                                                                    ClientRegistrations.Authentication how) {
        ServerConfig config = parent.root.config();
        return registrations(parent, db).authenticateWith(id, how,
                (clientId, secret) -> KeysAtRest.unlock(db.transactions(), db.stores(), KeyFile.of(config)).sealClientSecret(clientId, secret),
                ClientRegistrations.Via.OPERATOR);
    }

    /** The server's issuer makes its landing page an acceptable redirect URI. */
    private static ClientRegistrations registrations(ClientCommands parent, Storage db) {
        return new ClientRegistrations(db.stores(), RandomTokens.secure(), Clock.systemUTC(), parent.root.config().issuerBase());
    }

    private static String grantList(Client c) {
        return c.grantTypes().stream().map(GrantType::wireName).sorted().collect(Collectors.joining(","));
    }
}
