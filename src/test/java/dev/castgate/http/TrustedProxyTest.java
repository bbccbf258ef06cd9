package dev.castgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.AuditEvent;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Behind a trusted proxy every throttle, rate limit and audit event counts by the forwarded client
 * address; from anyone else the forwarded headers are forged and count for nothing.
 */
class TrustedProxyTest {
    private static final String TRUSTED = "CASTGATE_HTTP_TRUSTED_PROXIES=127.0.0.1";
    private static final String THREE_PER_ADDRESS = "CASTGATE_LOGIN_MAX_FAILURES_PER_ADDRESS=3";
    private static final String WRONG = "the username or password is wrong";
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** A wrong password for a name no account has, so only the address limit can refuse it. */
    private static Http.Response guess(TestServer server, TestClient client, String... headers) {
        List<String> all = new ArrayList<>(List.of("Authorization", client.basic()));
        all.addAll(List.of(headers));
        return Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "password",
                "username", "nobody" + NAMES.incrementAndGet(), "password", "a wrong guess"), all.toArray(String[]::new));
    }

    private static String description(Http.Response response) {
        return String.valueOf(response.json().get("error_description"));
    }

    private static List<String> addressesOf(TestServer server, Instant since, AuditEvent.Type type) {
        return server.database().stores().audit().list(since, 1000).stream().filter(e -> e.type() == type)
                .map(e -> e.address().orElse("(none)")).toList();
    }

    @Test
    void aForgedForwardedForFromAnUntrustedPeerCountsAsThePeer(@CastgateServer(THREE_PER_ADDRESS) TestServer direct) {
        TestClient client = direct.client().allowPassword().create();
        Instant before = direct.clock().instant();
        for (int i = 1; i <= 3; i++) {
            assertThat(description(guess(direct, client, "X-Forwarded-For", "203.0.113." + i))).isEqualTo(WRONG);
        }
        assertThat(description(guess(direct, client, "X-Forwarded-For", "203.0.113.4", "Forwarded", "for=203.0.113.5")))
                .as("one address, whatever the headers say").startsWith("too many failed sign-ins");
        assertThat(addressesOf(direct, before, AuditEvent.Type.LOGIN)).containsExactly("127.0.0.1", "127.0.0.1", "127.0.0.1");
        assertThat(addressesOf(direct, before, AuditEvent.Type.LOGIN_THROTTLED)).containsExactly("127.0.0.1");
    }

    @Test
    void behindATrustedProxySignInsCountPerForwardedAddress(@CastgateServer({TRUSTED, THREE_PER_ADDRESS}) TestServer proxied) {
        TestClient client = proxied.client().allowPassword().create();
        Instant before = proxied.clock().instant();
        for (int i = 0; i < 3; i++) {
            assertThat(description(guess(proxied, client, "X-Forwarded-For", "203.0.113.1"))).isEqualTo(WRONG);
        }
        assertThat(description(guess(proxied, client, "X-Forwarded-For", "203.0.113.1"))).startsWith("too many failed sign-ins");
        assertThat(description(guess(proxied, client, "X-Forwarded-For", "203.0.113.2"))).as("another person").isEqualTo(WRONG);
        assertThat(description(guess(proxied, client, "Forwarded", "for=\"[2001:db8::17]:4711\""))).isEqualTo(WRONG);
        assertThat(description(guess(proxied, client))).as("the proxy itself").isEqualTo(WRONG);

        assertThat(addressesOf(proxied, before, AuditEvent.Type.LOGIN)).containsExactly("203.0.113.1", "203.0.113.1",
                "203.0.113.1", "203.0.113.2", "2001:db8:0:0:0:0:0:17", "127.0.0.1");
        assertThat(addressesOf(proxied, before, AuditEvent.Type.LOGIN_THROTTLED)).containsExactly("203.0.113.1");
    }

    @Test
    void theRightMostAddressThatIsNoTrustedProxyCountsAndAnUnreadableChainIsTheProxys(
            @CastgateServer("CASTGATE_HTTP_TRUSTED_PROXIES=127.0.0.1, 10.0.0.0/8") TestServer proxied) {
        TestClient client = proxied.client().allowPassword().create();
        Instant before = proxied.clock().instant();
        assertThat(description(guess(proxied, client, "X-Forwarded-For", "192.0.2.1, 198.51.100.7, 10.1.2.3"))).isEqualTo(WRONG);
        assertThat(description(guess(proxied, client, "X-Forwarded-For", "not an address"))).isEqualTo(WRONG);
        assertThat(description(guess(proxied, client, "Forwarded", "for=unknown"))).isEqualTo(WRONG);
        assertThat(description(guess(proxied, client, "X-Forwarded-For", "198.51.100.8,"))).isEqualTo(WRONG);
        assertThat(addressesOf(proxied, before, AuditEvent.Type.LOGIN))
                .containsExactly("198.51.100.7", "127.0.0.1", "127.0.0.1", "127.0.0.1");
    }

    @Test
    void theApiRateLimitIsPerForwardedAddress(
            @CastgateServer({TRUSTED, "CASTGATE_API_RATE_LIMIT_PER_ADDRESS=50"}) TestServer proxied,
            @CastgateServer("CASTGATE_API_RATE_LIMIT_PER_ADDRESS=50") TestServer direct) {
        assertThat(remaining(proxied, "198.51.100.1")).isEqualTo(49);
        assertThat(remaining(proxied, "198.51.100.1")).isEqualTo(48);
        assertThat(remaining(proxied, "198.51.100.2")).as("a bucket of its own").isEqualTo(49);

        int first = remaining(direct, "198.51.100.1");
        assertThat(remaining(direct, "198.51.100.2")).as("forged: the peer's bucket").isEqualTo(first - 1);
    }

    private static int remaining(TestServer server, String address) {
        Http.Response r = Http.client().get(server.url("/api/users/self"), "X-Forwarded-For", address);
        return Integer.parseInt(r.header("X-RateLimit-Remaining").orElseThrow(() -> new AssertionError(r.status() + " " + r.body())));
    }

    @Test
    void signUpsCountPerForwardedAddress(@CastgateServer({TRUSTED, "CASTGATE_LOGIN_MAX_FAILURES_PER_ADDRESS=1"}) TestServer proxied) {
        assertThat(signUp(proxied, "203.0.113.1").status()).isEqualTo(303);
        assertThat(signUp(proxied, "203.0.113.1").status()).isEqualTo(429);
        assertThat(signUp(proxied, "203.0.113.2").status()).as("another person").isEqualTo(303);
        assertThat(addressesOf(proxied, Instant.EPOCH, AuditEvent.Type.SIGN_UP))
                .containsExactly("203.0.113.1", "203.0.113.1", "203.0.113.2");
    }

    private static Http.Response signUp(TestServer server, String address) {
        Http browser = Http.browser();
        Http.Response page = browser.get(server.url("/signup"), "X-Forwarded-For", address);
        String username = "proxied" + NAMES.incrementAndGet();
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.putAll(Http.form("username", username, "email", username + "@example.com", "password", "long enough password"));
        return browser.postForm(server.url("/signup"), form, "X-Forwarded-For", address);
    }

    @Test
    void forwardedSchemeAndHostChangeNoUrlAndNoCookie(@CastgateServer(TRUSTED) TestServer proxied) {
        String[] forwarded = {"X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example", "X-Forwarded-For", "203.0.113.1",
                "Forwarded", "for=203.0.113.1;proto=https;host=evil.example"};
        Http.Response discovery = Http.client().get(proxied.url("/.well-known/openid-configuration"), forwarded);
        assertThat(discovery.json().get("issuer")).isEqualTo(proxied.issuer());
        assertThat(discovery.json().get("token_endpoint")).isEqualTo(proxied.url("/oauth2/token"));
        assertThat(discovery.body()).doesNotContain("evil.example");

        Http.Response page = Http.browser().get(proxied.url("/signup"), forwarded);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers("Set-Cookie")).isNotEmpty()
                .allSatisfy(cookie -> assertThat(cookie).doesNotContainIgnoringCase("secure").doesNotContain("__Host-"));
    }
}
