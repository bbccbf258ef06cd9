package dev.castgate.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.KeyLengthException;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.SigningKey;
import dev.castgate.store.SigningKeyStore;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys, kept in the database so every node signs with the same ones. Keys are parsed
 * once at start; signing reuses the parsed signer, and the JWKS document is serialised once.
 * Signing starts on the JDK's provider and moves to the native one ({@link NativeSigning}) once
 * that has loaded, in the background.
 */
public final class SigningKeys {
    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    /** A key ready to sign with; {@code provider} names the JCA provider that signs. */
    public record ActiveKey(String kid, JWSAlgorithm algorithm, JWSSigner signer, String provider) {}

    private final Map<SigningAlgorithm, JWK> activeJwks;
    private volatile Map<SigningAlgorithm, ActiveKey> active;
    private final String jwksJson;

    private SigningKeys(Map<SigningAlgorithm, JWK> activeJwks, Map<SigningAlgorithm, ActiveKey> active, String jwksJson) {
        this.activeJwks = activeJwks;
        this.active = active;
        this.jwksJson = jwksJson;
    }

    /**
     * Loads the keys, creating an RS256 and an ES256 key on first start. Two nodes starting at
     * once may both create one; each then signs with the oldest, so they agree.
     */
    public static SigningKeys loadOrCreate(SigningKeyStore store, Clock clock) {
        List<SigningKey> stored = store.list();
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            if (stored.stream().noneMatch(k -> k.algorithm().equals(algorithm.name()))) {
                store.insert(generate(algorithm, clock));
                log.info("generated a new {} signing key and stored it in the database", algorithm);
            }
        }
        stored = store.list();
        Map<SigningAlgorithm, JWK> activeJwks = new EnumMap<>(SigningAlgorithm.class);
        Map<SigningAlgorithm, ActiveKey> active = new EnumMap<>(SigningAlgorithm.class);
        List<JWK> published = new ArrayList<>();
        for (SigningKey key : stored) {
            JWK jwk = parse(key);
            published.add(jwk.toPublicJWK());
            SigningAlgorithm algorithm = SigningAlgorithm.parse(key.algorithm());
            if (activeJwks.putIfAbsent(algorithm, jwk) == null) {
                active.put(algorithm, new ActiveKey(key.kid(), new JWSAlgorithm(algorithm.name()), signer(jwk), "the JDK"));
            }
        }
        return new SigningKeys(activeJwks, active, new JWKSet(published).toString(true));
    }

    public ActiveKey active(SigningAlgorithm algorithm) { return active.get(algorithm); }

    /** Loads the native provider on a thread of its own and, once it signs correctly, signs with it. */
    public void useNativeProviderInBackground() {
        Thread.ofPlatform().name("castgate-native-crypto").daemon(true).start(this::useNativeProvider);
    }

    /** Moves signing to the native provider if it loads; the JDK's signers stay otherwise. */
    public void useNativeProvider() {
        Optional<Provider> provider = NativeSigning.load();
        if (provider.isEmpty()) return;
        Map<SigningAlgorithm, ActiveKey> upgraded = new EnumMap<>(SigningAlgorithm.class);
        for (Map.Entry<SigningAlgorithm, JWK> entry : activeJwks.entrySet()) {
            ActiveKey current = active.get(entry.getKey());
            try {
                JWSSigner signer = NativeSigning.signer(entry.getValue(), current.algorithm(), provider.get());
                upgraded.put(entry.getKey(), new ActiveKey(current.kid(), current.algorithm(), signer, provider.get().getName()));
            } catch (GeneralSecurityException | JOSEException e) {
                log.warn("the native crypto provider cannot sign {} ({}); signing with the JDK's provider", entry.getKey(), e.toString());
                return;
            }
        }
        active = upgraded;
        log.info("signing with the native crypto provider {} {}", provider.get().getName(), provider.get().getVersionStr());
    }

    /** The public keys as a JWK Set (RFC 7517 §5). */
    public String jwksJson() { return jwksJson; }

    private static SigningKey generate(SigningAlgorithm algorithm, Clock clock) {
        try {
            JWK jwk = switch (algorithm) {
                case RS256 -> new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                        .keyIDFromThumbprint(true).generate();
                case ES256 -> new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                        .keyIDFromThumbprint(true).generate();
            };
            return new SigningKey(jwk.getKeyID(), algorithm.name(), jwk.toJSONString(), clock.instant());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
        }
    }

    private static JWK parse(SigningKey key) {
        try {
            return JWK.parse(key.jwkJson());
        } catch (ParseException e) {
            throw new IllegalStateException("signing key " + key.kid() + " in the database is not a valid JWK", e);
        }
    }

    private static JWSSigner signer(JWK jwk) {
        try {
            if (jwk instanceof RSAKey rsa) return new RSASSASigner(rsa);
            if (jwk instanceof ECKey ec) return new ECDSASigner(ec);
        } catch (KeyLengthException e) {
            throw new IllegalStateException("signing key " + jwk.getKeyID() + " is too short", e);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing key " + jwk.getKeyID() + " cannot sign", e);
        }
        throw new IllegalStateException("signing key " + jwk.getKeyID() + " has an unsupported type");
    }
}
