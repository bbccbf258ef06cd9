package dev.castgate.token;

import dev.castgate.clientauth.AuthenticatedClient;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.http.Form;

/**
 * What a grant handler gets: the parameters, the authenticated client, the access token format
 * (the request's {@code token_type}, else the client's setting), and the caller's address for the audit trail.
 */
public record TokenRequest(Form form, AuthenticatedClient client, AccessTokenFormat format, String remoteAddress) {}
