package dev.castgate;

import dev.castgate.admin.AdminException;
import dev.castgate.cli.CastgateCommand;
import dev.castgate.config.ConfigException;
import picocli.CommandLine;

/** Entry point: parses the command line and runs the chosen command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns its exit code: 0 done, 1 refused, 2 bad configuration or usage. */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new CastgateCommand());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException config) {
                for (String problem : config.problems()) cmd.getErr().println("castgate: configuration: " + problem);
                return 2;
            }
            if (e instanceof AdminException admin) {
                cmd.getErr().println("castgate: " + admin.getMessage());
                return 1;
            }
            throw e;
        });
        return commandLine.execute(args);
    }
}
