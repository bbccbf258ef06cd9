package dev.castgate.clientauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.castgate.clientauth.AuthenticatedClient.Method;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientAuthMethod;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.JwtClientAuth;
import dev.castgate.error.OAuthException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Client authentication with a JWT (RFC 7523 §2.2, §3; RFC 7521 §4.2): {@code private_key_jwt},
 * signed with a key of the client's registered key set, and {@code client_secret_jwt}, an HMAC
 * with its secret.
 *
 * <p>The audience must be this server's issuer identifier, and nothing else: the update of RFC 7523
 * now in the OAuth working group (draft-ietf-oauth-rfc7523bis) asks exactly that, because an
 * assertion whose audience is an endpoint URL can be made for one server and replayed at another
 * that names the same URL as its own endpoint. The token endpoint URL that RFC 7523 §3 and OpenID
 * Connect Core §9 suggested is therefore refused, and the answer says what to send, unless the
 * operator turns on {@code tokenEndpointAudience} ({@code client_assertions.token_endpoint_audience})
 * for clients written to those older texts.
 */
public record ClientAssertions(String issuer, ClientLookup clients, SecretOpener secrets, JwksUriFetcher fetcher, Clock clock,
                               boolean tokenEndpointAudience) {

    /** RFC 7523 §2.2: the {@code client_assertion_type} of a JWT. */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** The signature algorithms of private_key_jwt; never {@code none}, never an HMAC (which would key it with a public key). */
    public static final List<JWSAlgorithm> KEY_ALGORITHMS = List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    /** The HMACs of client_secret_jwt; a client_secret_jwt secret is long enough for each. */
    public static final List<JWSAlgorithm> SECRET_ALGORITHMS = List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);

    /** Every algorithm a client's JWT may be signed with here, by its keys or its secret. */
    public static final List<JWSAlgorithm> ALGORITHMS = java.util.stream.Stream.concat(KEY_ALGORITHMS.stream(), SECRET_ALGORITHMS.stream()).toList();

    /** Where the token endpoint is under the issuer, for the audience the older texts suggested. */
    private static final String TOKEN_ENDPOINT_PATH = "/oauth2/token";

    /** How far the client's clock may be from the server's. */
    static final Duration LEEWAY = Duration.ofSeconds(60);

    /**
     * The longest an assertion may live: it is made for one request, and the server must remember
     * its jti until it expires, so a far-off exp would be a replay window and a growing table.
     */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(10);

    /** Opens a client_secret_jwt client's sealed secret. */
    public interface SecretOpener {
        String open(ClientId clientId, String sealed);
    }

    /**
     * The client that {@code assertion} proves, or invalid_client saying why not. A {@code client_id}
     * sent beside it must name the same client (RFC 7521 §4.2).
     */
    AuthenticatedClient authenticate(String assertion, Optional<String> clientIdParameter) {
        SignedJWT jwt = parse(assertion);
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refused("its claims are not a JSON object");
        }
        String iss = claims.getIssuer();
        String sub = claims.getSubject();
        if (iss == null || sub == null) throw refused("it must have iss and sub, both the client_id");
        if (!iss.equals(sub)) throw refused("its iss and sub must both be the client_id");
        if (clientIdParameter.isPresent() && !clientIdParameter.get().equals(iss)) {
            throw refused("its iss and sub differ from the client_id parameter");
        }
        Client client = clients.find(iss).orElseThrow(() -> OAuthException.invalidClient("client authentication failed"));
        JwtClientAuth auth = client.jwtAuth().orElseThrow(() -> OAuthException.invalidClient(
                "the client is registered for " + client.authMethod().wireName() + ", not for JWT client authentication"));

        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        List<JWSAlgorithm> allowed = algorithms(auth.method());
        if (!allowed.contains(alg)) {
            throw refused("its alg " + alg.getName() + " is not one a " + auth.method().wireName() + " client may use ("
                    + String.join(", ", allowed.stream().map(JWSAlgorithm::getName).toList()) + ")");
        }
        boolean verified = auth.method() == ClientAuthMethod.PRIVATE_KEY_JWT
                ? verifyWithKeys(jwt, auth, ClientAssertions::refused)
                : verify(jwt, macVerifier(client.id(), auth, ClientAssertions::refused));
        if (!verified) throw refused("its signature does not verify with the client's " + (auth.method() == ClientAuthMethod.PRIVATE_KEY_JWT ? "keys" : "secret"));

        checkClaims(claims, client.id());
        Method method = auth.method() == ClientAuthMethod.PRIVATE_KEY_JWT ? Method.PRIVATE_KEY_JWT : Method.CLIENT_SECRET_JWT;
        return new AuthenticatedClient(client, method);
    }

    private static SignedJWT parse(String assertion) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(assertion);
        } catch (ParseException e) {
            throw refused("it is not a JWT");
        }
        if (jwt instanceof PlainJWT) throw refused("it is unsigned (alg none)");
        if (!(jwt instanceof SignedJWT signed)) throw refused("it must be a signed JWT, not an encrypted one");
        return signed;
    }

    /** RFC 7523 §3 items 3 to 7: audience, expiry, not before, issued at, and a jti used once. */
    private void checkClaims(JWTClaimsSet claims, ClientId clientId) {
        Instant now = clock.instant();
        List<String> audience = claims.getAudience();
        boolean accepted = audience.size() == 1 && (issuer.equals(audience.get(0))
                || tokenEndpointAudience && (issuer + TOKEN_ENDPOINT_PATH).equals(audience.get(0)));
        if (!accepted) {
            throw refused("its aud must be the issuer identifier " + issuer + (tokenEndpointAudience ? " or the token endpoint's URL" : "")
                    + ", alone");
        }
        Instant exp = instant(claims.getExpirationTime()).orElseThrow(() -> refused("it must have exp"));
        if (!exp.plus(LEEWAY).isAfter(now)) throw refused("it has expired");
        if (exp.isAfter(now.plus(MAX_LIFETIME).plus(LEEWAY))) {
            throw refused("its exp is more than " + MAX_LIFETIME.toMinutes() + " minutes away");
        }
        Optional<Instant> nbf = instant(claims.getNotBeforeTime());
        if (nbf.isPresent() && nbf.get().isAfter(now.plus(LEEWAY))) throw refused("it is not valid yet (nbf)");
        Optional<Instant> iat = instant(claims.getIssueTime());
        if (iat.isPresent() && iat.get().isAfter(now.plus(LEEWAY))) throw refused("its iat is in the future");
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty()) throw refused("it must have a jti");
        // Remembered as long as the assertion would still be accepted; the insert is the check.
        if (!clients.recordAssertion(clientId, Hashes.tokenHash(jti), exp.plus(LEEWAY))) {
            throw refused("its jti was already used: an assertion is good for one request");
        }
    }

    /**
     * The client's keys that could have made this signature: the one its kid names (any, without a
     * kid), of the alg's key type and curve, meant for signing. A kid the client's jwks_uri set
     * lacks fetches the set again (rate limited), for a client that has just rotated its keys.
     */
    private boolean verifyWithKeys(SignedJWT jwt, JwtClientAuth auth, Function<String, OAuthException> refused) {
        String kid = jwt.getHeader().getKeyID();
        JWKSet keys;
        if (auth.jwksUri().isPresent()) {
            keys = fetcher.keys(auth.jwksUri().get());
            if (kid != null && keys.getKeyByKeyId(kid) == null) keys = fetcher.refreshed(auth.jwksUri().get());
        } else {
            keys = ClientKeys.parsePublic(auth.jwks().orElseThrow());
        }
        List<JWK> candidates = keys.getKeys().stream().filter(key -> matches(key, jwt.getHeader().getAlgorithm(), kid)).toList();
        if (candidates.isEmpty()) {
            throw refused.apply(kid == null ? "no key of the client is for alg " + jwt.getHeader().getAlgorithm().getName()
                    : "no key of the client has kid " + kid + " for alg " + jwt.getHeader().getAlgorithm().getName());
        }
        for (JWK key : candidates) {
            if (verify(jwt, verifier(key, refused))) return true;
        }
        return false;
    }

    private static boolean matches(JWK key, JWSAlgorithm alg, String kid) {
        if (kid != null && !kid.equals(key.getKeyID())) return false;
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) return false;
        if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) return false;
        if (JWSAlgorithm.Family.RSA.contains(alg)) return key instanceof RSAKey;
        if (JWSAlgorithm.Family.EC.contains(alg)) return key instanceof ECKey ec && Curve.forJWSAlgorithm(alg).contains(ec.getCurve());
        return false;
    }

    private static JWSVerifier verifier(JWK key, Function<String, OAuthException> refused) {
        try {
            return key instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) key);
        } catch (JOSEException e) {
            throw refused.apply("a key of the client cannot verify signatures");
        }
    }

    private JWSVerifier macVerifier(ClientId clientId, JwtClientAuth auth, Function<String, OAuthException> refused) {
        String secret = secrets.open(clientId, auth.sealedSecret().orElseThrow(() -> refused.apply("the client has no secret for client_secret_jwt")));
        try {
            return new MACVerifier(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw refused.apply("the client's secret is too short for its alg");
        }
    }

    /**
     * Whether {@code jwt}, a JWT of {@code auth}'s client other than an assertion (a request object,
     * RFC 9101 §6.2), carries the client's signature: by a key of its registered set, fetched from its
     * jwks_uri as for assertions, or by an HMAC of its client_secret_jwt secret. The caller has checked
     * that the alg is one the client's method allows; {@code refused} makes the error of each reason
     * the keys cannot be used, a key set that cannot be fetched among them.
     */
    public boolean verifySignature(SignedJWT jwt, ClientId clientId, JwtClientAuth auth, Function<String, OAuthException> refused) {
        if (auth.method() != ClientAuthMethod.PRIVATE_KEY_JWT) return verify(jwt, macVerifier(clientId, auth, refused));
        try {
            return verifyWithKeys(jwt, auth, refused);
        } catch (OAuthException e) {
            if (e.error() == dev.castgate.error.OAuthError.INVALID_CLIENT) throw refused.apply(e.description());
            throw e;
        }
    }

    /** The algorithms a client registered for {@code method} signs with: keys for private_key_jwt, HMACs for client_secret_jwt. */
    public static List<JWSAlgorithm> algorithms(ClientAuthMethod method) {
        return method == ClientAuthMethod.PRIVATE_KEY_JWT ? KEY_ALGORITHMS : SECRET_ALGORITHMS;
    }

    private static boolean verify(SignedJWT jwt, JWSVerifier verifier) {
        try {
            return jwt.verify(verifier);
        } catch (JOSEException e) {
            return false;
        }
    }

    private static Optional<Instant> instant(Date date) { return Optional.ofNullable(date).map(Date::toInstant); }

    private static OAuthException refused(String why) {
        return OAuthException.invalidClient("the client assertion was refused: " + why);
    }
}
