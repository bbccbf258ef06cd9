package dev.castgate.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.ClientType;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.Scope;
import dev.castgate.domain.TokenHash;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Exact redirect URI matching (RFC 9700 §4.1.3), with the loopback port exception for native apps (RFC 8252 §7.3). */
class RedirectUriMatcherTest {
    private static Client client(ClientType type, String... redirectUris) {
        return client(type, Client.Legacy.NONE, redirectUris);
    }

    private static Client client(ClientType type, Client.Legacy legacy, String... redirectUris) {
        return new Client(new ClientId("c".repeat(40)), "Test", type, type == ClientType.WEB ? Optional.of(new TokenHash("0".repeat(64))) : Optional.empty(),
                List.of(redirectUris), Set.of(GrantType.AUTHORIZATION_CODE), Scope.of("openid"), Optional.empty(),
                Optional.empty(), SigningAlgorithm.RS256, AccessTokenFormat.OPAQUE, SigningAlgorithm.ES256, Duration.ZERO, legacy, false, false, false, true, Instant.EPOCH);
    }

    private static Client web(String... uris) { return client(ClientType.WEB, uris); }

    private static Client nativeApp(String... uris) { return client(ClientType.NATIVE, uris); }

    @Test
    void exactMatchOfAnyRegisteredUri() {
        Client c = web("https://app.example/one", "https://app.example/two?x=1");
        assertThat(RedirectUriMatcher.match(c, "https://app.example/one")).contains("https://app.example/one");
        assertThat(RedirectUriMatcher.match(c, "https://app.example/two?x=1")).contains("https://app.example/two?x=1");
    }

    @Test
    void noPrefixMatch() {
        Client c = web("https://app.example/callback");
        assertThat(RedirectUriMatcher.match(c, "https://app.example/callback/evil")).isEmpty();
        assertThat(RedirectUriMatcher.match(c, "https://app.example/callbackevil")).isEmpty();
        assertThat(RedirectUriMatcher.match(c, "https://app.example/callback?next=https://evil.example")).isEmpty();
        assertThat(RedirectUriMatcher.match(c, "https://app.example/callback#x")).isEmpty();
        assertThat(RedirectUriMatcher.match(c, "https://app.example.evil.example/callback")).isEmpty();
        assertThat(RedirectUriMatcher.match(c, "https://app.example/")).isEmpty();
    }

    @Test
    void trailingSlashMakesADifferentUri() {
        assertThat(RedirectUriMatcher.match(web("https://app.example/callback"), "https://app.example/callback/")).isEmpty();
        assertThat(RedirectUriMatcher.match(web("https://app.example/callback/"), "https://app.example/callback")).isEmpty();
        assertThat(RedirectUriMatcher.match(web("https://app.example"), "https://app.example/")).isEmpty();
    }

    @Test
    void comparisonIsOfTheExactString() {
        Client c = web("https://app.example/callback");
        assertThat(RedirectUriMatcher.match(c, "HTTPS://app.example/callback")).isEmpty();
        assertThat(RedirectUriMatcher.match(c, "https://APP.example/callback")).isEmpty();
        assertThat(RedirectUriMatcher.match(c, "https://app.example:443/callback")).isEmpty();
        assertThat(RedirectUriMatcher.match(c, "https://app.example/%63allback")).isEmpty();
        assertThat(RedirectUriMatcher.match(c, "")).isEmpty();
    }

    @Test
    void nativeLoopbackIpv4MayUseAnyPort() {
        Client c = nativeApp("http://127.0.0.1/callback");
        assertThat(RedirectUriMatcher.match(c, "http://127.0.0.1:51234/callback")).contains("http://127.0.0.1:51234/callback");
        assertThat(RedirectUriMatcher.match(c, "http://127.0.0.1/callback")).contains("http://127.0.0.1/callback");
        Client withPort = nativeApp("http://127.0.0.1:8000/callback");
        assertThat(RedirectUriMatcher.match(withPort, "http://127.0.0.1:9000/callback")).contains("http://127.0.0.1:9000/callback");
    }

    @Test
    void nativeLoopbackIpv6MayUseAnyPort() {
        Client c = nativeApp("http://[::1]:8000/callback");
        assertThat(RedirectUriMatcher.match(c, "http://[::1]:61000/callback")).contains("http://[::1]:61000/callback");
        assertThat(RedirectUriMatcher.match(c, "http://[::1]/callback")).contains("http://[::1]/callback");
    }

