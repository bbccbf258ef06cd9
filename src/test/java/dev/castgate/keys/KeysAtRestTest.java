package dev.castgate.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.castgate.api.ApiCalls;
import dev.castgate.crypto.KeyEncryptionKey;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.ChildProcesses;
import dev.castgate.testing.Http;
import dev.castgate.testing.ServeRun;
import dev.castgate.testing.ServerProcess;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestDatabase;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys the database holds, encrypted at rest (security review, finding 4). Read from the
 * database, as a copy of it would be, they neither derive an ingest key nor sign; a node with
 * the same key file reads them all, one with another key does not start; an older database's
 * keys, stored in the clear, are encrypted when nodes start; {@code castgate keys reencrypt}
 * moves them to a new key file. Nodes are {@code castgate serve} in processes of their own.
 */
class KeysAtRestTest {
    private static final String KEY_FILE = "CASTGATE_KEYS_ENCRYPTION_KEY_FILE";
    private static final String SECRETS = "SELECT name, secret FROM server_secrets";
    private static final String SIGNING_KEYS = "SELECT kid, jwk FROM signing_keys";
    private static final String NL = System.lineSeparator();

    @TempDir Path dir;

    /** A broadcaster's channel and its channel key, and JWT access tokens signed with ES256 and with RS256. */
    record Broadcast(String channel, String token, String channelKey, TestClient es256, TestClient rs256, List<String> jwts) {}

    private static Broadcast broadcast(TestServer server) {
        ApiCalls api = new ApiCalls(server);
        User user = server.createUser();
        String token = api.token(api.clientOf(user), "broadcaster", false);
        String channel = api.createChannel(token, "Live");
        String channelKey = (String) api.ingest(channel, token).get("channel_key");
        TestClient es256 = server.client().owner(user).accessTokenAlgorithm(SigningAlgorithm.ES256).create();
        TestClient rs256 = server.client().owner(user).accessTokenAlgorithm(SigningAlgorithm.RS256).create();
        return new Broadcast(channel, token, channelKey, es256, rs256,
                List.of(jwt(server.url("/oauth2/token"), es256), jwt(server.url("/oauth2/token"), rs256)));
    }

    @Test
    void aReadOfTheDatabaseGivesNeitherTheIngestKeysSecretNorAPrivateKey(@CastgateServer TestServer server) throws Exception {
        Broadcast b = broadcast(server);
        ApiCalls api = new ApiCalls(server);

        Map<String, String> secrets = rows(server, SECRETS);
        assertThat(secrets.keySet()).containsExactlyInAnyOrder("csrf_tokens", "email_links", "ingest_keys", "refresh_successor",
                "passkey_challenges", "second_step", "totp_secrets", "pushed_requests", "dpop_nonces");
        assertThat(secrets.values()).allSatisfy(v -> assertThat(v).startsWith("v1:"));
        // The review's evidence: the stored value taken as the HMAC key derives a key that does not publish.
        String nonce = rows(server, "SELECT id, channel_key_nonce FROM channels").get(b.channel());
        String derived = channelKey(secrets.get("ingest_keys"), b.channel(), nonce);
        assertThat(derived).isNotEqualTo(b.channelKey());
        assertThat(api.onPublish("name", b.channel(), "key", derived).status()).isEqualTo(403);
        // The same derivation with the secret the key file opens is the channel key: the secret is there, sealed.
        KeyEncryptionKey key = KeyFile.read(server.keyFile(), "the test");
        String secret = key.open("server_secrets:ingest_keys", secrets.get("ingest_keys")).orElseThrow();
        assertThat(channelKey(secret, b.channel(), nonce)).isEqualTo(b.channelKey());
        assertThat(api.onPublish("name", b.channel(), "key", b.channelKey()).status()).isEqualTo(200);

        Map<String, String> jwks = rows(server, SIGNING_KEYS);
        assertThat(jwks).hasSize(2);
        // A JWK's names come with their quotes, which base64 never holds; a bare "kty" turns up in
        // random base64 about once in a hundred keys, so it proves nothing.
        assertThat(jwks.values()).allSatisfy(v -> assertThat(v).startsWith("v1:").doesNotContain("\"d\"").doesNotContain("\"kty\""));
        // Sealed for its own row only: a key moved to another row, or a secret to another name, does not open.
        Map.Entry<String, String> first = jwks.entrySet().iterator().next();
        assertThat(key.open("signing_keys:" + first.getKey(), first.getValue()).orElseThrow()).contains("\"d\"");
        assertThat(jwks.keySet()).allSatisfy(kid -> assertThat(key.open("signing_keys:" + kid + "x", jwks.get(kid))).isEmpty());
        assertThat(key.open("server_secrets:csrf_tokens", secrets.get("ingest_keys"))).isEmpty();
    }

