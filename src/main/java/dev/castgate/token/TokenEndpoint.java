package dev.castgate.token;

import dev.castgate.clientauth.AuthenticatedClient;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.Audience;
import dev.castgate.domain.GrantType;
import dev.castgate.dpop.DpopProof;
import dev.castgate.dpop.DpopProofs;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Form;
import dev.castgate.http.Json;
import dev.castgate.http.TextRule;
import dev.castgate.resource.ResourceIndicators;
import io.javalin.http.Context;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** POST /oauth2/token (RFC 6749 §3.2). */
public final class TokenEndpoint {
    /** RFC 6749 §5.2: error_description holds only these characters; a grant type is echoed only if it fits, and briefly. */
    private static final Pattern ECHOABLE = Pattern.compile("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");

    private final TokenIssuer issuer;
    private final ResourceIndicators resources;
    private final DpopProofs dpop;
    private final Map<GrantType, GrantHandler> grants = new EnumMap<>(GrantType.class);

    public TokenEndpoint(TokenIssuer issuer, ResourceIndicators resources, DpopProofs dpop, List<GrantHandler> handlers) {
        this.issuer = issuer;
        this.resources = resources;
        this.dpop = dpop;
        for (GrantHandler handler : handlers) grants.put(handler.grantType(), handler);
    }

    /** The form is parsed and the client authenticated by the router, as the route declares. */
    public void handle(Context ctx, Form form, AuthenticatedClient client) {
        String rawType = form.require("grant_type");
        GrantHandler handler = GrantType.find(rawType).map(grants::get).orElseThrow(() ->
                new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, ECHOABLE.matcher(rawType).matches()
                        ? "grant_type " + rawType + " is not supported"
                        : "the grant_type is not supported"));
        client.requireGrantType(handler.grantType());
        AccessTokenFormat format = requestedFormat(form).orElse(client.client().accessTokenFormat());
        // RFC 9449 §5: a proof binds the access token to its key; a client registered for bound tokens must send one.
        Optional<DpopProof> proof = dpop.atAuthorizationServer(ctx);
        if (proof.isEmpty() && client.client().dpopBoundAccessTokens()) throw DpopProofs.required();
        Issuance issuance = handler.validate(new TokenRequest(form, client, format, ctx.ip(), proof));
        List<String> named = form.all("resource", TextRule.DEFAULT);
        if (!named.isEmpty()) issuance = forResources(issuance, named);
        if (proof.isPresent()) issuance = issuance.boundTo(proof.get());
        TokenResponse response = issuer.issue(issuance);
        Json.respond(ctx, 200, response.toJson());
    }

    /**
     * RFC 8707 §2.2: the access token is for the resources named, which a new grant is for as well,
     * and which must be among an existing grant's; a resource registered with scopes narrows the
     * token's scope. Asked only when the request names a resource.
     */
    private Issuance forResources(Issuance issuance, List<String> values) {
        Audience named = resources.parse(values);
        if (!issuance.newGrant()) resources.requireGranted(named, issuance.grant().resources());
        return issuance.forResources(named, resources.scopeFor(named, issuance.scope()));
    }

    /**
     * The original service's {@code token_type} parameter: {@code jwt} asks for a JWT access token
     * (RFC 9068); {@code bearer}, which its older clients send, leaves the client's setting in force.
     */
    private static Optional<AccessTokenFormat> requestedFormat(Form form) {
        Optional<String> raw = form.optional("token_type");
        if (raw.isEmpty() || raw.get().equals("bearer")) return Optional.empty();
        if (raw.get().equals("jwt")) return Optional.of(AccessTokenFormat.JWT);
        throw OAuthException.invalidRequest("token_type must be bearer or jwt");
    }
}
