package dev.castgate.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key, kept outside the database, that encrypts the keys the database holds (the server
 * secrets and the private signing keys): AES-256-GCM, a fresh random 96-bit nonce per value
 * (NIST SP 800-38D §8.2.2) and the value's place as associated data, so a value moved to
 * another row does not open. A sealed value is self-describing, {@code v1:} and the base64 of
 * nonce, ciphertext and 128-bit tag; a later format takes the next version.
 */
public final class KeyEncryptionKey {
    /** A key is 256 bits. */
    public static final int BYTES = 32;
    private static final String V1 = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Values stored in the clear (base64url secrets, JWK objects) never begin so. */
    private static final Pattern SEALED = Pattern.compile("v[0-9]+:");

    private final SecretKeySpec key;
    private final SecureRandom random;

    private KeyEncryptionKey(byte[] key, SecureRandom random) {
        this.key = new SecretKeySpec(key, "AES");
        this.random = random;
    }

    /** A new random key. */
    public static KeyEncryptionKey generate() {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[BYTES];
        random.nextBytes(key);
        return new KeyEncryptionKey(key, random);
    }

    /** The key whose base64 is {@code text}; {@link IllegalArgumentException} when it is not 32 bytes in base64. */
    public static KeyEncryptionKey decode(String text) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not base64");
        }
        if (key.length != BYTES) throw new IllegalArgumentException("holds " + key.length + " bytes, not " + BYTES);
        return new KeyEncryptionKey(key, new SecureRandom());
    }

    /** The key in base64, as its file holds it. */
    public String encoded() { return Base64.getEncoder().encodeToString(key.getEncoded()); }

    /** Whether {@code stored} is in a sealed format (of any version), rather than a value stored in the clear. */
    public static boolean isSealed(String stored) {
        return SEALED.matcher(stored).lookingAt();
    }

    /** {@code plaintext} sealed for the place {@code context} names (such as {@code server_secrets:ingest_keys}). */
    public String seal(String context, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return V1 + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * The plaintext of a value sealed for {@code context}; empty when it does not open: sealed
     * under another key, for another place, altered, or in a format this version does not know.
     */
    public Optional<String> open(String context, String sealed) {
        if (!sealed.startsWith(V1)) return Optional.empty();
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(V1.length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) return Optional.empty();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(bytes, NONCE_BYTES)));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return Optional.of(new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8));
        } catch (AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }
}
