package dev.castgate.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.GrantType;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 8628 §5.1: wrong user codes are counted per session and per address in the database; past
 * the limit even a right code is refused until the window passes, with a message saying so.
 */
class UserCodeThrottleTest {
    private static final String THROTTLED = "Too many wrong codes. Wait 15 minutes and try again.";
    private static final String INVALID = "That code is not valid or has expired.";

    TestServer server;

    @AfterEach
    void stop() { if (server != null) server.close(); }

    private Http signedIn() {
        Http browser = Http.browser();
        Accounts.signIn(server, browser, server.createUser().username(), TestServer.PASSWORD);
        return browser;
    }

    private static void assertPage(Http.Response response, int status, String text) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains(text);
    }

    @Test
    void perSessionAHandfulOfWrongCodesThenEvenTheRightOneIsRefusedUntilTheWindowPasses() {
        server = TestServer.start();
        DeviceRequests device = new DeviceRequests(server);
        TestClient client = server.client().grants(GrantType.DEVICE_CODE).create();
        DeviceRequests.Codes codes = device.start(client, null, null);
        Http browser = signedIn();

        for (int i = 0; i < 5; i++) {
            assertPage(device.enter(browser, device.entryPage(browser), "BBBB-BBB" + "CDFGH".charAt(i)), 400, INVALID);
        }
        assertPage(device.enter(browser, device.entryPage(browser), codes.userCode()), 429, THROTTLED);
        assertPage(device.enter(browser, device.entryPage(browser), "not a code"), 429, THROTTLED);

        // Another session from the same address still may (the address allows 20).
        Http other = signedIn();
        assertPage(device.enter(other, device.entryPage(other), codes.userCode()), 200, client.name());

        Http hu = browser;
        Http.Response huPage = hu.get(server.url("/device?lang=hu_HU"));
        assertPage(device.enter(hu, huPage, codes.userCode()), 429, "Túl sok hibás kód. Várjon 15 percet, majd próbálja újra.");

        // The window passes (and the code with it, after its 10 minutes): a new code is accepted.
        server.clock().advance(Duration.ofMinutes(15).plusSeconds(1));
        DeviceRequests.Codes later = device.start(client, null, null);
        assertPage(device.enter(browser, device.entryPage(browser), later.userCode()), 200, client.name());
    }

    @Test
    void perAddressNewSessionsDoNotReset() {
        server = TestServer.start(Map.of("CASTGATE_DEVICE_MAX_FAILURES_PER_SESSION", "2", "CASTGATE_DEVICE_MAX_FAILURES_PER_ADDRESS", "4"));
        DeviceRequests device = new DeviceRequests(server);
        TestClient client = server.client().grants(GrantType.DEVICE_CODE).create();
        DeviceRequests.Codes codes = device.start(client, null, null);

        for (int session = 0; session < 2; session++) {
            Http browser = signedIn();
            assertPage(device.enter(browser, device.entryPage(browser), "BBBB-BBBB"), 400, INVALID);
            assertPage(device.enter(browser, device.entryPage(browser), "bbbbcccc"), 400, INVALID);
            assertPage(device.enter(browser, device.entryPage(browser), codes.userCode()), 429, THROTTLED);
        }
        // A third, fresh session from the same address has no wrong code of its own, and is refused all the same.
        Http fresh = signedIn();
        assertPage(device.enter(fresh, device.entryPage(fresh), codes.userCode()), 429, THROTTLED);
        assertThat(server.database().count("login_failures")).isEqualTo(8);

        server.clock().advance(Duration.ofMinutes(16));
        DeviceRequests.Codes later = device.start(client, null, null);
        assertPage(device.enter(fresh, device.entryPage(fresh), later.userCode()), 200, client.name());
        assertThat(device.poll(client, later.deviceCode()).json()).containsEntry("error", "authorization_pending");
    }
}
