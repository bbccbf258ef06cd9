package dev.castgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.ServerProcess;
import dev.castgate.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code log.format=json} (README, Logs): every line a node writes is one JSON object, from the
 * environment and from a settings file alike, and a request's
 * access line carries the id its answer carried. Nodes of their own: the format is the process's.
 */
class JsonLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CastgateServer static TestServer server;

    @Test
    void fromTheEnvironmentEveryLineIsJson() throws IOException {
        try (ServerProcess node = ServerProcess.startBeside(server, Map.of("CASTGATE_LOG_FORMAT", "json"))) {
            Http.Response r = Http.client().get(node.url("/.well-known/openid-configuration"));
            JsonNode line = accessLine(node, r);
            assertThat(line.get("level").asText()).isEqualTo("INFO");
            assertThat(line.get("formattedMessage").asText()).startsWith("GET /.well-known/openid-configuration 200 ");
            assertThat(line.get("kvpList").toString()).contains("{\"status\":\"200\"}", "{\"method\":\"GET\"}");
            assertThat(linesOf(node)).isNotEmpty().allSatisfy(l -> assertThat(JSON.readTree(l).isObject()).as(l).isTrue());
        }
    }

    @Test
    void fromASettingsFileEveryLineIsJsonToo(@TempDir Path dir) throws IOException {
        Path settings = Files.writeString(dir.resolve("castgate.properties"), "log.format = json\n");
        try (ServerProcess node = ServerProcess.startBeside(server, "--config", settings.toString())) {
            Http.Response r = Http.client().get(node.url("/health/live"));
            accessLine(node, r);
            // Nothing is logged before the settings are read: every line is JSON.
            assertThat(linesOf(node)).anySatisfy(l -> assertThat(l).contains("Castgate is serving"))
                    .allSatisfy(l -> assertThat(JSON.readTree(l).isObject()).as(l).isTrue());
        }
    }

    /** The node's access line for the request that got {@code r}, parsed. */
    private static JsonNode accessLine(ServerProcess node, Http.Response r) {
        String id = r.header("X-Request-Id").orElseThrow();
        return await().atMost(Duration.ofSeconds(10)).until(() -> find(node, id), Optional::isPresent).orElseThrow();
    }

    private static Optional<JsonNode> find(ServerProcess node, String id) throws IOException {
        for (String l : linesOf(node)) {
            if (!l.startsWith("{")) continue;
            JsonNode line = JSON.readTree(l);
            if ("castgate.access".equals(line.path("loggerName").asText()) && id.equals(line.path("mdc").path("request_id").asText())) {
                return Optional.of(line);
            }
        }
        return Optional.empty();
    }

    /** The node's output lines but the JVM's own notices (about native access), which no setting reaches. */
    private static List<String> linesOf(ServerProcess node) {
        List<String> lines = new ArrayList<>();
        for (String l : node.output().split("\n")) if (!l.isBlank() && !l.startsWith("WARNING:")) lines.add(l);
        return lines;
    }
}
