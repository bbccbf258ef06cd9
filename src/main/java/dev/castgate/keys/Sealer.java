package dev.castgate.keys;

import dev.castgate.crypto.KeyEncryptionKey;
import dev.castgate.store.SealedValueStore.Place;
import java.nio.file.Path;

/**
 * Seals and opens the database's keys with the key from {@code file}. Each value's associated
 * data is its place, {@code server_secrets:NAME} or {@code signing_keys:KID}, so a value copied
 * into another row, or from one table to the other, does not open.
 */
record Sealer(KeyEncryptionKey key, Path file) {
    String seal(Place place, String name, String plaintext) {
        return key.seal(context(place, name), plaintext);
    }

    /**
     * The value's plaintext. One still in the clear was written by a version before encryption at
     * rest (a node not yet upgraded) and is taken as it is; the next start seals it.
     */
    String open(Place place, String name, String stored) {
        if (!KeyEncryptionKey.isSealed(stored)) return stored;
        return key.open(context(place, name), stored).orElseThrow(() -> new KeyFileProblem("the encryption key file " + file
                + " does not match the database (it does not open " + context(place, name) + "): set " + KeyFile.SETTING
                + " to the key file the database's keys were encrypted with"));
    }

    private static String context(Place place, String name) {
        return place.label() + ":" + name;
    }
}
