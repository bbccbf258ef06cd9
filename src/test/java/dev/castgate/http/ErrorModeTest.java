package dev.castgate.http;

import static dev.castgate.token.TokenRequests.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.config.ConfigException;
import dev.castgate.config.ConfigLoader;
import dev.castgate.error.ErrorMode;
import dev.castgate.error.OAuthError;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.token.TokenRequests;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The errors setting: standard statuses by default, the original service's with errors=ibm,
 * decided in one place (OAuthError and OAuthErrorHandler) for every endpoint.
 */
class ErrorModeTest {
    private static final String AUTH_FAILED = "client authentication failed";

    @Test
    void standardModeFollowsTheRfcs(@CastgateServer TestServer server) {
        TokenRequests token = new TokenRequests(server);
        TestClient client = server.client().create();
        Http.Response invalidClient = token.post(Http.form("grant_type", "client_credentials", "client_id", client.id()),
                "Authorization", "Basic " + "0".repeat(40));
        assertError(invalidClient, 401, "invalid_client", AUTH_FAILED);
        assertThat(invalidClient.headers("WWW-Authenticate")).containsExactly("Basic realm=\"castgate\"");
        assertError(token.post(client, Http.form("grant_type", "urn:example:magic")), 400, "unsupported_grant_type",
                "grant_type urn:example:magic is not supported");
        assertError(token.post(client, Http.form("grant_type", "authorization_code", "code", "0".repeat(40))), 400,
                "invalid_grant", "the authorization code is invalid, expired or was issued to another client");

        // A fault (here: the database gone) is a 500 with a fixed description.
        server.database().close();
        assertError(token.post(client, Http.form("grant_type", "client_credentials")), 500, "server_error",
                "the server could not finish the request");
    }

    @Test
    void ibmModeUsesTheOriginalsStatuses(@CastgateServer("CASTGATE_ERRORS=ibm") TestServer server) {
        TokenRequests token = new TokenRequests(server);
        TestClient client = server.client().create();

        Http.Response invalidClient = token.post(Http.form("grant_type", "client_credentials", "client_id", client.id()),
                "Authorization", "Basic " + "0".repeat(40));
        assertError(invalidClient, 400, "invalid_client", AUTH_FAILED);
        assertThat(invalidClient.headers("WWW-Authenticate")).isEmpty();
        // At revocation too: one rule for every endpoint.
        Http.Response revoke = Http.client().postForm(server.url("/oauth2/token/revoke"),
                Http.form("token", "x", "client_id", client.id()), "Authorization", "Basic " + "1".repeat(40));
        assertError(revoke, 400, "invalid_client", AUTH_FAILED);
        assertThat(revoke.headers("WWW-Authenticate")).isEmpty();

        assertError(token.post(client, Http.form("grant_type", "urn:example:magic")), 501, "unsupported_grant_type",
                "grant_type urn:example:magic is not supported");
        assertError(token.post(client, Http.form("grant_type", "authorization_code", "code", "0".repeat(40))), 400,
                "invalid_grant", "the authorization code is invalid, expired or was issued to another client");
        assertError(token.post(client, Http.form("grant_type", "authorization_code")), 400, "invalid_request",
                "parameter code is missing");
        // Bearer token errors keep their 401 and challenge: the original's API answered 401 invalid_token too.
        Http.Response userinfo = Http.client().get(server.url("/oauth2/userinfo"), "Authorization", "Bearer " + "0".repeat(40));
        assertThat(userinfo.status()).isEqualTo(401);
        assertThat(userinfo.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("invalid_token"));

        server.database().close();
        assertError(token.post(client, Http.form("grant_type", "client_credentials")), 503, "server_error",
                "the server could not finish the request");
    }

    @Test
    void theStatusTable() {
        assertThat(OAuthError.INVALID_CLIENT.httpStatus(ErrorMode.STANDARD)).isEqualTo(401);
        assertThat(OAuthError.INVALID_CLIENT.httpStatus(ErrorMode.IBM)).isEqualTo(400);
        assertThat(OAuthError.UNSUPPORTED_GRANT_TYPE.httpStatus(ErrorMode.STANDARD)).isEqualTo(400);
        assertThat(OAuthError.UNSUPPORTED_GRANT_TYPE.httpStatus(ErrorMode.IBM)).isEqualTo(501);
        assertThat(OAuthError.SERVER_ERROR.httpStatus(ErrorMode.STANDARD)).isEqualTo(500);
        assertThat(OAuthError.SERVER_ERROR.httpStatus(ErrorMode.IBM)).isEqualTo(503);
        for (OAuthError error : OAuthError.values()) {
            if (error != OAuthError.INVALID_CLIENT && error != OAuthError.UNSUPPORTED_GRANT_TYPE && error != OAuthError.SERVER_ERROR) {
                assertThat(error.httpStatus(ErrorMode.IBM)).as(error.code()).isEqualTo(error.httpStatus(ErrorMode.STANDARD));
            }
        }
    }

    @Test
    void theSettingIsReadAndChecked() {
        assertThat(ConfigLoader.load(Map.of(), Optional.empty()).errors()).isEqualTo(ErrorMode.STANDARD);
        assertThat(ConfigLoader.load(Map.of("CASTGATE_ERRORS", "ibm"), Optional.empty()).errors()).isEqualTo(ErrorMode.IBM);
        assertThat(ConfigLoader.load(Map.of("CASTGATE_ERRORS", "IBM"), Optional.empty()).errors()).isEqualTo(ErrorMode.IBM);
        Assertions.assertThatThrownBy(() -> ConfigLoader.load(Map.of("CASTGATE_ERRORS", "rfc"), Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly("errors must be standard or ibm, not 'rfc'"));
    }
}
