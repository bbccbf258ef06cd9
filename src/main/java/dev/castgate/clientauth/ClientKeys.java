package dev.castgate.clientauth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;

/** A private_key_jwt client's key set (RFC 7517 §5), as registered or as fetched from its jwks_uri. */
public final class ClientKeys {
    /** How large a registered key set may be: as large as one fetched from a jwks_uri. */
    public static final int MAX_CHARS = JwksUriFetcher.MAX_BYTES;

    private ClientKeys() {}

    /**
     * The set {@code json} holds; IllegalArgumentException, saying why, when it is not a JWK Set,
     * holds no key, or holds a private or symmetric key: a client registers only what verifies its
     * signatures, and a key the server could sign with would let anyone who reads it act as the client.
     */
    public static JWKSet parsePublic(String json) {
        if (json.length() > MAX_CHARS) throw new IllegalArgumentException("the key set is larger than " + MAX_CHARS / 1024 + " KiB");
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException("it is not a JWK Set (RFC 7517 §5)");
        }
        if (set.getKeys().isEmpty()) throw new IllegalArgumentException("the key set holds no key");
        for (JWK key : set.getKeys()) {
            if (key.isPrivate() || key.toPublicJWK() == null) {
                throw new IllegalArgumentException("the key set must hold public keys only" + (key.getKeyID() == null ? "" : " (kid " + key.getKeyID() + ")"));
            }
        }
        return set;
    }
}
