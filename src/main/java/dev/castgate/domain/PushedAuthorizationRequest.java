package dev.castgate.domain;

import java.time.Instant;

/**
 * An authorization request a client pushed (RFC 9126 §2): kept under the hash of its
 * {@code request_uri}'s random part, for its client, until it expires. {@code parameters} is the
 * validated request, form-encoded, without the client's credentials.
 */
public record PushedAuthorizationRequest(TokenHash hash, ClientId clientId, String parameters, Instant expiresAt) {}
