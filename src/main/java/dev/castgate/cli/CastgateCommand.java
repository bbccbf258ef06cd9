package dev.castgate.cli;

import dev.castgate.Storage;
import dev.castgate.config.ConfigLoader;
import dev.castgate.config.ServerConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: the server and its administration, on one jar. */
@Command(name = "castgate", mixinStandardHelpOptions = true, version = "Castgate 0.1.0",
        description = "OAuth 2.0 and OpenID Connect authorization server.",
        subcommands = {HelpCommand.class, ServeCommand.class, UserCommands.class, ClientCommands.class, AuditCommands.class, KeysCommands.class,
                RegistrationTokenCommands.class, ResourceCommands.class, BackupCommand.class})
public final class CastgateCommand {
    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Configuration file (properties); CASTGATE_* environment variables override it.")
    Path configFile;

    ServerConfig config() { return ConfigLoader.load(Optional.ofNullable(configFile)); }

    /** The administrative commands open the same database as the server, and may run beside it. */
    Storage openDatabase() { return Storage.open(config().database()); }
}
