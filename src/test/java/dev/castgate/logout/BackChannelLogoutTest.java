package dev.castgate.logout;

import static dev.castgate.logout.LogoutFlows.idToken;
import static dev.castgate.logout.LogoutFlows.logout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.castgate.admin.UserAdministration;
import dev.castgate.admin.UserAccounts;
import dev.castgate.audit.AuditTrail;
import dev.castgate.crypto.PasswordHasher;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.JwtClaims;
import dev.castgate.testing.Sql;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Back-Channel Logout 1.0: when a session ends, each client that had a grant in it and registered a
 * back-channel logout URI is posted a logout token, signed by a key of /oauth2/jwks, typed
 * logout+jwt, naming the person and the session; a client away is tried again later; a client
 * with no grant in that session hears nothing.
 */
class BackChannelLogoutTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @CastgateServer static TestServer server;

    private static void awaitPosts(LogoutReceiver receiver, int count) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> receiver.posts().size() >= count);
        assertThat(receiver.posts()).hasSize(count);
    }

    /** Waits until the worker has recorded {@code attempts} tries for the client and let go of its delivery. */
    private static void awaitRecorded(TestClient client, int attempts) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> Sql.count(server, "SELECT COUNT(*) FROM logout_deliveries "
                + "WHERE client_id = ? AND attempts = ? AND claimed_until IS NULL", client.id(), attempts) == 1);
    }

    /** The token's claims, after checking its type and its signature against the server's published keys. */
    private static JWTClaimsSet verified(String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("logout+jwt");
        JWKSet published = JWKSet.parse(Http.client().get(server.url("/oauth2/jwks")).body());
        RSAKey key = (RSAKey) published.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        return jwt.getJWTClaimsSet();
    }

    @Test
    void eachClientOfTheSessionGetsASignedLogoutTokenAndNoOtherClientDoes() throws Exception {
        User user = server.createUser();
        try (LogoutReceiver first = LogoutReceiver.start(); LogoutReceiver second = LogoutReceiver.start();
             LogoutReceiver elsewhere = LogoutReceiver.start()) {
            TestClient a = server.client().backchannelLogoutUri(first.url()).create();
            TestClient b = server.client().backchannelLogoutUri(second.url()).create();
            TestClient notInThisSession = server.client().backchannelLogoutUri(elsewhere.url()).create();
            TestClient noUri = server.client().create();
            Http browser = Http.browser();
            String hint = idToken(server, browser, a, user);
            idToken(server, browser, b, user);
            idToken(server, browser, noUri, user);
            idToken(server, Http.browser(), notInThisSession, user); // the same person, in another browser
            String sid = (String) JwtClaims.of(hint).get("sid");

            assertThat(logout(server, browser, "id_token_hint", hint).status()).isEqualTo(200);
            awaitPosts(first, 1);
            awaitPosts(second, 1);
            LogoutReceiver.Post post = first.posts().get(0);
            assertThat(post.contentType()).isEqualTo("application/x-www-form-urlencoded");
            JWTClaimsSet claims = verified(post.logoutToken());
            assertThat(claims.getIssuer()).isEqualTo(server.issuer());
            assertThat(claims.getAudience()).containsExactly(a.id());
            assertThat(claims.getSubject()).isEqualTo(user.id().value());
            assertThat(claims.getStringClaim("sid")).isEqualTo(sid);
            assertThat(claims.getJWTID()).matches("[0-9a-f]{40}");
            assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant())).isEqualTo(Duration.ofMinutes(2));
            assertThat(claims.getJSONObjectClaim("events")).isEqualTo(Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()));
            assertThat(claims.getClaims()).doesNotContainKey("nonce");
            assertThat(verified(second.posts().get(0).logoutToken()).getAudience()).containsExactly(b.id());

            assertThat(Sql.count(server, "SELECT COUNT(*) FROM logout_deliveries WHERE client_id IN (?, ?)", notInThisSession.id(), noUri.id()))
                    .as("no delivery for a client without a grant in the session, or without a URI").isZero();
            server.sendLogoutTokens();
            assertThat(elsewhere.posts()).isEmpty();
            assertThat(Sql.count(server, "SELECT COUNT(*) FROM audit_events WHERE event_type = 'BACKCHANNEL_LOGOUT' AND outcome = 'SUCCESS' "
                    + "AND user_id = ? AND client_id IN (?, ?)", user.id().value(), a.id(), b.id())).isEqualTo(2);
        }
    }

    @Test
    void aClientThatIsAwayIsTriedAgainLaterUntilItTakesTheToken() throws Exception {
        User user = server.createUser();
        try (LogoutReceiver away = LogoutReceiver.start(503, 503)) {
            TestClient client = server.client().backchannelLogoutUri(away.url()).create();
            Http browser = Http.browser();
            String hint = idToken(server, browser, client, user);
            logout(server, browser, "id_token_hint", hint);
            awaitPosts(away, 1);
            awaitRecorded(client, 1);
            server.sendLogoutTokens();
            assertThat(away.posts()).as("not again before its time").hasSize(1);

            server.clock().advance(Duration.ofSeconds(11)); // the first retry is 10 s after
            awaitPosts(away, 2);
            awaitRecorded(client, 2);
            server.clock().advance(Duration.ofSeconds(11));
            server.sendLogoutTokens();
            assertThat(away.posts()).as("the second waits twice as long").hasSize(2);
            server.clock().advance(Duration.ofSeconds(10));
            awaitPosts(away, 3);
            List<String> tokens = away.posts().stream().map(LogoutReceiver.Post::logoutToken).toList();
            assertThat(tokens).doesNotHaveDuplicates(); // each attempt gets a fresh token
            assertThat(verified(tokens.get(2)).getStringClaim("sid")).isEqualTo(JwtClaims.of(hint).get("sid"));
            awaitRecorded(client, 3);
            assertThat(Sql.count(server, "SELECT COUNT(*) FROM logout_deliveries WHERE client_id = ? AND outcome = 'sent'", client.id())).isEqualTo(1);
        }
    }

    @Test
    void aClientThatRefusesTheTokenIsGivenUpAtOnce() {
        User user = server.createUser();
        try (LogoutReceiver refusing = LogoutReceiver.start(400)) {
            TestClient client = server.client().backchannelLogoutUri(refusing.url()).create();
            Http browser = Http.browser();
            logout(server, browser, "id_token_hint", idToken(server, browser, client, user));
            awaitPosts(refusing, 1);
            await().atMost(WAIT).until(() -> Sql.count(server, "SELECT COUNT(*) FROM audit_events WHERE event_type = 'BACKCHANNEL_LOGOUT' "
                    + "AND outcome = 'FAILURE' AND client_id = ? AND detail = ?", client.id(), "the client answered 400 (attempt 1)") == 1);
            server.clock().advance(Duration.ofMinutes(1));
            server.sendLogoutTokens();
            assertThat(refusing.posts()).hasSize(1);
        }
    }

    @Test
    void theAccountPagesSignOutAndDisablingTheAccountTellTheClientsToo() {
        User user = server.createUser();
        try (LogoutReceiver receiver = LogoutReceiver.start()) {
            TestClient client = server.client().backchannelLogoutUri(receiver.url()).create();
            Http browser = Http.browser();
            String first = (String) JwtClaims.of(idToken(server, browser, client, user)).get("sid");
            Http.Response account = browser.get(server.url("/account"));
            Http.Response out = browser.postForm(server.url("/logout"), Http.form("csrf_token", Accounts.csrf(account)));
            assertThat(out.status()).isEqualTo(200);
            awaitPosts(receiver, 1);
            assertThat(JwtClaims.of(receiver.posts().get(0).logoutToken())).containsEntry("sid", first);

            // An operator disables the account while it is signed in, from the command line's services.
            Http other = Http.browser();
            String second = (String) JwtClaims.of(idToken(server, other, client, user)).get("sid");
            RandomTokens random = RandomTokens.secure();
            new UserAdministration(server.database(), server.database().stores(),
                    new UserAccounts(server.database().stores(), PasswordHasher.forFixtures(random), random, server.clock()),
                    new AuditTrail(random, server.clock())).disable(user.username());
            awaitPosts(receiver, 2);
            assertThat(JwtClaims.of(receiver.posts().get(1).logoutToken())).containsEntry("sid", second).containsEntry("sub", user.id().value());
        }
    }
}
