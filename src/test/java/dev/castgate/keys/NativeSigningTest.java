package dev.castgate.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.TestServer;
import java.security.Provider;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native signer: where it loads (Linux on x86-64, as here), its RS256 and ES256 signatures
 * verify with the JDK's own verifiers, and the server's keys move to it. Where it cannot load the
 * test is skipped, except in CI, where that is a failure.
 */
class NativeSigningTest {
    static Provider provider;

    @BeforeAll
    static void load() {
        Optional<Provider> loaded = NativeSigning.load();
        if (loaded.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException("the native crypto provider must load in CI");
            Assumptions.abort("the native crypto provider does not load on this system");
        }
        provider = loaded.get();
    }

    @Test
    void rs256SignaturesVerifyWithTheJdk() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("r").generate();
        JWSSigner signer = NativeSigning.signer(key, JWSAlgorithm.RS256, provider);
        for (int i = 0; i < 20; i++) {
            SignedJWT jwt = signed(signer, JWSAlgorithm.RS256, i);
            assertThat(SignedJWT.parse(jwt.serialize()).verify(new RSASSAVerifier(key.toRSAPublicKey()))).isTrue();
        }
    }

    @Test
    void es256SignaturesVerifyWithTheJdk() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("e").generate();
        JWSSigner signer = NativeSigning.signer(key, JWSAlgorithm.ES256, provider);
        for (int i = 0; i < 200; i++) {
            SignedJWT jwt = signed(signer, JWSAlgorithm.ES256, i);
            // JOSE wants the raw 64-byte R||S form, not DER (RFC 7515 §A.3).
            assertThat(jwt.getSignature().decode()).hasSize(64);
            assertThat(SignedJWT.parse(jwt.serialize()).verify(new ECDSAVerifier(key.toECPublicKey()))).isTrue();
        }
    }

    @Test
    void theServersKeysMoveToIt(@CastgateServer TestServer server) {
        SigningKeys keys = SigningKeys.loadOrCreate(server.keysAtRest().signingKeys(), server.clock());
        assertThat(keys.active(SigningAlgorithm.RS256).provider()).isEqualTo("the JDK");
        keys.useNativeProvider();
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            assertThat(keys.active(algorithm).provider()).isEqualTo(provider.getName());
        }
    }

    private static SignedJWT signed(JWSSigner signer, JWSAlgorithm algorithm, int n) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), new JWTClaimsSet.Builder().subject("subject " + n).build());
        jwt.sign(signer);
        return jwt;
    }
}
