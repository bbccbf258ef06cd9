package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * An issued authorization code, stored by hash. {@code redirectUriGiven} records whether the
 * authorization request named its redirect URI, which decides whether the token request must too.
 * {@code dpopJkt}: the key whose proof its token request must carry (RFC 9449 §10), if the request named one.
 */
public record AuthorizationCode(
        TokenHash hash,
        GrantId grantId,
        ClientId clientId,
        UserId userId,
        String redirectUri,
        boolean redirectUriGiven,
        Scope scope,
        Optional<String> nonce,
        Optional<String> codeChallenge,
        Instant authTime,
        Instant expiresAt,
        Optional<String> dpopJkt) {}
