package dev.castgate.store;

import java.util.List;

/**
 * The values kept encrypted at rest, as stored: the server secrets, the signing keys' JWKs and
 * the secrets of client_secret_jwt clients,
 * sealed or (written by a version before encryption at rest) in the clear. For sealing the old
 * ones and re-encrypting under a new key; the server reads them through its usual stores.
 */
public interface SealedValueStore {
    /** Where a value lives; {@code label} names it in the value's associated data, with its row's key. */
    enum Place {
        SERVER_SECRET("server_secrets"), SIGNING_KEY("signing_keys"), CLIENT_SECRET("clients");

        private final String label;

        Place(String label) { this.label = label; }

        public String label() { return label; }
    }

    /** One stored value: its place, its row's key (the secret's name, the key's kid, the client's id), and what the row holds. */
    record StoredValue(Place place, String name, String stored) {}

    /** Every such value: the server secrets by name, the signing keys oldest first (a retired key has none left), the client secrets by client. */
    List<StoredValue> all();

    /** Replaces a value only while its row still holds {@code current.stored()}; false when another writer changed it first. */
    boolean replace(StoredValue current, String replacement);
}
