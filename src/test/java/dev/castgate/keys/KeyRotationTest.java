package dev.castgate.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.castgate.api.ApiCalls;
import dev.castgate.audit.AuditTrail;
import dev.castgate.config.ServerConfig.SigningKeysConfig;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.SigningKey;
import dev.castgate.domain.User;
import dev.castgate.testing.AtOnce;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.ServerProcess;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing-key rotation (README, Signing keys): a rotated key is published at once and signs after
 * the activation delay; the key it replaces keeps verifying until every token it signed has
 * expired, then housekeeping retires it; an operator may retire a key at once, and its tokens are
 * refused; automatic rotation; and nodes agree through the database. The command line works on a
 * running server's database, as an operator's would. The in-process server's clock is moved, not
 * waited for; its background reread of the rows runs on real time.
 */
class KeyRotationTest {
    private static final String NL = System.lineSeparator();
    private static final String REREAD = "CASTGATE_KEYS_REREAD_INTERVAL=1s";
    private static final Pattern ADDED = Pattern.compile("added (RS256|ES256) signing key (\\S+): published now, signs from (\\S+)");

    @TempDir Path dir;

    /** A password grant's JWT access token and the kids of it and of its ID token. */
    record Tokens(String accessToken, String accessKid, String idKid) {}

    @Test
    void aRotatedKeyIsPublishedAtOnceSignsAfterTheDelayAndTheOldOneRetiresOnceItsTokensHaveExpired(
            @CastgateServer({REREAD, "CASTGATE_KEYS_ACTIVATION_DELAY=2s", "CASTGATE_TOKENS_ACCESS_TOKEN_TTL=600s"}) TestServer server)
            throws Exception {
        Tool tool = Tool.forServer(server, dir);
        User user = server.createUser();
        TestClient client = server.client().allowPassword().accessTokenFormat(AccessTokenFormat.JWT).create();
        Tokens before = tokens(server, client, user);
        List<String> original = kids(server::url);
        assertThat(original).containsExactlyInAnyOrder(before.idKid(), before.accessKid());

        Tool.Run listed = tool.run("keys", "list");
        assertThat(listed.exit()).as(listed.err()).isZero();
        List<String> lines = listed.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("KID {42}ALG {4}STATE {5}CREATED {15}ACTIVATES {13}RETIRED");
        String time = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
        assertThat(lines.subList(1, 3)).extracting(line -> line.substring(0, 43))
                .containsExactlyInAnyOrder(before.idKid(), before.accessKid());
        for (String line : lines.subList(1, 3)) {
            String kid = line.startsWith(before.idKid()) ? before.idKid() : before.accessKid();
            String alg = kid.equals(before.idKid()) ? "RS256" : "ES256";
            assertThat(line).matches(Pattern.quote(kid) + " {2}" + alg + " {2}active {4}" + time + " {2}" + time + " {2}-");
        }

        Tool.Run rotated = tool.run("keys", "rotate");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(rotated.err()).isEmpty();
        Map<String, String> added = added(rotated);
        assertThat(added).containsOnlyKeys("RS256", "ES256");
        assertThat(rotated.out()).endsWith("running servers publish them within keys.reread_interval (1s); the keys they replace stay "
                + "published until every token they signed has expired" + NL);
        List<String> all = new ArrayList<>(original);
        all.addAll(added.values());
        // The running server publishes both new keys beside the old ones within its reread interval.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(kids(server::url)).containsExactlyInAnyOrderElementsOf(all));
        // Published, not signing: the server's clock has not reached their activation.
        Tokens meanwhile = tokens(server, client, user);
        assertThat(List.of(meanwhile.idKid(), meanwhile.accessKid())).containsExactly(before.idKid(), before.accessKid());
        Map<String, Map<String, Object>> keys = listJson(tool);
        assertThat(keys.get(added.get("RS256"))).containsEntry("alg", "RS256").doesNotContainKey("retired_at");

        // At their activation time every node signs with the new keys; the rows say when.
        Instant activation = Instant.parse((String) keys.get(added.get("ES256")).get("activates_at"));
        assertThat(keys.get(added.get("RS256")).get("activates_at")).isNotNull();
        server.clock().advance(Duration.between(server.clock().instant(), activation));
        Tokens after = tokens(server, client, user);
        assertThat(after.idKid()).isEqualTo(added.get("RS256"));
        assertThat(after.accessKid()).isEqualTo(added.get("ES256"));

        // The old key's tokens still work wherever Castgate takes its own tokens, and its key stays published.
        assertThat(userinfo(server, before.accessToken()).status()).isEqualTo(200);
        assertThat(userinfo(server, before.accessToken()).json()).containsEntry("sub", user.id().value());
        assertThat(introspect(server, client, before.accessToken()).json()).containsEntry("active", true);
        assertThat(new ApiCalls(server).get("/users/self", before.accessToken()).status()).isEqualTo(200);
        assertThat(kids(server::url)).containsExactlyInAnyOrderElementsOf(all);
        // The command line reads the states by the real clock, which reaches the activation two seconds after the rotation.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(states(tool)).isEqualTo(Map.of(
                before.idKid(), "retiring", before.accessKid(), "retiring", added.get("RS256"), "active", added.get("ES256"), "active")));

        // Retired once every token the old keys signed has expired: the longest lived are ID tokens (an hour; access tokens
        // live 600s here), and a reread interval more for the nodes that saw the new keys last.
        server.clock().advance(Duration.ofHours(1));
        server.sweep();
        assertThat(kids(server::url)).containsExactlyInAnyOrderElementsOf(all);
        server.clock().advance(Duration.ofSeconds(1));
        server.sweep();
        assertThat(kids(server::url)).containsExactlyInAnyOrderElementsOf(added.values());
        Instant retiredAt = server.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        keys = listJson(tool);
        for (String old : original) {
            assertThat(keys.get(old)).containsEntry("state", "retired").containsEntry("retired_at", retiredAt.toString());
        }
        assertThat(states(tool)).containsEntry(added.get("RS256"), "active").containsEntry(added.get("ES256"), "active");
        // The retired keys' material is gone; the rows stay as the record.
        Map<String, String> stored = jwks(server);
        for (String old : original) assertThat(stored.get(old)).isEmpty();
        for (String kid : added.values()) assertThat(stored.get(kid)).startsWith("v1:");
        // And the next sweep finds nothing more to do.
        server.sweep();
        assertThat(kids(server::url)).containsExactlyInAnyOrderElementsOf(added.values());

        assertThat(details(server, AuditEvent.Type.SIGNING_KEY_ROTATED)).containsExactlyInAnyOrder(
                "RS256 key " + added.get("RS256") + " added by an operator; it signs from " + activation(keys, added.get("RS256")),
                "ES256 key " + added.get("ES256") + " added by an operator; it signs from " + activation);
        assertThat(details(server, AuditEvent.Type.SIGNING_KEY_RETIRED)).containsExactlyInAnyOrder(
                "RS256 key " + before.idKid() + " retired by housekeeping: every token it signed has expired",
                "ES256 key " + before.accessKid() + " retired by housekeeping: every token it signed has expired");
    }

    @Test
    void anOperatorRetiresAKeyAtOnceAndItsTokensAreRefusedButNeverTheOnlyKeyThatSigns(
            @CastgateServer({REREAD, "CASTGATE_KEYS_ACTIVATION_DELAY=1h"}) TestServer server) throws Exception {
        Tool tool = Tool.forServer(server, dir);
        User user = server.createUser();
        TestClient client = server.client().allowPassword().accessTokenFormat(AccessTokenFormat.JWT).create();
        Tokens before = tokens(server, client, user);
        List<String> original = kids(server::url);

        assertThat(tool.run("keys", "retire", before.accessKid())).isEqualTo(new Tool.Run(1, "", "castgate: signing key "
                + before.accessKid() + " is the only key that signs ES256 tokens: run 'castgate keys rotate --alg ES256' first, then "
                + "retire it, and the new key signs at once" + NL));
        assertThat(tool.run("keys", "retire", "no-such-kid")).isEqualTo(new Tool.Run(1, "",
                "castgate: no signing key no-such-kid: 'castgate keys list' shows them" + NL));
        // A kid is base64url and may begin with '-': it is taken as the kid, not as an option.
        assertThat(tool.run("keys", "retire", "-no-such-kid")).isEqualTo(new Tool.Run(1, "",
                "castgate: no signing key -no-such-kid: 'castgate keys list' shows them" + NL));
        assertThat(tool.run("keys", "rotate", "--alg", "HS256")).isEqualTo(new Tool.Run(1, "",
                "castgate: --alg must be ES256, RS256 or all, not 'HS256'" + NL));
        assertThat(listJson(tool)).hasSize(2);
        assertThat(userinfo(server, before.accessToken()).status()).isEqualTo(200);

        // The compromise procedure: a new key first, then the old one retired; the new one signs at once.
        Tool.Run rotated = tool.run("keys", "rotate", "--alg", "ES256");
        Map<String, String> added = added(rotated);
        assertThat(added).containsOnlyKeys("ES256");
        String successor = added.get("ES256");
        assertThat(rotated.out()).endsWith("running servers publish it within keys.reread_interval (1s); the keys they replace stay "
                + "published until every token they signed has expired" + NL);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(kids(server::url)).hasSize(3).contains(successor));
        assertThat(states(tool)).isEqualTo(Map.of(before.idKid(), "active", before.accessKid(), "active", successor, "pending"));

        assertThat(tool.run("keys", "retire", before.accessKid())).isEqualTo(new Tool.Run(0, "retired ES256 signing key "
                + before.accessKid() + ": no longer published, its key material deleted, and tokens it signed are refused" + NL
                + successor + " signs ES256 tokens in its place from now" + NL
                + "running servers stop publishing it within keys.reread_interval (1s)" + NL, ""));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(kids(server::url))
                .containsExactlyInAnyOrder(before.idKid(), successor));

        // Its tokens are refused everywhere Castgate takes them, as relying parties refuse them without the key.
        Http.Response refused = userinfo(server, before.accessToken());
        ApiCalls.assertInvalidToken(refused, ApiCalls.INVALID);
        assertThat(introspect(server, client, before.accessToken()).json()).isEqualTo(Map.of("active", false));
        ApiCalls.assertInvalidToken(new ApiCalls(server).get("/users/self", before.accessToken()), ApiCalls.INVALID);
        // The successor signs now, although this server's clock has not reached the hour's activation delay; the RS256 key is untouched.
        Tokens after = tokens(server, client, user);
        assertThat(after.accessKid()).isEqualTo(successor);
        assertThat(after.idKid()).isEqualTo(before.idKid());
        assertThat(userinfo(server, after.accessToken()).status()).isEqualTo(200);

        Map<String, Map<String, Object>> keys = listJson(tool);
        String retiredAt = (String) keys.get(before.accessKid()).get("retired_at");
        assertThat(keys.get(before.accessKid())).containsEntry("state", "retired");
        // The retirement and the successor's activation are one moment, in one transaction.
        assertThat(keys.get(successor)).containsEntry("state", "active").containsEntry("activates_at", retiredAt);
        assertThat(jwks(server).get(before.accessKid())).isEmpty();
        assertThat(tool.run("keys", "retire", before.accessKid())).isEqualTo(new Tool.Run(1, "", "castgate: signing key "
                + before.accessKid() + " was retired at " + Instant.parse(retiredAt).truncatedTo(ChronoUnit.SECONDS) + " already" + NL));
        assertThat(tool.run("keys", "retire", successor)).isEqualTo(new Tool.Run(1, "", "castgate: signing key " + successor
                + " is the only key that signs ES256 tokens: run 'castgate keys rotate --alg ES256' first, then retire it, and the new "
                + "key signs at once" + NL));
        assertThat(details(server, AuditEvent.Type.SIGNING_KEY_RETIRED)).containsExactly("ES256 key " + before.accessKid()
                + " retired by an operator; " + successor + " signs in its place from now");
        assertThat(original).contains(before.accessKid());
    }

    @Test
    void housekeepingRotatesEveryIntervalWhenSet(
            @CastgateServer({REREAD, "CASTGATE_KEYS_ACTIVATION_DELAY=10m", "CASTGATE_KEYS_ROTATION_INTERVAL=1h"}) TestServer server)
            throws Exception {
        User user = server.createUser();
        TestClient client = server.client().allowPassword().accessTokenFormat(AccessTokenFormat.JWT).create();
        List<String> original = kids(server::url);
        server.sweep();
        assertThat(kids(server::url)).containsExactlyInAnyOrderElementsOf(original);

        server.clock().advance(Duration.ofHours(1));
        server.sweep();
        // Published at once by the node that rotated; signing after the activation delay.
        List<String> added = new ArrayList<>(kids(server::url));
        added.removeAll(original);
        assertThat(added).hasSize(2);
        Tokens pending = tokens(server, client, user);
        assertThat(original).contains(pending.accessKid(), pending.idKid());
        server.clock().advance(Duration.ofMinutes(10));
        Tokens active = tokens(server, client, user);
        assertThat(added).containsExactlyInAnyOrder(active.accessKid(), active.idKid());
        // The newest keys are ten minutes old: no other rotation is due.
        server.sweep();
        assertThat(kids(server::url)).hasSize(4);
        assertThat(details(server, AuditEvent.Type.SIGNING_KEY_ROTATED)).hasSize(2)
                .allSatisfy(detail -> assertThat(detail).matches("(RS256|ES256) key \\S+ added by automatic rotation; it signs from \\S+Z"));
    }

    @Test
    void aNodeWhoseKeyFileNoLongerMatchesTheDatabaseDoesNotRotate(
            @CastgateServer({REREAD, "CASTGATE_KEYS_ACTIVATION_DELAY=10m", "CASTGATE_KEYS_ROTATION_INTERVAL=1h"}) TestServer server)
            throws Exception {
        List<String> original = kids(server::url);
        // The keys are re-encrypted under a new key file while this node runs with the old one in memory.
        Path newKey = dir.resolve("new.key");
        assertThat(Tool.runRaw("", "keys", "generate-encryption-key", newKey.toString()).exit()).isZero();
        assertThat(Tool.forServer(server, dir).run("keys", "reencrypt", "--new-key-file", newKey.toString()).exit()).isZero();

        server.clock().advance(Duration.ofHours(1));
        assertThatThrownBy(server::sweep).isInstanceOf(KeyFileProblem.class).message().matches(Pattern.quote("the encryption key file "
                + server.keyFile() + " does not match the database (it does not open signing_keys:") + "\\S+" + Pattern.quote("): set "
                + "keys.encryption_key_file (CASTGATE_KEYS_ENCRYPTION_KEY_FILE) to the key file the database's keys were encrypted with"));
        assertThat(server.database().stores().signingKeys().list()).hasSize(2);
        assertThat(kids(server::url)).containsExactlyInAnyOrderElementsOf(original);
        assertThat(details(server, AuditEvent.Type.SIGNING_KEY_ROTATED)).isEmpty();
    }

    @Test
    void nodesRotatingAtOnceAddOneKeyOfEachAlgorithm(
            @CastgateServer({REREAD, "CASTGATE_KEYS_ACTIVATION_DELAY=10m", "CASTGATE_KEYS_ROTATION_INTERVAL=1h"}) TestServer server)
            throws Exception {
        server.clock().advance(Duration.ofHours(1));
        SigningKeysConfig config = new SigningKeysConfig(Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofHours(1));
        // Four nodes' housekeeping, due at the same moment: the (algorithm, generation) index admits one key of each.
        List<KeyRotation.Round> rounds = AtOnce.send(4, () -> new KeyRotation(server.database(), server.keysAtRest(),
                new AuditTrail(RandomTokens.secure(), server.clock()), server.clock(), config).housekeep(Duration.ofHours(1)));
        assertThat(rounds.stream().mapToInt(round -> round.rotated().size()).sum()).isEqualTo(2);
        List<SigningKey> rows = server.database().stores().signingKeys().list();
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            assertThat(rows.stream().filter(k -> k.algorithm() == algorithm).map(SigningKey::generation)).containsExactlyInAnyOrder(0, 1);
        }
        server.sweep();
        // The server's own sweep rotated nothing, so its reread interval brings the other writers' keys.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(kids(server::url)).hasSize(4));
        assertThat(details(server, AuditEvent.Type.SIGNING_KEY_ROTATED)).hasSize(2);
    }

    @Test
    @Tag("postgresql-only")
    void aKeyRotatedByOneNodeSignsAtAnotherWithinItsRereadInterval(
            @CastgateServer({REREAD, "CASTGATE_KEYS_ACTIVATION_DELAY=0s", "CASTGATE_KEYS_ROTATION_INTERVAL=1s"}) TestServer server)
            throws Exception {
        User user = server.createUser();
        TestClient es256 = server.client().owner(user).accessTokenAlgorithm(SigningAlgorithm.ES256).create();
        TestClient rs256 = server.client().owner(user).accessTokenAlgorithm(SigningAlgorithm.RS256).create();
        List<String> original = kids(server::url);
        try (ServerProcess other = ServerProcess.startBeside(server, Map.of("CASTGATE_KEYS_REREAD_INTERVAL", "1s"))) {
            assertThat(original).contains(kid(jwt(other::url, es256)), kid(jwt(other::url, rs256)));
            // The first node's housekeeping rotates, its clock set to the real time: its keys are older than the interval.
            server.clock().advance(Duration.between(server.clock().instant(), Instant.now()));
            server.sweep();
            List<String> added = new ArrayList<>(kids(server::url));
            added.removeAll(original);
            assertThat(added).hasSize(2);
            assertThat(added).contains(kid(jwt(server::url, es256)), kid(jwt(server::url, rs256)));
            // The other node publishes and signs with them within its reread interval (1s), and a margin for a busy machine.
            await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
                assertThat(kids(other::url)).containsAll(added);
                assertThat(added).contains(kid(jwt(other::url, es256)), kid(jwt(other::url, rs256)));
            });
            // Tokens the other node signed with the new keys work at the first.
            String fromOther = jwt(other::url, es256);
            assertThat(new ApiCalls(server).get("/users/self", fromOther).status()).isEqualTo(200);
        }
    }

    @Test
    @Tag("postgresql-only")
    void aNodeThatMeetsATokenSignedWithAKeyItHasNotSeenRereadsTheKeysAtOnce(
            @CastgateServer({"CASTGATE_KEYS_REREAD_INTERVAL=10m", "CASTGATE_KEYS_ACTIVATION_DELAY=0s"}) TestServer server) throws Exception {
        User user = server.createUser();
        TestClient es256 = server.client().owner(user).accessTokenAlgorithm(SigningAlgorithm.ES256).create();
        List<String> original = kids(server::url);
        try (ServerProcess other = ServerProcess.startBeside(server, Map.of("CASTGATE_KEYS_REREAD_INTERVAL", "1s"))) {
            String added = added(Tool.forServer(server, dir).run("keys", "rotate", "--alg", "ES256")).get("ES256");
            AtomicReference<String> token = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
                token.set(jwt(other::url, es256));
                assertThat(kid(token.get())).isEqualTo(added);
            });
            // The first node rereads the rows only every ten minutes: it has not seen the new key, until a token names it.
            assertThat(kids(server::url)).containsExactlyInAnyOrderElementsOf(original);
            assertThat(new ApiCalls(server).get("/users/self", token.get()).status()).isEqualTo(200);
            assertThat(kids(server::url)).contains(added).hasSize(3);
        }
    }

    /** The kids of the keys a node publishes. */
    private static List<String> kids(Function<String, String> node) throws ParseException {
        Http.Response r = Http.client().get(node.apply("/oauth2/jwks"));
        assertThat(r.status()).isEqualTo(200);
        return JWKSet.parse(r.body()).getKeys().stream().map(JWK::getKeyID).toList();
    }

    private static String kid(String jwt) throws ParseException {
        return SignedJWT.parse(jwt).getHeader().getKeyID();
    }

    private static Tokens tokens(TestServer server, TestClient client, User user) throws ParseException {
        Http.Response r = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "password", "username",
                user.username(), "password", TestServer.PASSWORD, "scope", "openid email"), "Authorization", client.basic());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String accessToken = (String) r.json().get("access_token");
        return new Tokens(accessToken, kid(accessToken), kid((String) r.json().get("id_token")));
    }

    /** A client-credentials JWT access token from a node, signed with the client's algorithm. */
    private static String jwt(Function<String, String> node, TestClient client) {
        Http.Response r = Http.client().postForm(node.apply("/oauth2/token"), Http.form("grant_type", "client_credentials",
                "token_type", "jwt"), "Authorization", client.basic());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return (String) r.json().get("access_token");
    }

    private static Http.Response userinfo(TestServer server, String token) {
        return Http.client().get(server.url("/oauth2/userinfo"), "Authorization", "Bearer " + token);
    }

    private static Http.Response introspect(TestServer server, TestClient client, String token) {
        Http.Response r = Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", token), "Authorization", client.basic());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    /** The keys {@code keys rotate} printed as added, by algorithm. */
    private static Map<String, String> added(Tool.Run run) {
        assertThat(run.exit()).as(run.err()).isZero();
        Map<String, String> added = new LinkedHashMap<>();
        Matcher m = ADDED.matcher(run.out());
        while (m.find()) added.put(m.group(1), m.group(2));
        return added;
    }

    /** {@code keys list --json}, by kid. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> listJson(Tool tool) throws Exception {
        Tool.Run run = tool.run("keys", "list", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        List<Map<String, Object>> keys = new com.fasterxml.jackson.databind.ObjectMapper().readValue(run.out(), List.class);
        Map<String, Map<String, Object>> byKid = new LinkedHashMap<>();
        for (Map<String, Object> key : keys) {
            assertThat(key).containsKeys("kid", "alg", "state", "created_at", "activates_at");
            byKid.put((String) key.get("kid"), key);
        }
        return byKid;
    }

    private static Map<String, String> states(Tool tool) throws Exception {
        Map<String, String> states = new LinkedHashMap<>();
        listJson(tool).forEach((kid, key) -> states.put(kid, (String) key.get("state")));
        return states;
    }

    private static String activation(Map<String, Map<String, Object>> keys, String kid) {
        return (String) keys.get(kid).get("activates_at");
    }

    /** The stored JWK column by kid, read as anyone with the database could. */
    private static Map<String, String> jwks(TestServer server) throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl());
                ResultSet rs = c.createStatement().executeQuery("SELECT kid, jwk FROM signing_keys")) {
            while (rs.next()) rows.put(rs.getString(1), rs.getString(2));
        }
        return rows;
    }

    private static List<String> details(TestServer server, AuditEvent.Type type) {
        return server.database().stores().audit().list(Instant.EPOCH, 1000).stream().filter(e -> e.type() == type)
                .map(e -> e.detail().orElse("")).toList();
    }
}
