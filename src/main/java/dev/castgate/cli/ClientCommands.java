package dev.castgate.cli;

import dev.castgate.admin.AdminException;
import dev.castgate.admin.ClientRegistrations;
import dev.castgate.config.Durations;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientType;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.IdTokenAlgorithm;
import dev.castgate.domain.Scope;
import dev.castgate.http.Json;
import dev.castgate.store.jdbc.Database;
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
        subcommands = {ClientCommands.Add.class, ClientCommands.ListClients.class, ClientCommands.Remove.class})
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
        @Option(names = "--refresh-grace", description = "How long a rotated refresh token may be retried, 0s to 60s; default 0s.") String refreshGrace = "0s";
        @Option(names = "--json", description = "Print the result as JSON.") boolean json;

        @Override
        public void run() {
            ClientType clientType = parse(() -> ClientType.parse(type), "");
            Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
            for (String g : grantTypes) {
                grants.add(GrantType.find(g.trim()).orElseThrow(() -> new AdminException("unknown grant type '" + g + "'")));
            }
            Optional<Scope> scope = Optional.ofNullable(scopes).map(s -> {
                Scope parsed = Scope.parseOrNull(s);
                if (parsed == null) throw new AdminException("--scopes holds characters that are not allowed");
                return parsed;
            });
            Optional<Duration> ttl = Optional.ofNullable(accessTokenTtl)
                    .map(raw -> parse(() -> Durations.parse(raw), "--access-token-ttl "));
            IdTokenAlgorithm alg = parse(() -> IdTokenAlgorithm.parse(idTokenAlg), "");
            AccessTokenFormat format = parse(() -> AccessTokenFormat.parse(accessTokenFormat), "--access-token-format: ");
            // Durations.parse refuses zero, which is this setting's default and a valid choice.
            Duration grace = refreshGrace.trim().matches("0+\\s*[smhd]?") ? Duration.ZERO
                    : parse(() -> Durations.parse(refreshGrace), "--refresh-grace ");
            try (Database db = parent.root.openDatabase()) {
                ClientRegistrations.Registered registered = new ClientRegistrations(db.stores(), RandomTokens.secure(), Clock.systemUTC()).register(new ClientRegistrations.Request(
                        name, clientType, redirectUris, grants, scope, Optional.ofNullable(owner), ttl, alg, format, grace));
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

    @Command(name = "list", description = "List clients.")
    static final class ListClients implements Runnable {
        @ParentCommand ClientCommands parent;
        @Spec CommandSpec spec;
        @Option(names = "--json", description = "Print the clients as JSON.") boolean json;

        @Override
        public void run() {
            try (Database db = parent.root.openDatabase()) {
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
            try (Database db = parent.root.openDatabase()) {
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
        body.put("refresh_grace", c.refreshGrace().toSeconds());
        return body;
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