    @Test
    void portVariationKeepsEverythingElseExact() {
        Client c = nativeApp("http://127.0.0.1:8000/callback?app=1");
        assertThat(RedirectUriMatcher.match(c, "http://127.0.0.1:9000/callback?app=1")).isPresent();
        assertThat(RedirectUriMatcher.match(c, "http://127.0.0.1:9000/callback")).as("query dropped").isEmpty();
        assertThat(RedirectUriMatcher.match(c, "http://127.0.0.1:9000/callback?app=2")).as("other query").isEmpty();
        assertThat(RedirectUriMatcher.match(c, "http://127.0.0.1:9000/callback/?app=1")).as("trailing slash").isEmpty();
        assertThat(RedirectUriMatcher.match(c, "http://127.0.0.1:9000/other?app=1")).as("other path").isEmpty();
        assertThat(RedirectUriMatcher.match(c, "http://127.0.0.1:9000/callback?app=1#f")).as("fragment").isEmpty();
        assertThat(RedirectUriMatcher.match(c, "http://user@127.0.0.1:9000/callback?app=1")).as("user info").isEmpty();
        assertThat(RedirectUriMatcher.match(c, "https://127.0.0.1:9000/callback?app=1")).as("https is another scheme").isEmpty();
        assertThat(RedirectUriMatcher.match(c, "http://[::1]:9000/callback?app=1")).as("another loopback address").isEmpty();
        assertThat(RedirectUriMatcher.match(c, "http://127.0.0.2:9000/callback?app=1")).as("another host").isEmpty();
    }

    @Test
    void localhostByNameGetsNoPortVariation() {
        Client c = nativeApp("http://localhost:8000/callback");
        assertThat(RedirectUriMatcher.match(c, "http://localhost:8000/callback")).isPresent();
        assertThat(RedirectUriMatcher.match(c, "http://localhost:9000/callback")).isEmpty();
        assertThat(RedirectUriMatcher.match(nativeApp("http://localhost/callback"), "http://localhost:9000/callback")).isEmpty();
    }

    @Test
    void webClientsGetNoPortVariation() {
        Client c = web("http://127.0.0.1:8000/callback", "http://[::1]:8000/callback");
        assertThat(RedirectUriMatcher.match(c, "http://127.0.0.1:8000/callback")).isPresent();
        assertThat(RedirectUriMatcher.match(c, "http://127.0.0.1:9000/callback")).isEmpty();
        assertThat(RedirectUriMatcher.match(c, "http://[::1]:9000/callback")).isEmpty();
    }

    @Test
    void privateUseSchemesOfNativeAppsMatchExactly() {
        Client c = nativeApp("com.example.app:/callback");
        assertThat(RedirectUriMatcher.match(c, "com.example.app:/callback")).isPresent();
        assertThat(RedirectUriMatcher.match(c, "com.example.app:/callback/x")).isEmpty();
        assertThat(RedirectUriMatcher.match(c, "com.example.evil:/callback")).isEmpty();
    }

    @Test
    void malformedRequestedUriIsNoMatch() {
        Client c = nativeApp("http://127.0.0.1/callback");
        assertThat(RedirectUriMatcher.match(c, "http://127.0.0.1:9000/call back")).isEmpty();
        assertThat(RedirectUriMatcher.match(c, "http://127.0.0.1:notaport/callback")).isEmpty();
    }

    @Test
    void prefixMatchingOnlyForFlaggedClients() {
        Client.Legacy prefix = new Client.Legacy(false, false, true, false);
        Client flagged = client(ClientType.WEB, prefix, "http://localhost:8000/");
        assertThat(RedirectUriMatcher.match(flagged, "http://localhost:8000/getaccesstoken/")).contains("http://localhost:8000/getaccesstoken/");
        assertThat(RedirectUriMatcher.match(flagged, "http://localhost:8000/?a=1")).isPresent();
        assertThat(RedirectUriMatcher.match(web("http://localhost:8000/"), "http://localhost:8000/getaccesstoken/")).isEmpty();
    }

    @Test
    void prefixMatchingNeverLeavesTheRegisteredOriginOrPath() {
        assertThat(RedirectUriMatcher.prefixMatch("https://app.example", "https://app.example.evil/cb")).isFalse();
        assertThat(RedirectUriMatcher.prefixMatch("https://app.example", "https://app.example@evil/cb")).isFalse();
        assertThat(RedirectUriMatcher.prefixMatch("https://app.example", "https://app.example:8443/cb")).isFalse();
        assertThat(RedirectUriMatcher.prefixMatch("https://app.example/cb", "https://app.example/cb/../../admin")).isFalse();
        assertThat(RedirectUriMatcher.prefixMatch("https://app.example/cb", "https://app.example/cb/%2E%2E/admin")).isFalse();
        assertThat(RedirectUriMatcher.prefixMatch("https://app.example/cb", "https://app.example/cb#x")).isFalse();
        assertThat(RedirectUriMatcher.prefixMatch("https://app.example/cb", "https://app.example/cb x")).isFalse();
        assertThat(RedirectUriMatcher.prefixMatch("https://app.example/cb", "https://APP.example/cb")).isFalse();
        assertThat(RedirectUriMatcher.prefixMatch("https://app.example", "https://app.example/cb")).isTrue();
        assertThat(RedirectUriMatcher.prefixMatch("https://app.example/cb", "https://app.example/cb/x?y=1")).isTrue();
        // A sibling path is not an extension: the registered path is matched by whole segments.
        assertThat(RedirectUriMatcher.prefixMatch("https://app.example/cb", "https://app.example/cb2/x?y=1")).isFalse();
    }
}