    @Test
    @Tag("sqlite-only")
    void theEmbeddedDatabaseGetsItsKeyFileBesideIt(@CastgateServer TestServer server) throws Exception {
        Path beside = Path.of(server.jdbcUrl().substring("jdbc:sqlite:".length())).resolveSibling("encryption.key");
        assertThat(server.keyFile()).isEqualTo(beside);
        assertThat(Files.getPosixFilePermissions(beside)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(beside, StandardCharsets.US_ASCII)).matches("[A-Za-z0-9+/]{43}=\n");
        assertThat(KeyFile.read(beside, "the test").open("server_secrets:ingest_keys", rows(server, SECRETS).get("ingest_keys")))
                .isPresent();
    }

    @Test
    void aNodeStartedWithTheSameKeyFileReadsEveryKey(@CastgateServer TestServer server) throws Exception {
        Broadcast b = broadcast(server);
        String jwksBefore = Http.client().get(server.url("/oauth2/jwks")).body();
        // No setting on SQLite: the node finds the key file the first one made beside the database.
        try (ServerProcess node = ServerProcess.startBeside(server)) {
            assertSameKeys(b, jwksBefore, node::url);
        }
        assertThat(KeyFile.read(server.keyFile(), "the test").open("server_secrets:ingest_keys", rows(server, SECRETS).get("ingest_keys")))
                .as("the values are still sealed with the first node's key").isPresent();
    }

    @Test
    void aNodeStartedWithAnotherKeyFileDoesNotStart(@CastgateServer TestServer server) throws Exception {
        Path other = dir.resolve("other.key");
        KeyFile.writeNew(other, KeyEncryptionKey.generate());
        ServeRun.of(Map.of("CASTGATE_PORT", "0", "CASTGATE_DATABASE_URL", server.jdbcUrl(), KEY_FILE, other.toString()), dir)
                .assertFailedWithOneLine("castgate: the encryption key file " + other + " does not match the database (it does not open "
                        + "server_secrets:csrf_tokens): set keys.encryption_key_file (CASTGATE_KEYS_ENCRYPTION_KEY_FILE) to the key file "
                        + "the database's keys were encrypted with");
    }

    @Test
    void aKeyFileThatIsMissingOrHoldsNoKeyEndsTheStartWithOneLine(@CastgateServer TestServer server) throws Exception {
        Path missing = dir.resolve("missing.key");
        ServeRun.of(Map.of("CASTGATE_PORT", "0", "CASTGATE_DATABASE_URL", server.jdbcUrl(), KEY_FILE, missing.toString()), dir)
                .assertFailedWithOneLine("castgate: the database's keys are encrypted, but their key file " + missing + " does not exist: "
                        + "restore it from its backup, or set keys.encryption_key_file (CASTGATE_KEYS_ENCRYPTION_KEY_FILE) to the key file "
                        + "they were encrypted with");
        Path tooShort = Files.writeString(dir.resolve("short.key"), "c2hvcnQ=\n"); // "short": 5 bytes
        ServeRun.of(Map.of("CASTGATE_PORT", "0", "CASTGATE_DATABASE_URL", server.jdbcUrl(), KEY_FILE, tooShort.toString()), dir)
                .assertFailedWithOneLine("castgate: the encryption key file " + tooShort + " does not hold a key (it holds 5 bytes, not "
                        + "32): it must be one line, 32 random bytes in base64, as 'castgate keys generate-encryption-key FILE' writes");
    }

