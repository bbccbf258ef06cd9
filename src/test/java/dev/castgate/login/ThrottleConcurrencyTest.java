package dev.castgate.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.User;
import dev.castgate.testing.AtOnce;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guesses sent at once are counted one after the other: past the limit they are refused before
 * any password is checked, however they race (the throttle records first, then decides).
 */
class ThrottleConcurrencyTest {
    private static final int LIMIT = 5;
    private static final String THROTTLED = "CASTGATE_LOGIN_MAX_FAILURES_PER_ACCOUNT=" + LIMIT;
    private static final int GUESSES = 12;

    @Test
    void parallelWrongPasswordsPassTheLimitNoFurtherThanSentOneByOne(@CastgateServer(THROTTLED) TestServer server) throws Exception {
        User user = server.createUser();
        TestClient client = server.client().allowPassword().create();
        Instant before = server.clock().instant();

        List<Http.Response> answers = AtOnce.send(GUESSES, () -> Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "password", "username", user.username(), "password", "a wrong guess"),
                "Authorization", client.basic()));

        List<String> descriptions = answers.stream().map(r -> (String) r.json().get("error_description")).toList();
        assertThat(descriptions).as("checked against the password")
                .filteredOn("the username or password is wrong"::equals).hasSize(LIMIT);
        assertThat(descriptions).as("refused unchecked")
                .filteredOn(d -> d.startsWith("too many failed sign-ins")).hasSize(GUESSES - LIMIT);
        List<AuditEvent> events = server.database().stores().audit().list(before, 1000);
        assertThat(events).filteredOn(e -> e.type() == AuditEvent.Type.LOGIN && e.outcome() == AuditEvent.Outcome.FAILURE)
                .hasSize(LIMIT);
        assertThat(events).filteredOn(e -> e.type() == AuditEvent.Type.LOGIN_THROTTLED).hasSize(GUESSES - LIMIT);

        // Refused guesses are not counted against the window: once it has passed, the owner signs in.
        Http.Response owner = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "password", "username", user.username(), "password", TestServer.PASSWORD),
                "Authorization", client.basic());
        assertThat(owner.status()).as("still within the window").isEqualTo(400);
        server.clock().advance(Duration.ofMinutes(15).plusSeconds(1));
        Http.Response later = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "password", "username", user.username(), "password", TestServer.PASSWORD),
                "Authorization", client.basic());
        assertThat(later.status()).as(later.body()).isEqualTo(200);
    }

    @Test
    void manyCorrectSignInsAtOnceAreAllAnswered(@CastgateServer(THROTTLED) TestServer server) throws Exception {
        User user = server.createUser();
        TestClient client = server.client().allowPassword().create();
        List<Http.Response> answers = AtOnce.send(32, () -> Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "password", "username", user.username(), "password", TestServer.PASSWORD),
                "Authorization", client.basic()));
        assertThat(answers).as("more at once than the limit: delayed, not refused")
                .allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
    }
}
