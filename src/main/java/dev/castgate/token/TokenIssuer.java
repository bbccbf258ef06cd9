package dev.castgate.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.castgate.config.ServerConfig.TokenConfig;
import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AccessToken;
import dev.castgate.domain.Audience;
import dev.castgate.domain.Client;
import dev.castgate.domain.Grant;
import dev.castgate.domain.RefreshToken;
import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.domain.UserClaims;
import dev.castgate.domain.UserId;
import dev.castgate.error.OAuthException;
import dev.castgate.keys.SigningKeys;
import dev.castgate.store.IssuanceWriter;
import dev.castgate.store.UserStore;
import dev.castgate.token.Consumption.Consumed;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one issuance step: every token Castgate hands out is minted, stored and answered here. A
 * grant handler says what to issue ({@link Issuance}); this mints the access token (opaque or
 * JWT), the refresh token and the ID token, outside any lock or transaction, then hands the rows
 * to the group-commit writer together with what the request uses up, and answers only after they
 * are committed. Every access token, whatever its format, is stored by the SHA-256 of its whole
 * value, so revocation, introspection and userinfo find either kind with the same point lookup.
 */
public final class TokenIssuer {
    /** ID tokens prove a sign-in to the client at that moment; they need not live as long as access tokens. */
    static final Duration ID_TOKEN_TTL = Duration.ofHours(1);
    /** RFC 9068 §2.1. */
    static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    private static final String HMAC = "HmacSHA256";

    private final String issuer;
    private final TokenConfig config;
    private final SigningKeys keys;
    private final RandomTokens random;
    private final Clock clock;
    private final IssuanceWriter writer;
    private final UserStore users;
    private final SecretKeySpec successorKey;

    /**
     * {@code successorSecret} is the key every node shares (see {@link #successorOf}); it comes from
     * the database, so any node derives the same successor. {@code users} tells, when a new grant
     * was not stored, whether its account was disabled.
     */
    public TokenIssuer(String issuer, TokenConfig config, SigningKeys keys, RandomTokens random, Clock clock, IssuanceWriter writer,
                       UserStore users, String successorSecret) {
        this.issuer = issuer;
        this.config = config;
        this.keys = keys;
        this.random = random;
        this.clock = clock;
        this.writer = writer;
        this.users = users;
        this.successorKey = new SecretKeySpec(successorSecret.getBytes(StandardCharsets.US_ASCII), HMAC);
    }

    /**
     * The longest any token Castgate signs lives: ID tokens, and JWT access tokens at the server's
     * lifetime or a client's own ({@code longestClientTtl}). A signing key is published this long
     * after it stopped signing.
     */
    public static Duration longestSignedLifetime(TokenConfig config, Optional<Duration> longestClientTtl) {
        Duration longest = ID_TOKEN_TTL.compareTo(config.accessTokenTtl()) >= 0 ? ID_TOKEN_TTL : config.accessTokenTtl();
        return longestClientTtl.filter(ttl -> ttl.compareTo(longest) > 0).orElse(longest);
    }

    /**
     * Mints, stores and returns the tokens of {@code issuance}; throws the refusal its consumption
     * returned, or invalid_grant (invalid_client for a new grant) when the grant is gone by the
     * time the rows are written: revoked meanwhile, or its client removed. Nothing is issued for
     * a disabled account (see {@link #refusedNewGrant}).
     */
    public TokenResponse issue(Issuance issuance) {
        Client client = issuance.client();
        Grant grant = issuance.grant();
        // Disabling revoked the account's grants; this also refuses one created just before.
        if (issuance.signIn().filter(signIn -> signIn.user().disabled()).isPresent()) {
            throw OAuthException.invalidGrant("the grant was revoked");
        }
        Scope scope = issuance.scope();
        Instant now = clock.instant();
        Duration accessTtl = client.accessTokenTtl().orElse(config.accessTokenTtl());
        Instant expiresAt = now.plus(accessTtl);
        String accessToken = switch (issuance.format()) {
            case OPAQUE -> random.hex40();
            case JWT -> jwtAccessToken(client, grant, scope, issuance.audience(), issuance.signIn().map(Issuance.SignIn::authTime),
                    issuance.boundTo(), now, expiresAt);
        };
        Optional<String> refreshToken = !issuance.wantsRefreshToken() ? Optional.empty() : Optional.of(switch (issuance.refresh()) {
            case Issuance.RefreshPlan.Rotate rotate -> successorOf(rotate.presented());
            case Issuance.RefreshPlan.New fresh -> random.hex40();
            case Issuance.RefreshPlan.None none -> throw new IllegalStateException("no refresh token is planned");
        });
        Optional<String> idToken = issuance.wantsIdToken()
                ? Optional.of(idToken(client, grant, scope, issuance.signIn().orElseThrow(), accessToken, now))
                : Optional.empty();

        IssuanceWriter.Rows rows = new IssuanceWriter.Rows(
                issuance.newGrant() ? Optional.of(grant) : Optional.empty(),
                issuance.newGrant() ? Optional.empty() : Optional.of(grant.id()),
                Optional.of(new AccessToken(Hashes.tokenHash(accessToken), grant.id(), client.id(), grant.userId(), scope, now, expiresAt,
                        issuance.audience(), issuance.boundTo())),
                refreshToken.map(value -> new RefreshToken(Hashes.tokenHash(value), grant.id(), client.id(), grant.userId(),
                        grant.scope(), now, now.plus(config.refreshTokenTtl()), Optional.empty(), issuance.refreshBoundTo())),
                now);
        IssuanceWriter.Written<Consumed> written = writer.write(tx -> issuance.consumes().consume(tx, now), consumed -> switch (consumed) {
            case Consumed.Proceed proceed -> rows;
            case Consumed.Retried retried -> new IssuanceWriter.Rows(rows.newGrant(), rows.usedGrantId(), rows.accessToken(),
                    Optional.empty(), now);
            case Consumed.Refused refused -> IssuanceWriter.Rows.NONE;
        });
        if (written.consumed() instanceof Consumed.Refused refused) throw refused.error();
        if (!written.stored()) throw issuance.newGrant() ? refusedNewGrant(issuance) : OAuthException.invalidGrant("the grant was revoked");
        return new TokenResponse(accessToken, issuance.tokenType(), accessTtl.toSeconds(), refreshToken, scope, idToken);
    }

