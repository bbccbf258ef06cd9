package dev.castgate.cli;

import dev.castgate.StartFailure;
import dev.castgate.admin.AdminException;
import dev.castgate.config.ConfigException;
import dev.castgate.keys.KeyFileProblem;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Entry point: parses the command line and runs the chosen command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(ServeCommand.plain(args).map(Main::serve).orElseGet(() -> run(args)));
    }

    /** Runs the server as picocli's {@code serve} would, with the same exit code for a bad configuration. */
    private static int serve(Runnable server) {
        try {
            server.run();
            return 0;
        } catch (ConfigException config) {
            for (String problem : config.problems()) System.err.println("castgate: configuration: " + problem);
            return 2;
        } catch (StartFailure failure) {
            System.err.println("castgate: " + failure.getMessage());
            return 2;
        }
    }

    /** Runs a command and returns its exit code: 0 done, 1 refused, 2 bad configuration or usage, or a start that failed. */
    public static int run(String... args) {
        return run(new CommandLine(new CastgateCommand()), args);
    }

    /**
     * The same, printing the command's output and messages to {@code out} and {@code err} rather
     * than the process's streams, which the log also writes to.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(new CommandLine(new CastgateCommand()).setOut(out).setErr(err), args);
    }

    private static int run(CommandLine commandLine, String... args) {
        withHelp(commandLine);
        // A kid is base64url and may begin with '-': there it is the KID, not an unknown option.
        commandLine.getSubcommands().get("keys").getSubcommands().get("retire").setUnmatchedOptionsArePositionalParams(true);
        OptionConverters.install(commandLine).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException config) {
                for (String problem : config.problems()) cmd.getErr().println("castgate: configuration: " + problem);
                return 2;
            }
            if (e instanceof StartFailure || e instanceof KeyFileProblem) {
                cmd.getErr().println("castgate: " + e.getMessage());
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

    /**
     * Gives {@code -h} and {@code --help} to every command below the root, which has them from its
     * annotation, so that no command, present or future, can be without them. A help option asks
     * for nothing else: picocli then checks no required option and prints the usage to standard
     * output with exit status 0.
     */
    static void withHelp(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            if (sub.getCommandSpec().findOption("--help") == null) {
                sub.getCommandSpec().addMixin("help", CommandSpec.forAnnotatedObject(new HelpOption()));
            }
            withHelp(sub);
        }
    }

    /** The help option every command has. */
    static final class HelpOption {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
    }
}
