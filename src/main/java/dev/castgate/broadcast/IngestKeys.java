package dev.castgate.broadcast;

import dev.castgate.crypto.Hashes;
import dev.castgate.domain.TokenHash;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A channel's keys are HMAC-SHA256 of a server secret and a per-channel nonce, cut to 160 bits (40
 * hex). The database holds the nonce and the key's SHA-256, never the key: the ingest settings
 * derive the key again to show it, and the publish check compares hashes in constant time.
 * Rotating a key is replacing its nonce.
 */
final class IngestKeys {
    private final byte[] secret;

    IngestKeys(String secret) { this.secret = secret.getBytes(StandardCharsets.UTF_8); }

    String channelKey(String channelId, String nonce) { return derive("channel_key", channelId, nonce); }

    String streamingKey(String channelId, String nonce) { return derive("streaming_key", channelId, nonce); }

    static TokenHash hash(String key) { return Hashes.tokenHash(key); }

    private String derive(String purpose, String channelId, String nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] out = mac.doFinal((purpose + ":" + channelId + ":" + nonce).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(out, 0, 20);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
