package dev.castgate.cli;

import dev.castgate.Storage;
import dev.castgate.audit.Operator;
import dev.castgate.config.ServerConfig;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.Resource;
import dev.castgate.http.Json;
import dev.castgate.resource.Resources;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The resource servers clients may name with resource indicators (RFC 8707); the work is {@link Resources}'. */
@Command(name = "resource",
        description = "Manage the resource servers clients may name with the resource parameter (RFC 8707).",
        subcommands = {ResourceCommands.Add.class, ResourceCommands.ListResources.class, ResourceCommands.Remove.class})
final class ResourceCommands {
    @ParentCommand CastgateCommand root;

    private Resources resources(Storage db) {
        ServerConfig config = root.config();
        return new Resources(db.stores(), RandomTokens.secure(), Clock.systemUTC(), config.issuerBase() + config.api().basePath());
    }

    @Command(name = "add", description = "Register a resource server by its URI, which clients then send as resource.")
    static final class Add implements Runnable {
        @ParentCommand ResourceCommands parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "URI", description = "Its identifier: an absolute URI without a fragment, matched exactly.") String uri;
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "A name for people.") String name;
        @Option(names = "--scopes", paramLabel = "SCOPES",
                description = "Comma-separated scopes a token for it may carry (openid is always kept); default: any.") String scopes;

        @Override
        public void run() {
            try (Storage db = parent.root.openDatabase()) {
                Resource added = parent.resources(db).add(uri, name, Optional.ofNullable(scopes), Operator.COMMAND_LINE);
                spec.commandLine().getOut().println("added resource " + added.uri()
                        + added.scopes().map(s -> " (scopes: " + String.join(",", s.values()) + ")").orElse(""));
            }
        }
    }

    @Command(name = "list", description = "List the known resources: the Streaming API, then those registered, by URI.")
    static final class ListResources implements Runnable {
        @ParentCommand ResourceCommands parent;
        @Spec CommandSpec spec;
        @Option(names = "--json", description = "Print the resources as JSON.") boolean json;

        @Override
        public void run() {
            try (Storage db = parent.root.openDatabase()) {
                Resources resources = parent.resources(db);
                PrintWriter out = spec.commandLine().getOut();
                List<Resource> all = resources.list();
                if (json) {
                    List<Map<String, Object>> body = new ArrayList<>();
                    for (Resource r : all) body.add(resources.describe(r));
                    out.println(Json.write(body));
                    return;
                }
                out.printf("%-50s  %-24s  %s%n", "URI", "NAME", "SCOPES");
                for (Resource r : all) {
                    out.printf("%-50s  %-24s  %s%n", r.uri(), r.name(), r.scopes().map(s -> String.join(",", s.values())).orElse("any"));
                }
            }
        }
    }

    @Command(name = "remove", description = "Remove a registered resource; tokens issued for it keep their audience until they expire.")
    static final class Remove implements Runnable {
        @ParentCommand ResourceCommands parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "URI", description = "The resource's URI, as the list shows it.") String uri;

        @Override
        public void run() {
            try (Storage db = parent.root.openDatabase()) {
                parent.resources(db).remove(uri, Operator.COMMAND_LINE);
                spec.commandLine().getOut().println("removed resource " + uri);
            }
        }
    }
}