    @Test
    void anOlderDatabasesKeysAreEncryptedByTheNodesThatStartOnIt(@CastgateServer TestServer server) throws Exception {
        Broadcast b = broadcast(server);
        String jwksBefore = Http.client().get(server.url("/oauth2/jwks")).body();
        KeyEncryptionKey key = KeyFile.read(server.keyFile(), "the test");
        // What a version before encryption at rest stored: every value in the clear.
        Map<String, String> plaintexts = new LinkedHashMap<>();
        rows(server, SECRETS).forEach((name, sealed) -> plaintexts.put("server_secrets:" + name,
                key.open("server_secrets:" + name, sealed).orElseThrow()));
        rows(server, SIGNING_KEYS).forEach((kid, sealed) -> plaintexts.put("signing_keys:" + kid,
                key.open("signing_keys:" + kid, sealed).orElseThrow()));
        for (Map.Entry<String, String> value : plaintexts.entrySet()) {
            String[] place = value.getKey().split(":", 2);
            update(server, place[0].equals("server_secrets") ? "UPDATE server_secrets SET secret = ? WHERE name = ?"
                    : "UPDATE signing_keys SET jwk = ? WHERE kid = ?", value.getValue(), place[1]);
        }
        assertThat(rows(server, SIGNING_KEYS).values()).allSatisfy(jwk -> assertThat(jwk).contains("\"d\""));

        // Two nodes start at once on it, as a deployment's do after an upgrade.
        ExecutorService starting = Executors.newFixedThreadPool(2);
        List<Future<ServerProcess>> starts = List.of(starting.submit(() -> ServerProcess.startBeside(server)),
                starting.submit(() -> ServerProcess.startBeside(server)));
        List<ServerProcess> nodes = new ArrayList<>();
        try {
            for (Future<ServerProcess> start : starts) nodes.add(start.get(120, TimeUnit.SECONDS));
            Map<String, String> stored = new LinkedHashMap<>();
            rows(server, SECRETS).forEach((name, value) -> stored.put("server_secrets:" + name, value));
            rows(server, SIGNING_KEYS).forEach((kid, value) -> stored.put("signing_keys:" + kid, value));
            assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(plaintexts.keySet());
            stored.forEach((place, value) -> assertThat(key.open(place, value)).as(place).contains(plaintexts.get(place)));
            // Each value was encrypted once: the nodes' counts add up to all of them.
            int encrypted = 0;
            for (ServerProcess node : nodes) {
                Matcher m = Pattern.compile("encrypted (\\d+) of the database's keys, stored in the clear by an earlier version")
                        .matcher(node.output());
                while (m.find()) encrypted += Integer.parseInt(m.group(1));
            }
            assertThat(encrypted).as("values encrypted by the two nodes together").isEqualTo(plaintexts.size());
            for (ServerProcess node : nodes) assertSameKeys(b, jwksBefore, node::url);
        } finally {
            starting.shutdown();
            assertThat(starting.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
            for (Future<ServerProcess> start : starts) {
                if (start.state() == Future.State.SUCCESS) start.resultNow().close();
            }
        }
    }

    @Test
    void reencryptMovesTheKeysToANewKeyFile(@CastgateServer TestServer server) throws Exception {
        Broadcast b = broadcast(server);
        String jwksBefore = Http.client().get(server.url("/oauth2/jwks")).body();
        Path newKey = dir.resolve("keys").resolve("new.key");
        assertThat(Tool.runRaw("", "keys", "generate-encryption-key", newKey.toString())).isEqualTo(new Tool.Run(0,
                "wrote a new encryption key to " + newKey + ", readable by its owner only; back it up apart from the database" + NL, ""));
        assertThat(Files.getPosixFilePermissions(newKey)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String written = Files.readString(newKey, StandardCharsets.US_ASCII);
        assertThat(written).matches("[A-Za-z0-9+/]{43}=\n");
        assertThat(Tool.runRaw("", "keys", "generate-encryption-key", newKey.toString())).isEqualTo(new Tool.Run(1, "",
                "castgate: " + newKey + " exists: a key file is never overwritten; choose another name" + NL));
        assertThat(Files.readString(newKey, StandardCharsets.US_ASCII)).isEqualTo(written);

        Tool.Run run = Tool.forServer(server, dir).run("keys", "reencrypt", "--new-key-file", newKey.toString());
        boolean embedded = !TestDatabase.postgres();
        // Two signing keys and seven server secrets (CSRF, ingest keys, refresh successors, mailed links, second step, TOTP
        // secrets, passkey challenges).
        assertThat(run).isEqualTo(new Tool.Run(0, "re-encrypted 11 keys with the key in " + newKey + NL
                + "now set keys.encryption_key_file (CASTGATE_KEYS_ENCRYPTION_KEY_FILE) to " + newKey
                + (embedded ? ", or put it in place of " + server.keyFile() + "," : "") + " on every node, and restart them; "
                + "keep the old key file as long as you keep backups of the database made before now" + NL, ""));
        KeyEncryptionKey oldKey = KeyFile.read(server.keyFile(), "the test");
        KeyEncryptionKey next = KeyFile.read(newKey, "the test");
        String ingestKeys = rows(server, SECRETS).get("ingest_keys");
        assertThat(next.open("server_secrets:ingest_keys", ingestKeys)).isPresent();
        assertThat(oldKey.open("server_secrets:ingest_keys", ingestKeys)).isEmpty();

        ServeRun.of(Map.of("CASTGATE_PORT", "0", "CASTGATE_DATABASE_URL", server.jdbcUrl(), KEY_FILE, server.keyFile().toString()), dir)
                .assertFailedWithOneLine("castgate: the encryption key file " + server.keyFile() + " does not match the database (it "
                        + "does not open server_secrets:csrf_tokens): set keys.encryption_key_file (CASTGATE_KEYS_ENCRYPTION_KEY_FILE) to "
                        + "the key file the database's keys were encrypted with");
        // A key file that others may read is used, with a warning.
        Files.setPosixFilePermissions(newKey, PosixFilePermissions.fromString("rw-r--r--"));
        try (ServerProcess node = ServerProcess.startBeside(server, Map.of(KEY_FILE, newKey.toString()))) {
            assertSameKeys(b, jwksBefore, node::url);
            assertThat(node.output()).contains("the encryption key file " + newKey + " may be read by users other than its owner "
                    + "(rw-r--r--): chmod 600 " + newKey);
        }
    }

    @Test
    void postgresqlWithAnHttpsIssuerDoesNotStartWithoutAKeyFile() {
        // Refused before the database is tried: none answers at that address.
        ServeRun.of(Map.of("CASTGATE_PORT", "0", "CASTGATE_ISSUER", "https://login.castgate.test", "CASTGATE_DATABASE_START_WAIT", "1s",
                        "CASTGATE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + ChildProcesses.freePort() + "/castgate"), dir)
                .assertFailedWithOneLine("castgate: keys.encryption_key_file (CASTGATE_KEYS_ENCRYPTION_KEY_FILE) must be set with "
                        + "PostgreSQL and an https issuer: write a key file with 'castgate keys generate-encryption-key FILE', give every "
                        + "node a copy, and set it to that file");
    }

    @Test
    @Tag("postgresql-only")
    void inDevelopmentANodeOnPostgresqlMakesItsKeyFileInTheDataFolder() throws Exception {
        try (TestDatabase database = TestDatabase.create();
                ServerProcess node = ServerProcess.startIn(dir, Map.of("CASTGATE_DATABASE_URL", database.jdbcUrl()))) {
            Path made = dir.resolve("data").resolve("encryption.key");
            assertThat(Files.getPosixFilePermissions(made)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(node.output()).contains("development default in use: encryption key in data/encryption.key, made on first start "
                    + "(set CASTGATE_KEYS_ENCRYPTION_KEY_FILE to a key file every node shares in production)");
            String stored = rows(database.jdbcUrl(), SECRETS).get("ingest_keys");
            assertThat(KeyFile.read(made, "the test").open("server_secrets:ingest_keys", stored)).isPresent();
        }
    }

    /**
     * What a node needs its keys for, after another node made them: the channel key derives as
     * before and publishes; its signatures verify with the keys published before, and tokens
     * signed before verify with the keys it publishes.
     */
    private static void assertSameKeys(Broadcast b, String jwksBefore, Function<String, String> node) throws Exception {
        Http.Response ingest = Http.client().get(node.apply("/api/channels/" + b.channel() + "/ingest"), "Authorization",
                "Bearer " + b.token());
        assertThat(ingest.status()).as(ingest.body()).isEqualTo(200);
        assertThat(ingest.json().get("channel_key")).isEqualTo(b.channelKey());
        assertThat(Http.client().postForm(node.apply("/api/broadcast/on_publish"),
                Http.form("call", "publish", "name", b.channel(), "key", b.channelKey())).status()).isEqualTo(200);
        String jwksNow = Http.client().get(node.apply("/oauth2/jwks")).body();
        for (String before : b.jwts()) assertThat(verifies(before, jwksNow)).isTrue();
        for (TestClient client : List.of(b.es256(), b.rs256())) {
            assertThat(verifies(jwt(node.apply("/oauth2/token"), client), jwksBefore)).isTrue();
        }
    }

    /** A client-credentials JWT access token, signed with the client's algorithm. */
    private static String jwt(String tokenEndpoint, TestClient client) {
        Http.Response r = Http.client().postForm(tokenEndpoint, Http.form("grant_type", "client_credentials", "token_type", "jwt"),
                "Authorization", client.basic());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return (String) r.json().get("access_token");
    }

    private static boolean verifies(String jwt, String jwksJson) throws Exception {
        SignedJWT signed = SignedJWT.parse(jwt);
        JWK key = JWKSet.parse(jwksJson).getKeyByKeyId(signed.getHeader().getKeyID());
        assertThat(key).as("a published key with the token's kid").isNotNull();
        JWSVerifier verifier = key instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) key);
        return signed.verify(verifier);
    }

    /** The security review's derivation: HMAC-SHA256(secret, "channel_key:" + id + ":" + nonce), the first 40 hex. */
    private static String channelKey(String secret, String channelId, String nonce) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] out = mac.doFinal(("channel_key:" + channelId + ":" + nonce).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(out, 0, 20);
    }

    private static Map<String, String> rows(TestServer server, String sql) throws SQLException {
        return rows(server.jdbcUrl(), sql);
    }

    /** The two columns of a query's rows, read with plain JDBC as anyone with a copy of the database could. */
    private static Map<String, String> rows(String jdbcUrl, String sql) throws SQLException {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) rows.put(rs.getString(1), rs.getString(2));
        }
        return rows;
    }

    private static void update(TestServer server, String sql, String value, String key) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl()); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, value);
            s.setString(2, key);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
