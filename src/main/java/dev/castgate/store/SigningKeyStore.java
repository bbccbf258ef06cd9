package dev.castgate.store;

import dev.castgate.domain.SigningKey;
import java.util.List;

/** Signing keys, shared by every node through the database. */
public interface SigningKeyStore {
    /** All keys, oldest first. */
    List<SigningKey> list();

    void insert(SigningKey key);
}
