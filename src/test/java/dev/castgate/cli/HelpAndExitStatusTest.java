package dev.castgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command, present and future, answers {@code --help} and {@code -h} with its usage on
 * standard output and status 0; and the exit statuses are the README's: 0 done, 1 refused,
 * 2 bad usage or configuration.
 */
class HelpAndExitStatusTest {
    @TempDir static Path dir;
    @CastgateServer static TestServer server;
    static Tool tool;

    @BeforeAll
    static void setUp() { tool = Tool.forServer(server, dir); }

    /** Every command's words after {@code castgate}, found by walking picocli's tree, so a command added later is in it. */
    private static List<List<String>> everyCommand() {
        List<List<String>> all = new ArrayList<>();
        walk(new CommandLine(new CastgateCommand()), List.of(), all);
        return all;
    }

    private static void walk(CommandLine command, List<String> path, List<List<String>> into) {
        into.add(path);
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(sub.getKey());
            walk(sub.getValue(), subPath, into);
        }
    }

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        List<List<String>> commands = everyCommand();
        assertThat(commands).contains(List.of(), List.of("serve"), List.of("user", "add"), List.of("client", "add"),
                List.of("audit", "list"), List.of("keys", "retire"), List.of("backup"), List.of("help"));
        for (List<String> command : commands) {
            for (String option : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(command);
                args.add(option);
                Tool.Run run = Tool.runRaw("", args.toArray(String[]::new));
                String words = String.join(" ", args);
                assertThat(run.exit()).as(words + ": " + run.err()).isZero();
                assertThat(run.err()).as(words).isEmpty();
                assertThat(run.out()).as(words).contains("Usage: castgate" + (command.isEmpty() ? "" : " " + String.join(" ", command)) + " [");
            }
        }
    }

    @Test
    void helpNamesACommand() {
        Tool.Run run = Tool.runRaw("", "help", "client");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("Usage: castgate client ");
        Tool.Run unknown = Tool.runRaw("", "help", "frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
    }

    @Test
    void aRequiredOptionIsNotAskedForWithHelp() {
        Tool.Run run = Tool.runRaw("", "client", "add", "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("--name=<name>").contains("--redirect-uri");
    }

    @Test
    void zeroWhenDone() {
        Tool.Run run = tool.run("user", "list");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void oneWhenRefusedWithTheReasonOnStandardError() {
        Tool.Run unknownUser = tool.run("user", "show", "nobody-at-all");
        assertThat(unknownUser.exit()).isEqualTo(1);
        assertThat(unknownUser.err()).isEqualTo("castgate: no user 'nobody-at-all'" + System.lineSeparator());
        assertThat(unknownUser.out()).isEmpty();

        Tool.Run badValue = tool.run("audit", "list", "--limit", "0");
        assertThat(badValue.exit()).isEqualTo(1);
        assertThat(badValue.err()).isEqualTo("castgate: --limit must be between 1 and 1000000" + System.lineSeparator());
    }

    @Test
    void twoForBadUsageOrConfiguration() {
        Tool.Run unknownOption = tool.run("user", "list", "--colour");
        assertThat(unknownOption.exit()).isEqualTo(2);
        assertThat(unknownOption.err()).startsWith("Unknown option: '--colour'" + System.lineSeparator());

        Tool.Run missing = tool.run("user", "add", "--username", "x");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("Missing required options: ").contains("Usage: castgate user add [-h]");

        Tool.Run notANumber = tool.run("audit", "list", "--limit", "many");
        assertThat(notANumber.exit()).isEqualTo(2);

        Tool.Run badPort = Tool.runRaw("", "serve", "--port", "70000");
        assertThat(badPort.exit()).isEqualTo(2);
        assertThat(badPort.err()).isEqualTo("castgate: configuration: --port must be between 0 and 65535, not 70000" + System.lineSeparator());

        Tool.Run badFile = Tool.runRaw("", "--config", dir.resolve("missing.properties").toString(), "user", "list");
        assertThat(badFile.exit()).isEqualTo(2);
        assertThat(badFile.err()).startsWith("castgate: configuration: cannot read configuration file ");
    }
}
