package dev.castgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.config.ConfigLoader;
import dev.castgate.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files in {@code deploy/} hold what the rest of the repository says: the service's settings
 * are ones the README's table lists and the server accepts, the service starts the JVM as
 * {@code bin/castgate serve} does, and systemd reads the unit without complaint. (nginx's file is
 * run by {@link TwoNodesBehindNginxTest}.)
 */
class DeployFilesTest {
    private static final Path UNIT = Path.of("deploy/castgate.service");
    private static final Path ENV_FILE = Path.of("deploy/castgate.env");
    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @Test
    void theServicesSettingsAreDocumentedAndAccepted() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ENV_FILE)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        Matcher row = Pattern.compile("(?m)^\\| `[a-z_.]+` \\| `(CASTGATE_[A-Z_]+)` \\|").matcher(Files.readString(Path.of("README.md")));
        Set<String> documented = row.results().map(m -> m.group(1)).collect(Collectors.toSet());
        assertThat(documented).containsAll(env.keySet());

        ServerConfig config = ConfigLoader.load(env, Optional.empty());
        assertThat(config.issuer()).hasToString("https://auth.example.com");
        assertThat(config.database().jdbcUrl()).startsWith("jdbc:postgresql:");
        assertThat(config.encryptionKey().path()).isEqualTo(Path.of("/etc/castgate/encryption.key"));
    }

    @Test
    void theServiceStartsTheJvmAsBinCastgateServeDoes() throws IOException {
        Matcher defaults = Pattern.compile("(?s)\\nopts=\\(([^)]*)\\)").matcher(Files.readString(Path.of("bin/castgate")));
        assertThat(defaults.find()).isTrue();
        List<String> expected = new ArrayList<>(Arrays.asList(defaults.group(1).trim().split("\\s+")));
        Matcher serveOnly = Pattern.compile("= serve \\]; then opts\\+=\\(([^)]*)\\)").matcher(Files.readString(Path.of("bin/castgate")));
        assertThat(serveOnly.find()).isTrue();
        expected.addAll(Arrays.asList(serveOnly.group(1).trim().split("\\s+")));

        List<String> command = Arrays.asList(execStart().split("\\s+"));
        assertThat(command.get(0)).isEqualTo("/opt/castgate/jdk/bin/java");
        assertThat(command.subList(command.size() - 3, command.size())).containsExactly("-jar", "/opt/castgate/castgate.jar", "serve");
        // The class-data archive and its log switches are where the two differ: the unit keeps its archive in the state directory.
        List<String> options = command.subList(1, command.size() - 3).stream()
                .filter(o -> !o.startsWith("-XX:SharedArchiveFile=") && !o.equals("-XX:+AutoCreateSharedArchive") && !o.startsWith("-Xlog:"))
                .toList();
        assertThat(options).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Files.readString(UNIT)).contains("Environment=MALLOC_ARENA_MAX=2");
    }

    @Test
    void systemdReadsTheUnitWithoutComplaint(@TempDir Path dir) throws Exception {
        if (!Files.isExecutable(SYSTEMD_ANALYZE)) {
            String message = SYSTEMD_ANALYZE + " is not installed (Debian package systemd)";
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message + "; CI requires this test to run");
            Assumptions.abort(message + "; the unit check is skipped");
        }
        // systemd checks that the program exists: the test's own JVM stands in for the installed JDK.
        Path unit = dir.resolve("castgate.service");
        Files.writeString(unit, Files.readString(UNIT).replace("/opt/castgate/jdk/bin/java",
                ProcessHandle.current().info().command().orElseThrow()));
        Process verify = new ProcessBuilder(SYSTEMD_ANALYZE.toString(), "verify", unit.toString()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes());
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).as("systemd's remarks on the unit").isEmpty();
    }

    /** The unit's ExecStart with its continuation lines joined. */
    private static String execStart() throws IOException {
        Matcher exec = Pattern.compile("(?m)^ExecStart=((?:.*\\\\\\n)*.*)$").matcher(Files.readString(UNIT));
        assertThat(exec.find()).isTrue();
        return exec.group(1).replace("\\\n", " ").trim();
    }
}
