package dev.castgate.registration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code castgate registration-token create | list | revoke}: what it prints, and that the server takes what it makes. */
class RegistrationTokenCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    @CastgateServer("CASTGATE_REGISTRATION_MAX_REQUESTS_PER_ADDRESS=100000") static TestServer server;
    static Tool tool;

    @BeforeAll
    static void setUp() {
        tool = Tool.forServer(server, dir);
    }

    private static <T> T json(Tool.Run run, TypeReference<T> type) {
        assertThat(run.exit()).as(run.err()).isZero();
        try {
            return JSON.readValue(run.out(), type);
        } catch (Exception e) {
            throw new AssertionError(run.out(), e);
        }
    }

    private static String lastLine(Tool.Run run) {
        List<String> lines = run.out().lines().toList();
        return lines.get(lines.size() - 1);
    }

    @Test
    void createPrintsTheTokenOnTheLastLineWithADayToLive() {
        Instant before = Instant.now();
        Tool.Run run = tool.run("registration-token", "create");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        String token = lastLine(run);
        assertThat(token).matches("[0-9a-f]{40}");
        assertThat(run.out()).contains("uses:       any number until it expires");
        String id = run.out().lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().substring(3).strip();
        Instant expires = Instant.parse(run.out().lines().filter(l -> l.startsWith("expires_at:")).findFirst().orElseThrow()
                .substring("expires_at:".length()).strip());
        assertThat(expires).isBetween(before.plus(Duration.ofHours(24)), Instant.now().plus(Duration.ofHours(24)));
        // Only the hash is kept.
        assertThat(server.database().stores().registrationTokens().list()).anySatisfy(t -> {
            assertThat(t.id()).isEqualTo(id);
            assertThat(t.hash().value()).isNotEqualTo(token).hasSize(64);
        });
        assertThat(new Registrations(server).register(token, "{\"grant_types\": [\"client_credentials\"]}").status()).isEqualTo(201);
    }

    @Test
    void createWithTtlUsesAndJson() {
        Map<String, Object> created = json(tool.run("registration-token", "create", "--ttl", "2h", "--uses", "3", "--json"),
                new TypeReference<>() {});
        assertThat(created).containsOnlyKeys("id", "created_at", "expires_at", "uses_left", "state", "token")
                .containsEntry("uses_left", 3).containsEntry("state", "active");
        assertThat(Duration.between(Instant.parse((String) created.get("created_at")), Instant.parse((String) created.get("expires_at"))))
                .isEqualTo(Duration.ofHours(2));
        new Registrations(server).register((String) created.get("token"), "{\"grant_types\": [\"client_credentials\"]}");

        List<Map<String, Object>> listed = json(tool.run("registration-token", "list", "--json"), new TypeReference<>() {});
        assertThat(listed).anySatisfy(t -> assertThat(t).containsEntry("id", created.get("id")).containsEntry("uses_left", 2)
                .containsEntry("state", "active").doesNotContainKey("token"));
        Tool.Run table = tool.run("registration-token", "list");
        assertThat(table.exit()).isZero();
        assertThat(table.out()).startsWith("ID ").contains((String) created.get("id")).doesNotContain((String) created.get("token"));
    }

    @Test
    void aUsedUpTokenIsListedSo() {
        Map<String, Object> created = json(tool.run("registration-token", "create", "--uses", "1", "--json"), new TypeReference<>() {});
        new Registrations(server).register((String) created.get("token"), "{\"grant_types\": [\"client_credentials\"]}");
        List<Map<String, Object>> listed = json(tool.run("registration-token", "list", "--json"), new TypeReference<>() {});
        assertThat(listed).anySatisfy(t -> assertThat(t).containsEntry("id", created.get("id")).containsEntry("uses_left", 0)
                .containsEntry("state", "used up"));
    }

    @Test
    void revokeEndsATokenAtOnce() {
        Map<String, Object> created = json(tool.run("registration-token", "create", "--json"), new TypeReference<>() {});
        Tool.Run revoked = tool.run("registration-token", "revoke", (String) created.get("id"));
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(revoked.out()).isEqualTo("revoked registration token " + created.get("id") + System.lineSeparator());
        Registrations.assertInvalidToken(new Registrations(server).register((String) created.get("token"), "{}"),
                "the initial access token is invalid, expired, used up or revoked");
        List<Map<String, Object>> listed = json(tool.run("registration-token", "list", "--json"), new TypeReference<>() {});
        assertThat(listed).noneSatisfy(t -> assertThat(t).containsEntry("id", created.get("id")));

        Tool.Run again = tool.run("registration-token", "revoke", (String) created.get("id"));
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("castgate: no registration token " + created.get("id") + System.lineSeparator());

        // Both are audited, naming the token by its id and never by its secret.
        List<String> events = tool.run("audit", "list", "--json", "--since", "1h").out().lines()
                .filter(line -> line.contains("initial access token " + created.get("id"))).toList();
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).contains("\"event\":\"registration_token_revoked\"");
        assertThat(events.get(1)).contains("\"event\":\"registration_token_created\"", "any number of uses");
        assertThat(String.join("", events)).doesNotContain((String) created.get("token"));
    }

    @Test
    void refusedValues() {
        Tool.Run zero = tool.run("registration-token", "create", "--uses", "0");
        assertThat(zero.exit()).isEqualTo(1);
        assertThat(zero.err()).contains("castgate: the number of uses must be at least 1");
        Tool.Run badTtl = tool.run("registration-token", "create", "--ttl", "soon");
        assertThat(badTtl.exit()).isEqualTo(1);
        assertThat(badTtl.err()).startsWith("castgate: ");
    }

    @Test
    void helpDescribesEachCommand() {
        for (List<String> command : List.of(List.of("registration-token", "--help"), List.of("registration-token", "create", "--help"),
                List.of("registration-token", "list", "--help"), List.of("registration-token", "revoke", "--help"))) {
            Tool.Run run = tool.run(command.toArray(String[]::new));
            assertThat(run.exit()).as(command.toString()).isZero();
            assertThat(run.out()).as(command.toString()).startsWith("Usage: castgate " + String.join(" ", command.subList(0, command.size() - 1)));
        }
        assertThat(tool.run("registration-token", "create", "--help").out()).contains("--ttl", "--uses", "--json");
    }

    @Test
    void housekeepingDeletesATokenOnceItHasExpired(@TempDir Path own) {
        try (TestServer alone = TestServer.start()) {
            Tool.Run shortLived = Tool.forServer(alone, own).run("registration-token", "create", "--ttl", "1h");
            Tool.Run longLived = Tool.forServer(alone, own).run("registration-token", "create", "--ttl", "3h", "--uses", "1");
            assertThat(shortLived.exit()).as(shortLived.err()).isZero();
            assertThat(longLived.exit()).as(longLived.err()).isZero();

            alone.clock().advance(Duration.ofHours(2));
            assertThat(alone.sweep().registrationTokens()).isEqualTo(1);

            List<Map<String, Object>> left = json(Tool.forServer(alone, own).run("registration-token", "list", "--json"), new TypeReference<>() {});
            assertThat(left).singleElement().satisfies(t -> assertThat(t).containsEntry("uses_left", 1));
        }
    }
}
