package dev.castgate.device;

import static dev.castgate.token.TokenRequests.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.GrantType;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Chromium;
import dev.castgate.testing.HeadlessChromium;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The device flow end to end: the test is the device, asking for codes and polling the token
 * endpoint over HTTP; a person in Chromium opens the verification address, signs in, checks the
 * code, and allows or denies. Fields are found by their labels, buttons by their text.
 */
class DeviceChromiumTest {
    @CastgateServer static TestServer server;
    @HeadlessChromium static Chromium chromium;
    static DeviceRequests device;

    @BeforeAll
    static void setUp() {
        device = new DeviceRequests(server);
    }

    /** Polls as a well-behaved device: waits the interval (on the server's clock) before each request, at most {@code polls} times. */
    private static Http.Response pollUntilDecided(TestClient client, String deviceCode, int polls) {
        Http.Response last = null;
        for (int i = 0; i < polls; i++) {
            server.clock().advance(Duration.ofSeconds(5));
            last = device.poll(client, deviceCode);
            if (!"authorization_pending".equals(last.json().get("error"))) return last;
        }
        return last;
    }

    @Test
    void aPersonAllowsATvFromTheirBrowserWhileTheTvPolls() {
        TestClient client = server.client().grants(GrantType.DEVICE_CODE, GrantType.REFRESH_TOKEN).create();
        User user = server.createUser();
        Http.Response started = device.authorize(client, Http.form("scope", "openid broadcaster", "device_name", "Living room TV"));
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        Map<String, Object> codes = started.json();
        String deviceCode = (String) codes.get("device_code");
        String userCode = (String) codes.get("user_code");

        assertBadRequest(device.poll(client, deviceCode), "authorization_pending", "the user has not yet decided");

        // The person scans the QR code: verification_uri_complete, not yet signed in.
        chromium.open((String) codes.get("verification_uri_complete"));
        assertThat(chromium.title()).isEqualTo("Sign in · Castgate");
        chromium.type("Username or email", user.username());
        chromium.type("Password", TestServer.PASSWORD);
        chromium.click("Sign in");

        assertThat(chromium.title()).isEqualTo("Connect a device · Castgate");
        assertThat(chromium.fieldLabelled("Code").getDomProperty("value")).isEqualTo(userCode);
        assertBadRequest(pollUntilDecided(client, deviceCode, 1), "authorization_pending", "the user has not yet decided");
        chromium.click("Continue");

        assertThat(chromium.title()).isEqualTo("Allow the device · Castgate");
        assertThat(chromium.text()).contains(client.name() + " wants to act for you, Test " + user.username() + ".")
                .contains("Device: Living room TV").contains("Code: " + userCode)
                .contains("See your profile, channels and videos").contains("Confirm who you are when you sign in")
                .contains("and broadcast live to your channels: ingest settings, streaming keys and device passwords");
        chromium.click("Allow");

        assertThat(chromium.text()).contains("Device connected").contains(client.name() + " can now use your account.");
        Http.Response tokens = pollUntilDecided(client, deviceCode, 3);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.json()).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token", "scope", "id_token")
                .containsEntry("scope", "broadcaster openid").containsEntry("token_type", "bearer");
        server.clock().advance(Duration.ofSeconds(5));
        assertBadRequest(device.poll(client, deviceCode), "invalid_grant",
                "the device code is invalid, was already used or was issued to another client");

        // The TV is listed among the connected devices.
        chromium.open(server.url("/account"));
        assertThat(chromium.text()).contains(client.name()).contains("Living room TV");
    }

    @Test
    void aPersonTypesTheCodeInLowerCaseAndDeniesInHungarian() {
        TestClient client = server.client().nativeApp().grants(GrantType.DEVICE_CODE).create();
        User user = server.createUser();
        DeviceRequests.Codes codes = device.start(client, "broadcaster", "Encoder");

        chromium.open(server.url("/device?lang=hu_HU"));
        assertThat(chromium.htmlLang()).isEqualTo("hu-HU");
        chromium.type("Felhasználónév vagy e-mail-cím", user.username());
        chromium.type("Jelszó", TestServer.PASSWORD);
        chromium.click("Bejelentkezés");

        assertThat(chromium.htmlLang()).isEqualTo("hu-HU");
        chromium.type("Kód", codes.userCode().replace("-", "").toLowerCase());
        chromium.click("Tovább");
        assertThat(chromium.text()).contains("Engedélyezi ezt az eszközt?").contains(codes.userCode());
        chromium.click("Elutasítás");
        assertThat(chromium.text()).contains("Az eszköz nincs csatlakoztatva");

        assertBadRequest(pollUntilDecided(client, codes.deviceCode(), 2), "access_denied", "the user denied the request");
    }
}
