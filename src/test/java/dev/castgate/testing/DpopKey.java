package dev.castgate.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A client's DPoP key (RFC 9449), P-256, and the proofs it signs, made here with the JOSE library
 * directly rather than with the server's code. {@link #proof} makes a proof as a client library
 * would; {@link Proof} lets a test change one part of it.
 */
public final class DpopKey {
    private final ECKey key;

    private DpopKey(ECKey key) { this.key = key; }

    public static DpopKey generate() {
        try {
            return new DpopKey(new ECKeyGenerator(Curve.P_256).generate());
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** The JWK SHA-256 thumbprint (RFC 7638) of the public key. */
    public String thumbprint() {
        try {
            return key.toPublicJWK().computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** A proof for {@code method} at {@code url}, issued at {@code iat}. */
    public String proof(String method, String url, Instant iat) { return new Proof(method, url, iat).sign(); }

    /** A proof that presents {@code accessToken} (with its {@code ath}). */
    public String proof(String method, String url, Instant iat, String accessToken) {
        return new Proof(method, url, iat).accessToken(accessToken).sign();
    }

    /** A proof under construction; each setter changes one thing a server checks. */
    public final class Proof {
        private JOSEObjectType type = new JOSEObjectType("dpop+jwt");
        private JWK headerKey = key.toPublicJWK();
        private final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        private ECKey signingKey = key;
        private boolean hmac;

        public Proof(String method, String url, Instant iat) {
            claims.jwtID(UUID.randomUUID().toString()).claim("htm", method).claim("htu", url).issueTime(Date.from(iat));
        }

        public Proof accessToken(String token) { claims.claim("ath", ath(token)); return this; }
        public Proof nonce(String nonce) { claims.claim("nonce", nonce); return this; }
        public Proof type(String value) { type = value == null ? null : new JOSEObjectType(value); return this; }
        /** The private key in the header's jwk, which a proof must never carry. */
        public Proof privateKeyInHeader() { headerKey = key; return this; }
        /** Signed with another key than the one its header names. */
        public Proof signedBy(DpopKey other) { signingKey = other.key; return this; }
        public Proof claims(Consumer<JWTClaimsSet.Builder> change) { change.accept(claims); return this; }
        /** HS256 with a shared secret, which a proof may not use (§4.2: asymmetric only). */
        public Proof hmac() { hmac = true; return this; }

        public String sign() {
            try {
                if (headerKey.isPrivate()) {
                    // The library refuses to put a private key in a header, so this one is written by hand.
                    String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + headerKey.toJSONString() + "}";
                    String input = Base64URL.encode(header.getBytes(StandardCharsets.UTF_8)) + "."
                            + Base64URL.encode(claims.build().toString().getBytes(StandardCharsets.UTF_8));
                    return input + "." + new ECDSASigner(signingKey).sign(new JWSHeader(JWSAlgorithm.ES256),
                            input.getBytes(StandardCharsets.US_ASCII));
                }
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(hmac ? JWSAlgorithm.HS256 : JWSAlgorithm.ES256).type(type).jwk(headerKey)
                        .build(), claims.build());
                jwt.sign(hmac ? new MACSigner(new byte[32]) : new ECDSASigner(signingKey));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** RFC 9449 §4.2: base64url of the SHA-256 of the token. */
    public static String ath(String accessToken) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
