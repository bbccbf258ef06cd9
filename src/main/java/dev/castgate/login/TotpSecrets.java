package dev.castgate.login;

import dev.castgate.crypto.KeyEncryptionKey;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.UserId;
import java.util.Base64;
import java.util.Optional;

/**
 * How a person's TOTP secret is kept in the database: encrypted (AES-256-GCM, a fresh nonce each
 * time, bound to the account's row) under a key that is itself one of the server secrets, and so
 * encrypted at rest under the key file (README, Keys at rest). A copy of the database alone reads
 * no one's TOTP secret. The secrets are not encrypted under the key file directly: rotating it
 * then re-encrypts that one server secret, not every person's row, and a node still running with
 * the old key file meanwhile writes rows the new one opens.
 */
public final class TotpSecrets {
    /** The name of the server secret the TOTP secrets are encrypted with. */
    public static final String SERVER_SECRET = "totp_secrets";

    private final KeyEncryptionKey key;

    /** {@code key} is the server secret: 256 bits in base64. */
    public TotpSecrets(String key) { this.key = KeyEncryptionKey.decode(key); }

    /** A new key, for the first node that needs one. */
    public static String newKey(RandomTokens random) {
        return Base64.getEncoder().encodeToString(random.bytes(KeyEncryptionKey.BYTES));
    }

    /** The stored form of {@code userId}'s secret. */
    String seal(UserId userId, String secret) { return key.seal(context(userId), secret); }

    /** The secret a stored form holds; empty when it does not open (copied from another row, or written under another key). */
    Optional<String> open(UserId userId, String stored) { return key.open(context(userId), stored); }

    private static String context(UserId userId) { return "totp_credentials:" + userId.value(); }
}
