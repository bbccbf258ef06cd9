package dev.castgate.token;

import dev.castgate.clientauth.AuthenticatedClient;
import dev.castgate.http.Form;

/** What a grant handler gets: the parameters, the authenticated client, and the caller's address for the audit trail. */
public record TokenRequest(Form form, AuthenticatedClient client, String remoteAddress) {}
