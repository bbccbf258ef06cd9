package dev.castgate.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device grant is registered with the tool's existing --grant-types, for native and web clients, and is never a default. */
class DeviceClientRegistrationTest {
    @CastgateServer static TestServer server;
    static DeviceRequests device;

    @BeforeAll
    static void setUp() {
        device = new DeviceRequests(server);
    }

    private static Map<String, Object> json(String text) throws IOException {
        return new ObjectMapper().readValue(text, new TypeReference<Map<String, Object>>() {});
    }

    @Test
    void nativeAndWebClientsRegisteredWithTheGrantCanStartTheFlow(@TempDir Path dir) throws IOException {
        Tool tool = Tool.forServer(server, dir);
        Tool.Run tv = tool.run("client", "add", "--name", "TV app", "--type", "native",
                "--grant-types", "urn:ietf:params:oauth:grant-type:device_code,refresh_token", "--json");
        assertThat(tv.exit()).as(tv.err()).isZero();
        Map<String, Object> tvBody = json(tv.out());
        assertThat(tvBody).containsEntry("grant_types", List.of("refresh_token", "urn:ietf:params:oauth:grant-type:device_code"));
        TestClient tvClient = new TestClient((String) tvBody.get("client_id"), null, null, "TV app");
        assertThat(device.authorize(tvClient, Map.of()).status()).isEqualTo(200);

        Tool.Run encoder = tool.run("client", "add", "--name", "Encoder", "--type", "web",
                "--grant-types", "urn:ietf:params:oauth:grant-type:device_code", "--json");
        assertThat(encoder.exit()).as(encoder.err()).isZero();
        Map<String, Object> encoderBody = json(encoder.out());
        TestClient encoderClient = new TestClient((String) encoderBody.get("client_id"), (String) encoderBody.get("client_secret"),
                null, "Encoder");
        assertThat(device.authorize(encoderClient, Map.of("scope", "broadcaster")).status()).isEqualTo(200);
    }

    @Test
    void theDefaultsDoNotIncludeTheDeviceGrant(@TempDir Path dir) throws IOException {
        Tool.Run web = Tool.forServer(server, dir).run("client", "add", "--name", "Web app", "--type", "web",
                "--redirect-uri", "https://app.example/cb", "--json");
        assertThat(web.exit()).as(web.err()).isZero();
        assertThat(json(web.out())).containsEntry("grant_types", List.of("authorization_code", "client_credentials", "refresh_token"));
    }
}
