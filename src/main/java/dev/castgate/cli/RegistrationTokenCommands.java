package dev.castgate.cli;

import dev.castgate.Storage;
import dev.castgate.admin.AdminException;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.RegistrationToken;
import dev.castgate.http.Json;
import dev.castgate.registration.RegistrationTokens;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Initial access tokens for dynamic client registration (RFC 7591 §3); the work is {@link RegistrationTokens}'. */
@Command(name = "registration-token",
        description = "Manage initial access tokens, which let clients register themselves at /oauth2/register.",
        subcommands = {RegistrationTokenCommands.Create.class, RegistrationTokenCommands.ListTokens.class, RegistrationTokenCommands.Revoke.class})
final class RegistrationTokenCommands {
    @ParentCommand CastgateCommand root;

    private RegistrationTokens tokens(Storage db) {
        return new RegistrationTokens(db.stores(), RandomTokens.secure(), Clock.systemUTC());
    }

    @Command(name = "create",
            description = "Make a token; it is printed once, on the last line, and stored only as a hash.")
    static final class Create implements Runnable {
        @ParentCommand RegistrationTokenCommands parent;
        @Spec CommandSpec spec;
        @Option(names = "--ttl", description = "How long it lives, such as 90m, 24h or 7d; default 24h.") Duration ttl = RegistrationTokens.DEFAULT_TTL;
        @Option(names = "--uses", paramLabel = "N", description = "How many registrations it allows; default: any number until it expires.")
        Integer uses;
        @Option(names = "--json", description = "Print the token and its settings as JSON.") boolean json;

        @Override
        public void run() {
            try (Storage db = parent.root.openDatabase()) {
                RegistrationTokens.Created created = parent.tokens(db).create(ttl, Optional.ofNullable(uses));
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Map<String, Object> body = describe(created.token(), "active");
                    body.put("token", created.secret());
                    out.println(Json.write(body));
                    return;
                }
                RegistrationToken t = created.token();
                out.println("id:         " + t.id());
                out.println("expires_at: " + t.expiresAt());
                out.println("uses:       " + t.usesLeft().map(Object::toString).orElse("any number until it expires"));
                out.println("initial access token (shown once; send it as Authorization: Bearer to /oauth2/register):");
                out.println(created.secret());
            }
        }
    }

    @Command(name = "list", description = "List tokens, used-up ones too (expired ones until housekeeping deletes them), oldest first.")
    static final class ListTokens implements Runnable {
        @ParentCommand RegistrationTokenCommands parent;
        @Spec CommandSpec spec;
        @Option(names = "--json", description = "Print the tokens as JSON.") boolean json;

        @Override
        public void run() {
            try (Storage db = parent.root.openDatabase()) {
                RegistrationTokens tokens = parent.tokens(db);
                PrintWriter out = spec.commandLine().getOut();
                List<RegistrationToken> all = tokens.list();
                if (json) {
                    List<Map<String, Object>> body = new ArrayList<>();
                    for (RegistrationToken t : all) body.add(describe(t, tokens.state(t)));
                    out.println(Json.write(body));
                    return;
                }
                out.printf("%-16s  %-24s  %-24s  %-9s  %s%n", "ID", "CREATED", "EXPIRES", "USES LEFT", "STATE");
                for (RegistrationToken t : all) {
                    out.printf("%-16s  %-24s  %-24s  %-9s  %s%n", t.id(), t.createdAt(), t.expiresAt(),
                            t.usesLeft().map(Object::toString).orElse("-"), tokens.state(t));
                }
            }
        }
    }

    @Command(name = "revoke", description = "End a token at once; clients it registered stay.")
    static final class Revoke implements Runnable {
        @ParentCommand RegistrationTokenCommands parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "ID", description = "The token's id, as the list shows it.") String id;

        @Override
        public void run() {
            try (Storage db = parent.root.openDatabase()) {
                if (!parent.tokens(db).revoke(id)) throw new AdminException("no registration token " + id);
                spec.commandLine().getOut().println("revoked registration token " + id);
            }
        }
    }

    private static Map<String, Object> describe(RegistrationToken t, String state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", t.id());
        body.put("created_at", t.createdAt().toString());
        body.put("expires_at", t.expiresAt().toString());
        body.put("uses_left", t.usesLeft().orElse(null));
        body.put("state", state);
        return body;
    }
}
