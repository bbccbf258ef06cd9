package dev.castgate.keys;

import dev.castgate.crypto.KeyEncryptionKey;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.SigningKey;
import dev.castgate.store.SealedValueStore;
import dev.castgate.store.SealedValueStore.Place;
import dev.castgate.store.SealedValueStore.StoredValue;
import dev.castgate.store.ServerSecretStore;
import dev.castgate.store.SigningKeyStore;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys the database holds (the server secrets and the private signing keys), encrypted at rest
 * under a key kept outside it ({@link KeyFile}), so a copy of the database alone neither derives an
 * ingest key nor signs a token. Opened once at start: the stores this gives seal what they write
 * and open what they read, and their callers keep the plaintext in memory, so no request decrypts.
 */
public final class KeysAtRest {
    private static final Logger log = LoggerFactory.getLogger(KeysAtRest.class);

    private final ServerSecretStore serverSecrets;
    private final SigningKeyStore signingKeys;
    private final Sealer sealer;

    private KeysAtRest(Stores stores, Sealer sealer) {
        this.sealer = sealer;
        this.serverSecrets = new SealedServerSecrets(stores.serverSecrets(), sealer);
        this.signingKeys = new SealedSigningKeys(stores.signingKeys(), sealer);
    }

    /**
     * At start: reads the key (making the data folder's first while the database holds no encrypted
     * value), encrypts in place what an earlier version stored in the clear, and checks that the key
     * opens every stored value, so a wrong key file ends the start rather than the first request.
     */
    public static KeysAtRest unlock(Transactions db, Stores stores, KeyFile file) {
        List<StoredValue> stored = stores.sealedValues().all();
        boolean anySealed = stored.stream().anyMatch(v -> KeyEncryptionKey.isSealed(v.stored()));
        Sealer sealer = new Sealer(anySealed ? readExisting(file) : file.readOrMake(), file.path());
        Map<StoredValue, String> inTheClear = new LinkedHashMap<>();
        for (StoredValue value : stored) {
            if (!KeyEncryptionKey.isSealed(value.stored())) {
                inTheClear.put(value, sealer.seal(value.place(), value.name(), value.stored()));
            }
        }
        if (!inTheClear.isEmpty()) {
            // Compare and set, in one transaction: a node starting at the same moment that seals a
            // row first keeps its value, and this node's replacement of that row changes nothing.
            int sealed = db.inTransaction(tx -> (int) inTheClear.entrySet().stream()
                    .filter(e -> tx.sealedValues().replace(e.getKey(), e.getValue())).count());
            log.info("encrypted {} of the database's keys, stored in the clear by an earlier version, with the key in {}", sealed,
                    file.path());
        }
        for (StoredValue value : stores.sealedValues().all()) sealer.open(value.place(), value.name(), value.stored());
        return new KeysAtRest(stores, sealer);
    }

    /**
     * Decrypts every stored value with the {@code current} key and encrypts it with {@code next},
     * in one transaction; values still in the clear are encrypted too. Returns how many. Nodes
     * already running keep their keys in memory; one started with the old key file afterwards
     * refuses to start.
     */
    public static int reencrypt(Transactions db, Stores stores, KeyFile current, KeyEncryptionKey next, Path nextFile) {
        List<StoredValue> stored = stores.sealedValues().all();
        Optional<Sealer> old = stored.stream().anyMatch(v -> KeyEncryptionKey.isSealed(v.stored()))
                ? Optional.of(new Sealer(readExisting(current), current.path())) : Optional.empty();
        Sealer sealer = new Sealer(next, nextFile);
        Map<StoredValue, String> replacements = new LinkedHashMap<>();
        for (StoredValue value : stored) {
            String plaintext = old.map(o -> o.open(value.place(), value.name(), value.stored())).orElse(value.stored());
            replacements.put(value, sealer.seal(value.place(), value.name(), plaintext));
        }
        return db.inTransaction(tx -> {
            SealedValueStore values = tx.sealedValues();
            if (!values.all().equals(stored)) throw changedMeanwhile();
            for (Map.Entry<StoredValue, String> e : replacements.entrySet()) {
                if (!values.replace(e.getKey(), e.getValue())) throw changedMeanwhile();
            }
            return replacements.size();
        });
    }

    /** Server secrets: each sealed as it is stored, and opened as it is read. */
    public ServerSecretStore serverSecrets() { return serverSecrets; }

    /** Signing keys: each JWK sealed as it is stored, and opened as it is read. */
    public SigningKeyStore signingKeys() { return signingKeys; }

    /** The same over {@code within}, a transaction's store. */
    public SigningKeyStore signingKeys(SigningKeyStore within) { return new SealedSigningKeys(within, sealer); }

    /**
     * A client_secret_jwt client's secret, sealed for its row: the server must hold the secret
     * itself to check the HMAC of the client's assertions, and keeps it only encrypted.
     */
    public String sealClientSecret(ClientId clientId, String secret) { return sealer.seal(Place.CLIENT_SECRET, clientId.value(), secret); }

    /** The secret {@link #sealClientSecret} sealed for this client. */
    public String openClientSecret(ClientId clientId, String sealed) { return sealer.open(Place.CLIENT_SECRET, clientId.value(), sealed); }

    /** A database with encrypted values needs the key they were encrypted with; a new one would open none of them. */
    private static KeyEncryptionKey readExisting(KeyFile file) {
        if (!Files.exists(file.path())) {
            throw new KeyFileProblem("the database's keys are encrypted, but their key file " + file.path() + " does not exist: "
                    + "restore it from its backup, or set " + KeyFile.SETTING + " to the key file they were encrypted with");
        }
        return file.read();
    }

    private static KeyFileProblem changedMeanwhile() {
        return new KeyFileProblem("the database's keys changed while they were re-encrypted (a node starting for the first time?); "
                + "nothing was changed: run the command again");
    }

    private record SealedServerSecrets(ServerSecretStore stored, Sealer sealer) implements ServerSecretStore {
        @Override
        public String findOrCreate(String name, Supplier<String> candidate, Instant now) {
            return sealer.open(Place.SERVER_SECRET, name,
                    stored.findOrCreate(name, () -> sealer.seal(Place.SERVER_SECRET, name, candidate.get()), now));
        }
    }

    private record SealedSigningKeys(SigningKeyStore stored, Sealer sealer) implements SigningKeyStore {
        @Override
        public List<SigningKey> list() { return stored.list(); }

        @Override
        public Optional<String> findJwk(String kid) {
            return stored.findJwk(kid).map(jwk -> sealer.open(Place.SIGNING_KEY, kid, jwk));
        }

        @Override
        public boolean insert(SigningKey key, String jwkJson) {
            return stored.insert(key, sealer.seal(Place.SIGNING_KEY, key.kid(), jwkJson));
        }

        @Override
        public boolean retire(String kid, Instant at) { return stored.retire(kid, at); }

        @Override
        public boolean activateBy(String kid, Instant at) { return stored.activateBy(kid, at); }
    }
}
