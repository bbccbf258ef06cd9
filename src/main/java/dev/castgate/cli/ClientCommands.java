package dev.castgate.cli;

import dev.castgate.Storage;
import dev.castgate.admin.AdminException;
import dev.castgate.admin.ClientRegistrations;
import dev.castgate.config.Durations;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientType;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.Scope;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.http.Json;
import java.io.PrintWriter;
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
        @Option(names = "--type", required = true, description = "web (confidential) or native (public, PKCE)") String type;
        @Option(names = "--redirect-uri", description = "A redirect URI; repeat for more.") List<String> redirectUris = new ArrayList<>();
        @Option(names = "--grant-types", split = ",", description = "Comma-separated; default: authorization_code,refresh_token (+client_credentials for web).")
        List<String> grantTypes = new ArrayList<>();
        @Option(names = "--scopes", description = "Space-separated scopes the client may ask for; default: all.") String scopes;
        @Option(names = "--owner", description = "Username or email of the account client_credentials tokens act for.") String owner;
        @Option(names = "--access-token-ttl", description = "Access token lifetime, such as 3600s or 2h; default: the server's.") String accessTokenTtl;
        @Option(names = "--id-token-alg", description = "RS256 (default) or ES256.") String idTokenAlg = "RS256";
        @Option(names = "--access-token-format", description = "opaque (default, 40 hex) or jwt (RFC 9068).") String accessTokenFormat = "opaque";
        @Option(names = "--access-token-alg", description = "How JWT access tokens are signed: ES256 (default) or RS256.") String accessTokenAlg = "ES256";
        @Option(names = "--refresh-grace", description = "How long a rotated refresh token may be retried, 0s to 60s; default 0s.") String refreshGrace = "0s";
        @Option(names = "--allow-implicit", description = "Legacy: allow response_type=token, the token delivered in the redirect's query.") boolean allowImplicit;
        @Option(names = "--allow-password", description = "Legacy: allow the password grant (adds it to the grant types).") boolean allowPassword;
        @Option(names = "--allow-pkce-plain", description = "Legacy: allow PKCE with code_challenge_method=plain (otherwise S256 only).") boolean allowPkcePlain;
        @Option(names = "--prefix-redirect-match", description = "Legacy: accept any redirect URI that starts with a registered one, on the same host.") boolean prefixRedirectMatch;
        @Option(names = "--json", description = "Print the result as JSON.") boolean json;

        @Override
        public void run() {
            ClientType clientType = parse(() -> ClientType.parse(type), "");
            Set<GrantType> grants = grantTypes(grantTypes);
            if (allowPassword) {
                if (grants.isEmpty()) grants.addAll(ClientRegistrations.defaultGrants(clientType));
                grants.add(GrantType.PASSWORD);
            }
            Optional<Scope> scope = Optional.ofNullable(scopes).map(ClientCommands::scope);
            Optional<Duration> ttl = Optional.ofNullable(accessTokenTtl)
                    .map(raw -> parse(() -> Durations.parse(raw), "--access-token-ttl "));
            SigningAlgorithm alg = parse(() -> SigningAlgorithm.parse(idTokenAlg), "");
            AccessTokenFormat format = parse(() -> AccessTokenFormat.parse(accessTokenFormat), "--access-token-format: ");
            SigningAlgorithm accessAlg = parse(() -> SigningAlgorithm.parse(accessTokenAlg), "--access-token-alg: ");
            Duration grace = grace(refreshGrace);
            try (Storage db = parent.root.openDatabase()) {
                ClientRegistrations.Registered registered = registrations(parent, db).register(new ClientRegistrations.Request(
                        name, clientType, redirectUris, grants, scope, Optional.ofNullable(owner), ttl, alg, format, accessAlg, grace,
                        new Client.Legacy(allowImplicit, allowPkcePlain, prefixRedirectMatch)));
                print(registered);
            }
        }

        private void print(ClientRegistrations.Registered registered) {
            PrintWriter out = spec.commandLine().getOut();
            Client c = registered.client();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("client_id", c.id());
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
        @Option(names = "--grant-types", split = ",", description = "Comma-separated; replaces the registered grant types.") List<String> grantTypes = new ArrayList<>();
        @Option(names = "--scopes", description = "Space-separated scopes the client may ask for.") String scopes;
        @Option(names = "--owner", description = "Username or email of the account client_credentials tokens act for.") String owner;
        @Option(names = "--access-token-ttl", description = "Access token lifetime, such as 3600s or 2h, or 'default' for the server's.") String accessTokenTtl;
        @Option(names = "--id-token-alg", description = "RS256 or ES256.") String idTokenAlg;
        @Option(names = "--access-token-format", description = "opaque or jwt.") String accessTokenFormat;
        @Option(names = "--access-token-alg", description = "ES256 or RS256.") String accessTokenAlg;
        @Option(names = "--refresh-grace", description = "0s to 60s.") String refreshGrace;
        @Option(names = "--allow-implicit", negatable = true, description = "Legacy implicit flow on (--no-allow-implicit: off).") Boolean allowImplicit;
        @Option(names = "--allow-password", negatable = true, description = "Password grant on (--no-allow-password: off).") Boolean allowPassword;
        @Option(names = "--allow-pkce-plain", negatable = true, description = "PKCE plain on (--no-allow-pkce-plain: off).") Boolean allowPkcePlain;
        @Option(names = "--prefix-redirect-match", negatable = true, description = "Prefix redirect matching on (--no-prefix-redirect-match: off).") Boolean prefixRedirectMatch;
        @Option(names = "--json", description = "Print the client as JSON.") boolean json;

        @Override
        public void run() {
            Optional<Optional<Duration>> ttl = Optional.ofNullable(accessTokenTtl).map(raw -> raw.trim().equals("default")
                    ? Optional.<Duration>empty()
                    : Optional.of(parse(() -> Durations.parse(raw), "--access-token-ttl ")));
            ClientRegistrations.Changes changes = new ClientRegistrations.Changes(
                    Optional.ofNullable(name),
                    redirectUris.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(redirectUris)),
                    grantTypes.isEmpty() ? Optional.empty() : Optional.of(grantTypes(grantTypes)),
                    Optional.ofNullable(scopes).map(ClientCommands::scope),
                    Optional.ofNullable(owner),
                    ttl,
                    Optional.ofNullable(idTokenAlg).map(raw -> parse(() -> SigningAlgorithm.parse(raw), "")),
                    Optional.ofNullable(accessTokenFormat).map(raw -> parse(() -> AccessTokenFormat.parse(raw), "--access-token-format: ")),
                    Optional.ofNullable(accessTokenAlg).map(raw -> parse(() -> SigningAlgorithm.parse(raw), "--access-token-alg: ")),
                    Optional.ofNullable(refreshGrace).map(ClientCommands::grace),
                    Optional.ofNullable(allowImplicit), Optional.ofNullable(allowPassword),
                    Optional.ofNullable(allowPkcePlain), Optional.ofNullable(prefixRedirectMatch));
            try (Storage db = parent.root.openDatabase()) {
                Client updated = registrations(parent, db).update(clientId, changes);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("client_id", updated.id());
                    body.putAll(describe(updated));
                    out.println(Json.write(body));
                } else {
                    out.println("updated client " + updated.id());
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
                List<Client> clients = db.stores().clients().list();
                if (json) {
                    List<Map<String, Object>> all = new ArrayList<>();
                    for (Client c : clients) {
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("client_id", c.id());
                        body.putAll(describe(c));
                        all.add(body);
                    }
                    out.println(Json.write(all));
                    return;
                }
                out.printf("%-40s  %-6s  %-24s  %s%n", "CLIENT_ID", "TYPE", "NAME", "GRANT TYPES");
                for (Client c : clients) {
                    out.printf("%-40s  %-6s  %-24s  %s%n", c.id(), c.type().wireName(), c.name(), grantList(c));
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
                new ClientRegistrations(db.stores(), RandomTokens.secure(), Clock.systemUTC()).remove(clientId);
                spec.commandLine().getOut().println("removed client " + clientId);
            }
        }
    }

    static Map<String, Object> describe(Client c) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", c.name());
        body.put("type", c.type().wireName());
        body.put("redirect_uris", c.redirectUris());
        body.put("grant_types", c.grantTypes().stream().map(GrantType::wireName).sorted().toList());
        body.put("scope", c.allowedScope().wireValue());
        body.put("id_token_signed_response_alg", c.idTokenAlgorithm().name());
        c.accessTokenTtl().ifPresent(ttl -> body.put("access_token_ttl", ttl.toSeconds()));
        body.put("access_token_format", c.accessTokenFormat().wireName());
        body.put("access_token_signing_alg", c.accessTokenAlgorithm().name());
        body.put("refresh_grace", c.refreshGrace().toSeconds());
        body.put("allow_implicit", c.legacy().implicit());
        body.put("allow_pkce_plain", c.legacy().pkcePlain());
        body.put("prefix_redirect_match", c.legacy().prefixRedirectMatch());
        return body;
    }

    /** The server's issuer makes its landing page an acceptable redirect URI. */
    private static ClientRegistrations registrations(ClientCommands parent, Storage db) {
        return new ClientRegistrations(db.stores(), RandomTokens.secure(), Clock.systemUTC(), parent.root.config().issuerBase());
    }

    private static Set<GrantType> grantTypes(List<String> raw) {
        Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
        for (String g : raw) {
            grants.add(GrantType.find(g.trim()).orElseThrow(() -> new AdminException("unknown grant type '" + g + "'")));
        }
        return grants;
    }

    private static Scope scope(String raw) {
        Scope parsed = Scope.parseOrNull(raw);
        if (parsed == null) throw new AdminException("--scopes holds characters that are not allowed");
        return parsed;
    }

    /** Durations.parse refuses zero, which is this setting's default and a valid choice. */
    private static Duration grace(String raw) {
        return raw.trim().matches("0+\\s*[smhd]?") ? Duration.ZERO : parse(() -> Durations.parse(raw), "--refresh-grace ");
    }

    private static String grantList(Client c) {
        return c.grantTypes().stream().map(GrantType::wireName).sorted().collect(Collectors.joining(","));
    }

    private static <T> T parse(java.util.function.Supplier<T> parser, String prefix) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new AdminException(prefix + e.getMessage());
        }
    }
}
