package dev.castgate.registration;

import static dev.castgate.registration.Registrations.assertInvalidToken;
import static dev.castgate.registration.Registrations.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.ClientId;
import dev.castgate.testing.AtOnce;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client configuration endpoint (RFC 7592): read, replace and delete with the registration access token. */
class ClientConfigurationEndpointTest {
    private static final String BAD_TOKEN = "the registration access token is invalid";

    @TempDir static Path dir;
    @CastgateServer("CASTGATE_REGISTRATION_MAX_REQUESTS_PER_ADDRESS=100000") static TestServer server;
    static Registrations registrations;

    @BeforeAll
    static void setUp() {
        registrations = new Registrations(server);
    }

    private static Map<String, Object> registerWebClient() {
        return registrations.registered("""
                {"client_name": "Config app", "redirect_uris": ["https://config.example/cb"],
                 "grant_types": ["authorization_code", "refresh_token", "client_credentials"], "scope": "openid email"}""");
    }

    private static Http.Response get(String uri, String token) {
        return Http.client().get(uri, "Authorization", "Bearer " + token);
    }

    private static Http.Response put(String uri, String token, String json) {
        return Http.client().send(HttpRequest.newBuilder(URI.create(uri)).PUT(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"), "Authorization", "Bearer " + token);
    }

    private static Http.Response delete(String uri, String token) {
        return Http.client().send(HttpRequest.newBuilder(URI.create(uri)).DELETE(), "Authorization", "Bearer " + token);
    }

    @Test
    void readReturnsTheRegistrationWithoutTheSecretOrTheToken() {
        Map<String, Object> registered = registerWebClient();
        Http.Response r = get((String) registered.get("registration_client_uri"), (String) registered.get("registration_access_token"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).contains("no-store");
        Map<String, Object> expected = new LinkedHashMap<>(registered);
        expected.remove("client_secret");
        expected.remove("registration_access_token");
        assertThat(r.json()).containsExactlyEntriesOf(expected);
    }

    @Test
    void replaceChangesTheMetadataTakesDefaultsAndRotatesTheToken() {
        Map<String, Object> registered = registerWebClient();
        String uri = (String) registered.get("registration_client_uri");
        String oldToken = (String) registered.get("registration_access_token");
        String clientId = (String) registered.get("client_id");

        Http.Response r = put(uri, oldToken, """
                {"client_id": "%s", "client_secret": "%s", "client_name": "Renamed", "redirect_uris": ["https://config.example/new"],
                 "token_endpoint_auth_method": "client_secret_post", "logo_uri": "https://config.example/logo.png"}"""
                .formatted(clientId, registered.get("client_secret")));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, Object> body = r.json();
        String newToken = (String) body.get("registration_access_token");
        assertThat(newToken).matches("[0-9a-f]{40}").isNotEqualTo(oldToken);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("client_id", clientId);
        expected.put("client_id_issued_at", registered.get("client_id_issued_at"));
        expected.put("client_secret_expires_at", 0);
        expected.put("registration_access_token", newToken);
        expected.put("registration_client_uri", uri);
        expected.put("client_name", "Renamed");
        expected.put("redirect_uris", List.of("https://config.example/new"));
        // Left out: the defaults, as at registration (RFC 7592 §2.2).
        expected.put("grant_types", List.of("authorization_code"));
        expected.put("response_types", List.of("code"));
        expected.put("scope", "broadcaster email openid profile");
        expected.put("token_endpoint_auth_method", "client_secret_post");
        expected.put("id_token_signed_response_alg", "RS256");
        expected.put("access_token_format", "opaque");
        expected.put("access_token_signing_alg", "ES256");
        expected.put("require_pushed_authorization_requests", false);
        expected.put("email_in_id_token", true);
        expected.put("require_signed_request_object", false);
        expected.put("post_logout_redirect_uris", List.of());
        expected.put("backchannel_logout_session_required", false);
        expected.put("dpop_bound_access_tokens", false);
        assertThat(body).containsExactlyEntriesOf(expected);

        assertInvalidToken(get(uri, oldToken), BAD_TOKEN);
        Http.Response read = get(uri, newToken);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).containsEntry("client_name", "Renamed").containsEntry("grant_types", List.of("authorization_code"));

        // The secret did not change, and the grants taken away are refused at once.
        Http.Response cc = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", (String) registered.get("client_secret")));
        assertThat(cc.status()).as(cc.body()).isEqualTo(400);
        assertThat(cc.json()).containsEntry("error", "unauthorized_client");
    }

    @Test
    void replaceRefusesWhatRfc7592Forbids() {
        Map<String, Object> registered = registerWebClient();
        String uri = (String) registered.get("registration_client_uri");
        String token = (String) registered.get("registration_access_token");
        String id = (String) registered.get("client_id");
        String grants = "\"grant_types\": [\"client_credentials\"]";
        assertRefused(put(uri, token, "{" + grants + "}"), "invalid_client_metadata", "client_id must be given and be this client's");
        assertRefused(put(uri, token, "{\"client_id\": \"" + "a".repeat(40) + "\", " + grants + "}"), "invalid_client_metadata",
                "client_id must be given and be this client's");
        for (String member : List.of("registration_access_token", "registration_client_uri", "client_id_issued_at", "client_secret_expires_at")) {
            assertRefused(put(uri, token, "{\"client_id\": \"" + id + "\", \"" + member + "\": \"x\", " + grants + "}"),
                    "invalid_client_metadata", member + " is issued by the server and must not be sent");
        }
        assertRefused(put(uri, token, "{\"client_id\": \"" + id + "\", \"client_secret\": \"wrong\", " + grants + "}"),
                "invalid_client_metadata", "client_secret does not match the client's secret");
        assertRefused(put(uri, token, "{\"client_id\": \"" + id + "\", \"token_endpoint_auth_method\": \"none\", "
                        + "\"redirect_uris\": [\"https://config.example/cb\"]}"), "invalid_client_metadata",
                "token_endpoint_auth_method cannot change between none and a secret; register a new client instead");
        assertRefused(put(uri, token, "{\"client_id\": \"" + id + "\", \"grant_types\": [\"password\"]}"),
                "invalid_client_metadata", "the password grant is allowed only by an operator");
        assertRefused(put(uri, token, "{\"client_id\": \"" + id + "\", \"redirect_uris\": [\"http://config.example/cb\"]}"),
                "invalid_redirect_uri", "redirect URI 'http://config.example/cb' must use https (http only for localhost and loopback addresses)");
        assertRefused(put(uri, token, "[]"), "invalid_request", "the request body must be a JSON object");
        // A refused replacement keeps the token.
        assertThat(get(uri, token).status()).isEqualTo(200);
    }

    @Test
    void twoReplacementsWithOneTokenOneWins() throws Exception {
        Map<String, Object> registered = registerWebClient();
        String uri = (String) registered.get("registration_client_uri");
        String token = (String) registered.get("registration_access_token");
        String body = "{\"client_id\": \"" + registered.get("client_id") + "\", \"grant_types\": [\"client_credentials\"]}";
        List<Integer> statuses = AtOnce.send(2, () -> put(uri, token, body).status());
        assertThat(statuses).containsExactlyInAnyOrder(200, 401);
    }

    @Test
    void deleteRemovesTheClientAndItsToken() {
        Map<String, Object> registered = registerWebClient();
        String uri = (String) registered.get("registration_client_uri");
        String token = (String) registered.get("registration_access_token");
        Http.Response r = delete(uri, token);
        assertThat(r.status()).as(r.body()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(server.database().stores().clients().find(new ClientId((String) registered.get("client_id")))).isEmpty();
        assertInvalidToken(get(uri, token), BAD_TOKEN);
        assertInvalidToken(delete(uri, token), BAD_TOKEN);
        // The removed client no longer authenticates.
        Http.Response cc = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials",
                "client_id", (String) registered.get("client_id"), "client_secret", (String) registered.get("client_secret")));
        assertThat(cc.status()).isEqualTo(401);
    }

    @Test
    void everyWrongTokenIsInvalidTokenAlike() {
        Map<String, Object> mine = registerWebClient();
        Map<String, Object> other = registerWebClient();
        String uri = (String) mine.get("registration_client_uri");
        String otherToken = (String) other.get("registration_access_token");
        assertInvalidToken(get(uri, otherToken), BAD_TOKEN);
        assertInvalidToken(get(uri, "0".repeat(40)), BAD_TOKEN);
        assertInvalidToken(get(server.url("/oauth2/register/" + "b".repeat(40)), otherToken), BAD_TOKEN);
        assertInvalidToken(get(server.url("/oauth2/register/unknown"), otherToken), BAD_TOKEN);
        assertInvalidToken(put(uri, otherToken, "{}"), BAD_TOKEN);
        assertInvalidToken(delete(uri, otherToken), BAD_TOKEN);
        assertInvalidToken(Http.client().get(uri), "a registration access token is required");
        assertInvalidToken(Http.client().get(uri, "Authorization", "Basic eDp5"), "the Authorization header is not a Bearer token");
        // An operator's client has no registration to read, whatever token is sent.
        String operators = server.client().create().id();
        assertInvalidToken(get(server.url("/oauth2/register/" + operators), otherToken), BAD_TOKEN);
        // The initial access token is not a registration access token.
        String initial = registrations.initialToken();
        assertInvalidToken(get(uri, initial), BAD_TOKEN);
    }

    @Test
    void aClientTheOperatorRemovesLosesItsRegistrationAccessToken() {
        Map<String, Object> registered = registerWebClient();
        Tool.Run removed = Tool.forServer(server, dir).run("client", "remove", (String) registered.get("client_id"));
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(server.database().stores().clientRegistrations().find(new ClientId((String) registered.get("client_id")))).isEmpty();
        assertInvalidToken(get((String) registered.get("registration_client_uri"), (String) registered.get("registration_access_token")),
                BAD_TOKEN);
    }

    @Test
    void updatesAndDeletionsAreAuditedAsSelfRegistration() {
        Instant since = server.clock().instant().minusSeconds(1);
        Map<String, Object> registered = registerWebClient();
        String uri = (String) registered.get("registration_client_uri");
        Http.Response updated = put(uri, (String) registered.get("registration_access_token"),
                "{\"client_id\": \"" + registered.get("client_id") + "\", \"client_name\": \"Audited\", \"grant_types\": [\"client_credentials\"], "
                        + "\"scope\": \"openid email\"}");
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(delete(uri, (String) updated.json().get("registration_access_token")).status()).isEqualTo(204);
        ClientId id = new ClientId((String) registered.get("client_id"));
        List<AuditEvent> events = server.database().stores().audit().list(since, 10_000).stream()
                .filter(e -> e.clientId().filter(id::equals).isPresent()).toList();
        assertThat(events).extracting(AuditEvent::type).containsExactly(AuditEvent.Type.CLIENT_CREATED, AuditEvent.Type.CLIENT_UPDATED,
                AuditEvent.Type.CLIENT_REMOVED);
        assertThat(events).extracting(e -> e.detail().orElse("")).containsExactly("web client 'Config app' (self-registration)",
                "changed name, redirect_uris, grant_types (self-registration)", "self-registration");
        assertThat(events).allSatisfy(e -> assertThat(e.address()).contains("127.0.0.1"));
    }
}
