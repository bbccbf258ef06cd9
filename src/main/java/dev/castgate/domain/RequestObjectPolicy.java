package dev.castgate.domain;

import java.util.Optional;

/**
 * What a client registered about its request objects (RFC 9101): {@code requireSigned}, its
 * authorization requests are accepted only inside a signed request object (RFC 9101 §10.5,
 * {@code require_signed_request_object}); {@code signingAlg}, the one JWS algorithm its request
 * objects must be signed with (OIDC Dynamic Client Registration §2, {@code request_object_signing_alg}),
 * any the client's keys allow when empty.
 */
public record RequestObjectPolicy(boolean requireSigned, Optional<String> signingAlg) {
    public static final RequestObjectPolicy NONE = new RequestObjectPolicy(false, Optional.empty());
}
