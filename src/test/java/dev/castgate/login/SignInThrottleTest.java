package dev.castgate.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.AtOnce;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guessing is slowed per name and address, with a higher ceiling per name that holds only
 * addresses that have failed: no stranger can lock the owner out, and the counts say nothing
 * about which names exist or which email is whose. Each test guesses from addresses of its own,
 * forwarded by the trusted proxy at 127.0.0.1.
 */
class SignInThrottleTest {
    private static final int PER_PAIR = 3;
    private static final int CEILING = 6;
    @CastgateServer({"CASTGATE_HTTP_TRUSTED_PROXIES=127.0.0.1", "CASTGATE_LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS=" + PER_PAIR,
            "CASTGATE_LOGIN_MAX_FAILURES_PER_ACCOUNT=" + CEILING})
    static TestServer server;
    static TestClient client;

    private static final String WRONG = "wrong";
    private static final String REFUSED = "refused";
    private static final String SIGNED_IN = "signed in";
    private static final AtomicInteger NETWORKS = new AtomicInteger();

    @BeforeAll
    static void client() { client = server.client().allowPassword().create(); }

    /** A /24 of its own for each test, so no test's failures count in another's. */
    private static String network() { return "10.9." + NETWORKS.incrementAndGet() + "."; }

    /** One sign-in by the password grant, from {@code address}: signed in, wrong, or refused unchecked. */
    private static String signIn(String address, String name, String password) {
        Http.Response r = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "password", "username", name, "password", password),
                "Authorization", client.basic(), "X-Forwarded-For", address);
        if (r.status() == 200) return SIGNED_IN;
        String description = String.valueOf(r.json().get("error_description"));
        if (description.equals("the username or password is wrong")) return WRONG;
        assertThat(description).as(r.body()).isEqualTo("too many failed sign-ins for this account or from this address; try again in 15 minutes");
        return REFUSED;
    }

    private static List<String> guesses(String address, String name, int count) {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) answers.add(signIn(address, name, "wrong guess " + i));
        return answers;
    }

    @Test
    void guessesFromOneAddressAreRefusedThereWhileTheOwnerSignsInFromAnother() {
        User user = server.createUser();
        String net = network();
        assertThat(guesses(net + "1", user.username(), PER_PAIR + 1)).containsExactly(WRONG, WRONG, WRONG, REFUSED);
        assertThat(signIn(net + "1", user.username(), TestServer.PASSWORD)).as("the right password, from there").isEqualTo(REFUSED);
        assertThat(signIn(net + "2", user.username(), TestServer.PASSWORD)).as("the owner, elsewhere").isEqualTo(SIGNED_IN);

        server.clock().advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(signIn(net + "1", user.username(), TestServer.PASSWORD)).as("no lock outlives the window").isEqualTo(SIGNED_IN);
    }

    @Test
    void guessesSpreadOverAddressesMeetACeilingThatAnAddressWithNoFailuresPasses() throws Exception {
        User user = server.createUser();
        String net = network();
        for (int i = 1; i <= CEILING; i++) assertThat(signIn(net + i, user.username(), "guess " + i)).isEqualTo(WRONG);
        assertThat(signIn(net + "1", user.username(), TestServer.PASSWORD)).as("an address that guessed").isEqualTo(REFUSED);
        assertThat(signIn(net + "100", user.username(), TestServer.PASSWORD)).as("the owner, from a fresh address")
                .isEqualTo(SIGNED_IN);

        // A fresh address gets one guess past the ceiling, however many it sends at once.
        List<String> atOnce = AtOnce.send(4, () -> signIn(net + "101", user.username(), "a wrong guess"));
        assertThat(atOnce).containsExactlyInAnyOrder(WRONG, REFUSED, REFUSED, REFUSED);
        assertThat(signIn(net + "101", user.username(), TestServer.PASSWORD)).isEqualTo(REFUSED);
        assertThat(signIn(net + "102", user.username(), TestServer.PASSWORD)).isEqualTo(SIGNED_IN);
    }

    @Test
    void aNameNoAccountHasIsCountedLikeOneThatHasAndAUsernameApartFromItsEmail() {
        User user = server.createUser();
        String net = network();
        List<String> expected = List.of(WRONG, WRONG, WRONG, REFUSED);
        assertThat(guesses(net + "1", user.username(), 4)).as("the username").isEqualTo(expected);
        assertThat(guesses(net + "1", user.email(), 4)).as("its email, from the same address").isEqualTo(expected);
        assertThat(guesses(net + "1", "no" + user.username(), 4)).as("a name no account has").isEqualTo(expected);
        assertThat(guesses(net + "1", "no" + user.email(), 4)).as("an email no account has").isEqualTo(expected);

        // The ceiling too: the username's does not hold its email, nor would an unknown name's.
        for (int i = 2; i <= CEILING - PER_PAIR + 1; i++) assertThat(signIn(net + i, user.username(), "guess")).isEqualTo(WRONG);
        assertThat(signIn(net + "2", user.username(), "guess")).as("past the username's ceiling").isEqualTo(REFUSED);
        assertThat(signIn(net + "2", user.email(), "guess")).as("the email is not").isEqualTo(WRONG);
        assertThat(signIn(net + "2", "other" + user.email(), "guess")).as("as for an unknown email").isEqualTo(WRONG);
    }

    @Test
    void unlockForgetsTheFailuresAtTheAccountsNamesFromEveryAddress(@TempDir Path dir) {
        User user = server.createUser();
        String net = network();
        assertThat(guesses(net + "1", user.username(), PER_PAIR)).containsOnly(WRONG);
        assertThat(guesses(net + "1", user.email().toUpperCase(), PER_PAIR)).containsOnly(WRONG);
        assertThat(guesses(net + "2", user.username(), 1)).containsOnly(WRONG);
        assertThat(signIn(net + "1", user.username(), TestServer.PASSWORD)).isEqualTo(REFUSED);

        Tool tool = Tool.forServer(server, dir);
        Tool.Run unlock = tool.run("user", "unlock", user.username());
        assertThat(unlock.exit()).as(unlock.err()).isZero();
        assertThat(unlock.out()).isEqualTo("unlocked " + user.username() + ": forgot 7 failed sign-ins\n");
        assertThat(signIn(net + "1", user.username(), TestServer.PASSWORD)).isEqualTo(SIGNED_IN);
        assertThat(signIn(net + "1", user.email(), TestServer.PASSWORD)).isEqualTo(SIGNED_IN);

        Tool.Run unknown = tool.run("user", "unlock", "nobody-at-all");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no user 'nobody-at-all'");
    }
}
