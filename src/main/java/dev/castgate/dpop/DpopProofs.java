package dev.castgate.dpop;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.TokenHash;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.http.PresentedToken;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * DPoP proofs (RFC 9449): the one place that reads the {@code DPoP} header and checks a proof
 * (§4.3), for the token and PAR endpoints, which bind what they issue to the proof's key, and for
 * the protected resources, which accept a bound access token only with a proof of its key (§7).
 *
 * <p>A proof is used once. At the token endpoint its jti is recorded in the database, in the
 * transaction that stores the tokens ({@link dev.castgate.store.TokenStore#recordDpopProof}), so a
 * replay is refused on every node. At the protected resources, whose calls write nothing, each
 * node remembers the proofs it accepted; a proof replayed at another node within the window
 * needs the access token as well, and only repeats the very request it was made for (its method,
 * URI and token are signed). Servers that want that closed too require nonces
 * ({@code dpop.require_nonce}), which end a captured proof's use within two minutes.
 */
public final class DpopProofs {
    public static final String HEADER = "DPoP";
    public static final String NONCE_HEADER = "DPoP-Nonce";
    /** §4.2. */
    static final JOSEObjectType TYPE = new JOSEObjectType("dpop+jwt");
    /** §4.2: asymmetric algorithms only. These are the ones the JDK verifies. */
    public static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);
    /** How the resource servers' challenges list them (§7.1, {@code algs}). */
    public static final String ALGS = ALGORITHMS.stream().map(JWSAlgorithm::getName).collect(Collectors.joining(" "));
    /**
     * How far a proof's {@code iat} may lie from this server's clock, either way (§11.1): enough
     * for a client's clock that is a little off, short enough to keep the record of jtis small.
     */
    static final Duration WINDOW = Duration.ofSeconds(60);
    /** A proof carries one public key and a few claims; an RSA 4096 key with all of them is under 2 KiB. */
    private static final int MAX_LENGTH = 8192;
    private static final int MIN_RSA_BITS = 2048;
    private static final String PRIVATE_KEY = "the DPoP proof's jwk must not hold a private key";

    private final String issuer;
    private final DpopNonces nonces;
    private final boolean nonceRequired;
    private final Clock clock;
    private final Cache<TokenHash, Boolean> seenAtResources;

    /**
     * {@code nonceSecret} is the key every node shares, so any node takes any node's nonces;
     * {@code nonceRequired} makes every proof carry one ({@code dpop.require_nonce}).
     */
    public DpopProofs(String issuer, String nonceSecret, boolean nonceRequired, Clock clock) {
        this.issuer = issuer;
        this.nonces = new DpopNonces(nonceSecret, clock);
        this.nonceRequired = nonceRequired;
        this.clock = clock;
        // Each entry lives as long as its proof could pass the iat check; the bound keeps memory
        // in check under a flood (an evicted proof's request could be replayed only with its token).
        // Twice the window as a sum: Duration.multipliedBy initialises BigDecimal, 30 ms of a start.
        this.seenAtResources = Caffeine.newBuilder().expireAfterWrite(WINDOW.plus(WINDOW)).maximumSize(100_000)
                .ticker(() -> clock.millis() * 1_000_000L).build();
    }

    /**
     * The proof of a request to the token or PAR endpoint (§5, §10.1), checked; empty when the
     * request has none. Its jti is recorded by the caller, with what it issues. A request with a
     * proof gets a fresh nonce with its answer when nonces are required (§8.2).
     */
    public Optional<DpopProof> atAuthorizationServer(Context ctx) {
        Optional<String> header = header(ctx);
        if (header.isEmpty()) return Optional.empty();
        DpopProof proof = check(ctx, issuer, header.get(), Optional.empty());
        if (nonceRequired) ctx.header(NONCE_HEADER, nonces.current());
        return Optional.of(proof);
    }

    /**
     * §7.1 and §7.2: at a protected resource, a token bound to a key ({@code jkt}) is accepted only
     * with the DPoP scheme and a proof of that key, made for this request and this token, and seen
     * here for the first time; a token bound to none only with the Bearer scheme, so neither can be
     * passed off as the other. Refusals carry the scheme's challenge. {@code origin} is where the
     * client sent the request: the issuer's, or the Streaming API's own port's.
     */
    public void requireBinding(Context ctx, String origin, PresentedToken presented, Optional<String> jkt) {
        if (!presented.dpop()) {
            if (jkt.isPresent()) throw OAuthException.invalidToken("the access token is DPoP-bound: send it with the DPoP scheme and a proof");
            return;
        }
        try {
            DpopProof proof = check(ctx, origin, header(ctx).orElseThrow(() -> invalid("a DPoP proof must come with a DPoP access token")),
                    Optional.of(presented.value()));
            if (jkt.isEmpty()) throw OAuthException.invalidToken("the access token is not DPoP-bound: send it with the Bearer scheme");
            if (!jkt.get().equals(proof.jkt())) {
                throw OAuthException.invalidToken("the DPoP proof is not signed with the key the access token is bound to");
            }
            if (seenAtResources.asMap().putIfAbsent(proof.jtiHash(), Boolean.TRUE) != null) throw replayed();
            if (nonceRequired) ctx.header(NONCE_HEADER, nonces.current());
        } catch (OAuthException e) {
            throw e.inDpopChallenge();
        }
    }

    /** §11.1: a proof whose jti was seen before. */
    public static OAuthException replayed() { return invalid("the DPoP proof was used before: make a new one for each request"); }

    /** §5.2: the refusal of a token request without a proof from a client whose tokens must be bound. */
    public static OAuthException required() { return invalid("this client's access tokens are DPoP-bound: send a DPoP proof"); }

    private static OAuthException invalid(String description) { return new OAuthException(OAuthError.INVALID_DPOP_PROOF, description); }

    /** §4.3 check 1: at most one DPoP header. */
    private static Optional<String> header(Context ctx) {
        Enumeration<String> values = ctx.req().getHeaders(HEADER);
        if (values == null || !values.hasMoreElements()) return Optional.empty();
        String first = values.nextElement();
        if (values.hasMoreElements()) throw invalid("send one DPoP header, not several");
        return Optional.of(first);
    }

    /**
     * §4.3 checks 2 to 12, in its order, and §7.1's {@code ath} when {@code accessToken} is given;
     * the request's URI is {@code origin} (the issuer, which may hold a path) with the request's path.
     */
    private DpopProof check(Context ctx, String origin, String value, Optional<String> accessToken) {
        if (value.length() > MAX_LENGTH) throw invalid("the DPoP proof is too long");
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(value);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid(privateKeyInHeader(value) ? PRIVATE_KEY : "the DPoP proof is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!TYPE.equals(header.getType())) throw invalid("the DPoP proof's typ must be dpop+jwt");
        if (!ALGORITHMS.contains(header.getAlgorithm())) throw invalid("the DPoP proof's alg must be one of " + ALGS);
        JWK jwk = header.getJWK();
        if (jwk == null) throw invalid("the DPoP proof's header must carry its public key as jwk");
        if (jwk.isPrivate()) throw invalid(PRIVATE_KEY);
        verifySignature(jwt, jwk);

        String jti = stringClaim(claims, "jti");
        if (jti.length() > 256) throw invalid("the DPoP proof's jti is too long");
        String htm = stringClaim(claims, "htm");
        if (!htm.equals(ctx.method().name())) throw invalid("the DPoP proof's htm is not this request's method");
        String htu = stringClaim(claims, "htu");
        Optional<String> expected = normalized(origin + ctx.path());
        if (expected.isEmpty() || !expected.equals(normalized(htu))) throw invalid("the DPoP proof's htu is not this request's URI");
        Date iatDate = claims.getIssueTime();
        if (iatDate == null) throw invalid("the DPoP proof must have an iat");
        Instant iat = iatDate.toInstant();
        Instant now = clock.instant();
        if (iat.isAfter(now.plus(WINDOW))) throw invalid("the DPoP proof's iat is in the future");
        if (iat.isBefore(now.minus(WINDOW))) throw invalid("the DPoP proof's iat is too old: make a new one for each request");
        Optional<String> nonce = optionalStringClaim(claims, "nonce");
        if (nonce.isPresent() ? !nonces.valid(nonce.get()) : nonceRequired) {
            throw new OAuthException(OAuthError.USE_DPOP_NONCE, nonce.isPresent()
                    ? "the DPoP proof's nonce has expired: use the one given" : "the DPoP proof must carry the nonce given")
                    .withDpopNonce(nonces.current());
        }
        if (accessToken.isPresent()) {
            String ath = optionalStringClaim(claims, "ath").orElseThrow(() -> invalid("the DPoP proof must have an ath"));
            if (!Hashes.constantTimeEquals(ath, accessTokenHash(accessToken.get()))) {
                throw invalid("the DPoP proof's ath is not the hash of this access token");
            }
        }
        String jkt;
        try {
            jkt = jwk.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw invalid("the DPoP proof's jwk has no thumbprint");
        }
        return new DpopProof(jkt, Hashes.tokenHash(jkt + " " + jti), iat.plus(WINDOW));
    }

    /**
     * Whether a proof the JOSE library would not read names a private key in its header's jwk
     * (the library refuses such a header outright), so the client is told the real fault.
     */
    private static boolean privateKeyInHeader(String value) {
        int dot = value.indexOf('.');
        if (dot <= 0) return false;
        try {
            Object jwk = JSONObjectUtils.parse(new Base64URL(value.substring(0, dot)).decodeToString()).get("jwk");
            return jwk instanceof Map<?, ?> members && (members.containsKey("d") || members.containsKey("p"));
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    /** §4.3 checks 5 to 7: the key fits the algorithm, is strong enough, and made the signature. */
    private static void verifySignature(SignedJWT jwt, JWK jwk) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        try {
            JWSVerifier verifier = switch (jwk) {
                case ECKey ec when JWSAlgorithm.Family.EC.contains(alg) -> new ECDSAVerifier(ec);
                case RSAKey rsa when JWSAlgorithm.Family.RSA.contains(alg) && rsa.size() >= MIN_RSA_BITS -> new RSASSAVerifier(rsa);
                default -> throw invalid("the DPoP proof's jwk does not fit its alg");
            };
            if (!jwt.verify(verifier)) throw invalid("the DPoP proof's signature does not verify with its jwk");
        } catch (JOSEException e) {
            throw invalid("the DPoP proof's signature does not verify with its jwk");
        }
    }

    /** §4.2: base64url of the SHA-256 of the access token's ASCII. */
    public static String accessTokenHash(String accessToken) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Hashes.sha256(accessToken.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        return optionalStringClaim(claims, name).filter(v -> !v.isEmpty())
                .orElseThrow(() -> invalid("the DPoP proof must have a " + name));
    }

    private static Optional<String> optionalStringClaim(JWTClaimsSet claims, String name) {
        try {
            return Optional.ofNullable(claims.getStringClaim(name));
        } catch (ParseException e) {
            throw invalid("the DPoP proof's " + name + " must be a string");
        }
    }

    /**
     * §4.3 check 9: the URI without query and fragment, compared after RFC 3986 §6.2.2 and §6.2.3
     * normalisation (case of scheme and host, default port, empty path).
     */
    static Optional<String> normalized(String uri) {
        try {
            URI parsed = new URI(uri);
            String scheme = parsed.getScheme();
            String host = parsed.getHost();
            if (scheme == null || host == null) return Optional.empty();
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = parsed.getPort();
            if ((scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80)) port = -1;
            String path = parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/" : parsed.getRawPath();
            return Optional.of(scheme + "://" + host.toLowerCase(Locale.ROOT) + (port == -1 ? "" : ":" + port) + path);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
