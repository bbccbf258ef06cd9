package dev.castgate.cli;

import dev.castgate.Storage;
import dev.castgate.admin.AdminException;
import dev.castgate.config.Durations;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.UserId;
import dev.castgate.http.Json;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "audit", description = "Read the audit trail.", subcommands = AuditCommands.ListEvents.class)
final class AuditCommands {
    @ParentCommand CastgateCommand root;

    @Command(name = "list", description = "List security events, newest first.")
    static final class ListEvents implements Runnable {
        @ParentCommand AuditCommands parent;
        @Spec CommandSpec spec;
        @Option(names = "--since", description = "A time (2026-11-28T10:00:00Z) or an age (90m, 24h, 7d); default 24h.")
        String since = "24h";
        @Option(names = "--limit", paramLabel = "N", description = "At most this many events, the newest; default 1000.") int limit = 1000;
        @Option(names = "--json", description = "One JSON object per line.") boolean json;

        @Override
        public void run() {
            if (limit < 1 || limit > 1_000_000) throw new AdminException("--limit must be between 1 and 1000000");
            Instant from = parseSince(since);
            try (Storage db = parent.root.openDatabase()) {
                PrintWriter out = spec.commandLine().getOut();
                List<AuditEvent> events = db.stores().audit().latest(from, limit);
                if (!json) out.printf("%-24s  %-22s  %-7s  %-40s  %-40s  %-15s  %s%n", "TIME", "EVENT", "OUTCOME", "USER", "CLIENT", "ADDRESS", "DETAIL");
                for (AuditEvent e : events) {
                    if (json) {
                        out.println(Json.write(toJson(e)));
                    } else {
                        out.printf("%-24s  %-22s  %-7s  %-40s  %-40s  %-15s  %s%n", e.at(), e.type().wireName(),
                                e.outcome().wireName(), e.userId().map(UserId::value).orElse("-"), e.clientId().map(ClientId::value).orElse("-"),
                                e.address().orElse("-"), e.detail().orElse(""));
                    }
                }
            }
        }

        private static Instant parseSince(String raw) {
            try {
                return Instant.parse(raw);
            } catch (DateTimeParseException notATime) {
                try {
                    return Instant.now().minus(Durations.parse(raw));
                } catch (IllegalArgumentException e) {
                    throw new AdminException("--since must be a time such as 2026-11-28T10:00:00Z or an age such as 24h");
                }
            }
        }

        private static Map<String, Object> toJson(AuditEvent e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("time", e.at().toString());
            body.put("event", e.type().wireName());
            body.put("outcome", e.outcome().wireName());
            e.userId().ifPresent(v -> body.put("user_id", v.value()));
            e.clientId().ifPresent(v -> body.put("client_id", v.value()));
            e.address().ifPresent(v -> body.put("address", v));
            e.detail().ifPresent(v -> body.put("detail", v));
            return body;
        }
    }
}
