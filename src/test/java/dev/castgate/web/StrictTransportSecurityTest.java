package dev.castgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.RawHttp;
import dev.castgate.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Under an https issuer every answer tells browsers to use https only (HSTS, RFC 6797); under http none does. */
class StrictTransportSecurityTest {
    @CastgateServer("CASTGATE_ISSUER=https://login.castgate.test") static TestServer https;
    @CastgateServer static TestServer plain;

    private static final List<String> PATHS = List.of("/health/live", "/authorize", "/oauth2/redirect?code=x", "/no/such/page",
            "/.well-known/openid-configuration", "/api/users/self", "/static/castgate.css");

    @Test
    void anHttpsIssuerSendsHstsOnEveryAnswer() {
        for (String path : PATHS) {
            Http.Response r = Http.client().get(https.url(path));
            assertThat(r.headers("Strict-Transport-Security")).as(path).containsExactly("max-age=31536000");
        }
        Http.Response post = Http.client().postForm(https.url("/oauth2/token"), Http.form("grant_type", "client_credentials"));
        assertThat(post.status()).isEqualTo(401);
        assertThat(post.headers("Strict-Transport-Security")).containsExactly("max-age=31536000");
        assertThat(RawHttp.send(https.url(""), "HEAD", "/health/live", "").header("Strict-Transport-Security")).hasValue("max-age=31536000");
    }

    @Test
    void anHttpIssuerSendsNone() {
        for (String path : PATHS) {
            assertThat(Http.client().get(plain.url(path)).headers("Strict-Transport-Security")).as(path).isEmpty();
        }
    }
}
