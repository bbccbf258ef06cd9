package dev.castgate.authorize;

import dev.castgate.clientauth.AuthenticatedClient;
import dev.castgate.dpop.DpopProof;
import dev.castgate.dpop.DpopProofs;
import dev.castgate.http.Form;
import dev.castgate.http.Json;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * POST /oauth2/par (RFC 9126 §2). The client authenticates as at the token endpoint (the router
 * does that first), then pushes the parameters of an authorization request, which are checked
 * as the authorization endpoint checks them. The answer (§2.2): 201 with the {@code request_uri}
 * to send the browser to {@code /authorize} with, and its lifetime; errors are JSON as at the
 * token endpoint (§2.3). A DPoP proof sent with it binds the code to its key (RFC 9449 §10.1).
 */
public record PushedAuthorizationRequestEndpoint(PushedRequests requests, DpopProofs dpop) {
    public void handle(Context ctx, Form form, AuthenticatedClient client) {
        // RFC 9449 §10.1: a proof here binds the code to its key. It is not recorded as used: a
        // replay could only push the same request again, and its htu makes it good nowhere else.
        Optional<String> provenKey = dpop.atAuthorizationServer(ctx).map(DpopProof::jkt);
        PushedRequests.Pushed pushed = requests.push(client.client(), form, provenKey);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_uri", pushed.requestUri());
        body.put("expires_in", pushed.expiresIn());
        Json.respond(ctx, 201, body);
    }
}
