package dev.castgate.token;

import dev.castgate.clientauth.AuthenticatedClient;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.dpop.DpopProof;
import dev.castgate.http.Form;
import java.util.Optional;

/**
 * What a grant handler gets: the parameters, the authenticated client, the access token format
 * (the request's {@code token_type}, else the client's setting), the caller's address for the
 * audit trail, and the request's DPoP proof (RFC 9449), checked, for the handlers whose code or
 * refresh token is bound to a key.
 */
public record TokenRequest(Form form, AuthenticatedClient client, AccessTokenFormat format, String remoteAddress, Optional<DpopProof> dpop) {
    /** The thumbprint of the key the request proves, if it carries a proof. */
    public Optional<String> provenKey() { return dpop.map(DpopProof::jkt); }
}
