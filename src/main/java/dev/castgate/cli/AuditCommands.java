package dev.castgate.cli;

import dev.castgate.Storage;
import dev.castgate.admin.AuditReading;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.UserId;
import dev.castgate.http.Json;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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
            AuditReading.limit("--limit", limit);
            try (Storage db = parent.root.openDatabase()) {
                AuditReading reading = new AuditReading(db.stores().audit(), Clock.systemUTC());
                Instant from = reading.since("--since", since);
                PrintWriter out = spec.commandLine().getOut();
                List<AuditEvent> events = reading.newest(from, Set.of(), limit);
                if (!json) out.printf("%-24s  %-22s  %-7s  %-40s  %-40s  %-15s  %s%n", "TIME", "EVENT", "OUTCOME", "USER", "CLIENT", "ADDRESS", "DETAIL");
                for (AuditEvent e : events) {
                    if (json) {
                        out.println(Json.write(AuditReading.describe(e)));
                    } else {
                        out.printf("%-24s  %-22s  %-7s  %-40s  %-40s  %-15s  %s%n", e.at(), e.type().wireName(),
                                e.outcome().wireName(), e.userId().map(UserId::value).orElse("-"), e.clientId().map(ClientId::value).orElse("-"),
                                e.address().orElse("-"), e.detail().orElse(""));
                    }
                }
            }
        }
    }
}