    /**
     * Why a new grant was not stored: its client was removed, or its account is disabled. A
     * client-credentials grant acts for the client's owner, whose being disabled the client is
     * told (RFC 6749 §5.2, unauthorized_client: it may not use this grant now); a person's
     * sign-in that raced the disabling is told its grant is gone. Asked only on this rare path,
     * so a client-credentials token costs no look-up of its owner.
     */
    private OAuthException refusedNewGrant(Issuance issuance) {
        boolean disabled = issuance.grant().userId().flatMap(users::find).filter(User::disabled).isPresent();
        if (!disabled) return OAuthException.invalidClient("client authentication failed");
        return issuance.signIn().isPresent()
                ? OAuthException.invalidGrant("the grant was revoked")
                : OAuthException.unauthorizedClient("the account this client acts for is disabled");
    }

    /**
     * The token a refresh token rotates into: 160 bits of HMAC-SHA256 of it under the nodes'
     * shared key. Deterministic, so a retry within the grace window gets the very successor the
     * first request stored, on whichever node it lands, and the grant's chain never forks; keyed,
     * so a used token, or the database's hashes, reveal nothing about it.
     */
    public String successorOf(String presentedRefreshToken) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(successorKey);
            byte[] digest = mac.doFinal(("refresh-successor:" + presentedRefreshToken).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 20);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * RFC 9068 §2.2. The audience is the resources the client named (RFC 8707), or else the issuer
     * itself, the default resource: the tokens are for this server's own resources (userinfo and
     * the Streaming API). {@code sub} is the person, or
     * the client when a client-credentials grant acts for no account (§2.2, client_credentials).
     * Where a person signed in, the sign-in's {@code auth_time}, {@code acr} and {@code amr} (§2.2.1),
     * which a resource server reads to ask for a stronger one (RFC 9470). A DPoP-bound token names its
     * key's thumbprint in {@code cnf.jkt} (RFC 9449 §6.1).
     */
    private String jwtAccessToken(Client client, Grant grant, Scope scope, Audience audience, Optional<Instant> authTime,
                                  Optional<String> boundTo, Instant now, Instant expiresAt) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .expirationTime(Date.from(expiresAt))
                .audience(audience.isDefault() ? List.of(issuer) : audience.resources())
                .subject(grant.userId().map(UserId::value).orElse(client.id().value()))
                .claim("client_id", client.id().value())
                .issueTime(Date.from(now))
                .jwtID(random.hex40());
        if (!scope.isEmpty()) claims.claim("scope", scope.wireValue());
        boundTo.ifPresent(jkt -> claims.claim("cnf", Map.of("jkt", jkt)));
        authTime.ifPresent(at -> {
            claims.claim("auth_time", at.getEpochSecond());
            signInContext(grant, claims);
        });
        return keys.sign(client.accessTokenAlgorithm(), AT_JWT, claims.build(), "an access token");
    }

    /** OIDC Core §2: how the person signed in, where the grant knows it (grants stored before it was kept do not). */
    private static void signInContext(Grant grant, JWTClaimsSet.Builder claims) {
        grant.acr().ifPresent(acr -> claims.claim("acr", acr.wireName()));
        grant.amr().ifPresent(amr -> claims.claim("amr", amr.amr()));
    }

    /**
     * OIDC Core §2 and §3.1.3.6. The person claims are those the request named for the ID token
     * ({@code claims}, §5.5), and, as the original service did and its SDKs expect, {@code email}
     * and {@code email_verified} with the {@code email} scope unless the client leaves them to
     * userinfo. Other scope claims come from userinfo (§5.4: an access token is issued with it).
     */
    private String idToken(Client client, Grant grant, Scope scope, Issuance.SignIn context, String accessToken, Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(context.user().id().value())
                .audience(client.id().value())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ID_TOKEN_TTL)))
                .claim("auth_time", context.authTime().getEpochSecond())
                .claim("at_hash", atHash(accessToken));
        context.nonce().ifPresent(nonce -> claims.claim("nonce", nonce));
        grant.sid().ifPresent(sid -> claims.claim("sid", sid)); // Back-Channel Logout §2.1
        signInContext(grant, claims);
        Set<String> wanted = new HashSet<>(grant.claims().idToken());
        if (client.emailInIdToken() && scope.contains(Scope.EMAIL)) wanted.addAll(List.of(UserClaims.EMAIL, UserClaims.EMAIL_VERIFIED));
        UserClaims.of(context.user(), wanted).forEach(claims::claim);
        return keys.sign(client.idTokenAlgorithm(), JOSEObjectType.JWT, claims.build(), "an ID token");
    }

    /** OIDC Core §3.1.3.6: base64url of the left half of SHA-256 of the access token (RS256 and ES256 both use SHA-256). */
    static String atHash(String accessToken) {
        byte[] digest = Hashes.sha256(accessToken.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
    }
}
