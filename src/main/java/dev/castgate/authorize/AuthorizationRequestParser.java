package dev.castgate.authorize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.castgate.clientauth.ClientLookup;
import dev.castgate.domain.Audience;
import dev.castgate.domain.Client;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.ResponseMode;
import dev.castgate.domain.Scope;
import dev.castgate.error.AuthorizationErrorResponse;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.error.PageException;
import dev.castgate.http.Form;
import dev.castgate.http.TextRule;
import dev.castgate.protocol.DeviceNames;
import dev.castgate.protocol.Pkce;
import dev.castgate.resource.ResourceIndicators;
import dev.castgate.scope.ScopePolicy;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Raw authorization parameters to an {@link AuthorizationRequest}. The client and redirect URI
 * are checked first and fail as a page (RFC 6749 §4.1.2.1: never redirect to an unverified URI);
 * every later check fails as a redirect to the verified URI, carrying {@code state}.
 */
public final class AuthorizationRequestParser {
    /** Every parameter is one line of at most this many characters; the nonce, kept with the code, fewer. */
    private static final TextRule VALUE = TextRule.line(2048);

    private final ClientLookup clients;
    private final RequestObjects requestObjects;
    private final ResourceIndicators resources;

    public AuthorizationRequestParser(ClientLookup clients, RequestObjects requestObjects, ResourceIndicators resources) {
        this.clients = clients;
        this.requestObjects = requestObjects;
        this.resources = resources;
    }

    public AuthorizationRequest parse(Form form) {
        Client client = requireClient(form);
        if (RequestObjects.present(form)) {
            Form opened;
            try {
                opened = requestObjects.open(form, client);
            } catch (OAuthException e) {
                // The object is not the client's, so nothing in it is: the refusal goes to the redirect
                // URI the parameters outside it name (or the client's only one), else to a page.
                throw refusal(form, client, e, "error.request_object_invalid");
            }
            return parse(opened, client, true);
        }
        return parse(form, client, false);
    }

    private AuthorizationRequest parse(Form form, Client client, boolean signed) {
        boolean redirectUriGiven = form.lenient("redirect_uri").isPresent();
        String redirectUri = requireRedirectUri(form, client, AuthorizationRequestParser::badRequest);
        try {
            AuthorizationRequest request = parseVerified(form, client, redirectUri, redirectUriGiven);
            return signed ? request.asPushed() : request;
        } catch (OAuthException e) {
            throw refusal(form, client, e, null);
        }
    }

    /**
     * {@code e} sent back to the verified redirect URI of {@code form}, the way it asked, with its
     * state; a page saying {@code pageKey}, or why the redirect URI is not verified, when there is none.
     */
    private static RuntimeException refusal(Form form, Client client, OAuthException e, String pageKey) {
        String redirectUri;
        try {
            redirectUri = requireRedirectUri(form, client, AuthorizationRequestParser::badRequest);
        } catch (PageException unverified) {
            return pageKey == null ? unverified : badRequest(pageKey);
        }
        // A refusal travels as the request asked, once that is a mode offered here; else in the query.
        ResponseMode responseMode = form.lenient("response_mode").flatMap(ResponseMode::find).orElse(ResponseMode.QUERY);
        return new AuthorizationErrorResponse(e, client, redirectUri, form.lenient("state").filter(VALUE::accepts), responseMode);
    }

    /**
     * RFC 9126 §2.1: the parameters {@code client} pushed, after it authenticated, checked as
     * {@link #parse} checks a request at the authorization endpoint; every refusal is an
     * {@link OAuthException}, which the pushed authorization request endpoint answers as JSON.
     */
    AuthorizationRequest parsePushed(Form form, Client client) {
        if (form.has("request_uri")) throw OAuthException.invalidRequest("request_uri cannot be pushed"); // RFC 9126 §2.1
        // RFC 9126 §3: a pushed request may be a request object, checked as at the authorization endpoint.
        if (RequestObjects.present(form)) {
            form = requestObjects.open(form, client);
        } else {
            if (requestObjects.requiredOf(client)) throw OAuthException.invalidRequest(SIGNED_OBJECT_REQUIRED);
        }
        boolean redirectUriGiven = form.lenient("redirect_uri").isPresent();
        String redirectUri = requireRedirectUri(form, client, key -> OAuthException.invalidRequest(switch (key) {
            case "error.redirect_repeated" -> "parameter redirect_uri is repeated";
            case "error.redirect_missing" -> "parameter redirect_uri is missing, and the client has more than one registered";
            default -> "redirect_uri is not registered for the client";
        }));
        return parseVerified(form, client, redirectUri, redirectUriGiven);
    }

    /** RFC 9101 §10.5: where signed request objects are required, no request is accepted without one. */
    static final String SIGNED_OBJECT_REQUIRED = "authorization requests must be sent in a signed request object (RFC 9101)";

    /** Whether {@code client}'s requests must come in a signed request object, by the server's rule or the client's. */
    boolean signedObjectRequired(Client client) { return requestObjects.requiredOf(client); }

    private Client requireClient(Form form) {
        if (form.repeated("client_id")) throw badRequest("error.client_repeated");
        String clientId = form.lenient("client_id").orElseThrow(() -> badRequest("error.client_missing"));
        return clients.find(clientId).orElseThrow(() -> badRequest("error.client_unknown"));
    }

    /** The verified redirect URI, or the refusal {@code refused} makes of the reason's message key. */
    private static String requireRedirectUri(Form form, Client client, Function<String, RuntimeException> refused) {
        if (form.repeated("redirect_uri")) throw refused.apply("error.redirect_repeated");
        Optional<String> requested = form.lenient("redirect_uri");
        if (requested.isEmpty()) {
            // RFC 6749 §3.1.2.3: it may be omitted when exactly one is registered.
            if (client.redirectUris().size() == 1) return client.redirectUris().get(0);
            throw refused.apply("error.redirect_missing");
        }
        // No registered redirect URI breaks the rule, and a prefix match must not make one that
        // does: the code keeps its redirect URI in a column of that width.
        return requested.filter(TextRule.REDIRECT_URI::accepts).flatMap(uri -> RedirectUriMatcher.match(client, uri))
                .orElseThrow(() -> refused.apply("error.redirect_unregistered"));
    }

    private AuthorizationRequest parseVerified(Form form, Client client, String redirectUri, boolean redirectUriGiven) {
        for (String name : new String[] {"state", "response_type", "scope", "code_challenge",
                "code_challenge_method", "prompt", "max_age", "login_hint", "device_name", "response_mode", "acr_values", "claims"}) {
            form.optional(name, VALUE);
        }
        Optional<String> nonce = form.optional("nonce", TextRule.NONCE);
        Optional<String> state = form.optional("state");
        AuthorizationRequest.ResponseType responseType = parseResponseType(form.require("response_type"), client);
        ResponseMode responseMode = form.optional("response_mode").map(mode -> ResponseMode.find(mode)
                .orElseThrow(() -> OAuthException.invalidRequest("response_mode " + mode + " is not supported"))).orElse(ResponseMode.QUERY);
        if (responseType == AuthorizationRequest.ResponseType.TOKEN && responseMode == ResponseMode.QUERY_JWT) {
            // JARM §2.3.1: a token must not travel in a URL, not even inside an unencrypted JWT.
            throw OAuthException.invalidRequest("response_mode " + form.require("response_mode") + " cannot carry a token; use form_post.jwt");
        }

        // RFC 8707 §2: invalid_target for a resource that is malformed or unknown; a resource
        // registered with scopes narrows what the person is asked for.
        Audience named = resources.parse(form.all("resource", VALUE).stream()
                // The sign-in and consent forms carry them on in one field, space-separated (see AuthorizationRequest.toParameters).
                .flatMap(value -> Arrays.stream(value.split(" "))).filter(uri -> !uri.isEmpty()).toList());
        Scope scope = resources.scopeFor(named, ScopePolicy.grantable(ScopePolicy.parse(form.optional("scope")), client));
        Optional<String> codeChallenge = responseType == AuthorizationRequest.ResponseType.CODE
                ? parsePkce(form, client) : noPkce(form);
        Optional<String> dpopJkt = parseDpopJkt(form, responseType);
        Set<Prompt> prompt = parsePrompt(form.optional("prompt"));
        Optional<Long> maxAge = form.optional("max_age").map(AuthorizationRequestParser::parseMaxAge);
        Optional<String> loginHint = form.optional("login_hint");
        Optional<String> deviceName = DeviceNames.parse(form.optional("device_name"));
        Optional<String> acrValues = form.optional("acr_values");
        Optional<String> claims = form.optional("claims");
        Optional<JsonNode> claimsRequest = ClaimsParameter.read(claims);
        AcrRequest acr = AcrRequest.parse(acrValues, claimsRequest);
        return new AuthorizationRequest(responseType, client, redirectUri, redirectUriGiven, scope, state, nonce,
                codeChallenge, prompt, maxAge, loginHint, deviceName, acrValues, claims, acr,
                ClaimsParameter.requested(claimsRequest, scope, client), false, responseMode, named, dpopJkt);
    }

    /**
     * RFC 9449 §10: {@code dpop_jkt}, the SHA-256 JWK thumbprint of the key whose proof the code's
     * token request must carry: 43 base64url characters. The implicit flow issues no code to bind.
     */
    private static Optional<String> parseDpopJkt(Form form, AuthorizationRequest.ResponseType responseType) {
        Optional<String> jkt = form.optional("dpop_jkt");
        if (jkt.isEmpty()) return jkt;
        if (responseType != AuthorizationRequest.ResponseType.CODE) throw OAuthException.invalidRequest("dpop_jkt applies only to response_type=code");
        if (!jkt.get().matches("[A-Za-z0-9_-]{43}")) {
            throw OAuthException.invalidRequest("dpop_jkt must be a SHA-256 JWK thumbprint: 43 base64url characters");
        }
        return jkt;
    }

    /**
     * {@code code}; or {@code token} for a client registered for the implicit flow. RFC 6749
     * §4.2.2.1: a client not authorized to obtain a token this way gets unauthorized_client,
     * since the server does support the response type; any other value is unsupported_response_type.
     */
    private static AuthorizationRequest.ResponseType parseResponseType(String raw, Client client) {
        switch (raw) {
            case "code" -> {
                if (!client.allows(GrantType.AUTHORIZATION_CODE)) {
                    throw OAuthException.unauthorizedClient("the client is not allowed to use the authorization code grant");
                }
                return AuthorizationRequest.ResponseType.CODE;
            }
            case "token" -> {
                if (!client.legacy().implicit()) {
                    throw OAuthException.unauthorizedClient("the client is not allowed to use the implicit flow (response_type=token)");
                }
                return AuthorizationRequest.ResponseType.TOKEN;
            }
            default -> throw new OAuthException(OAuthError.UNSUPPORTED_RESPONSE_TYPE,
                    raw.length() <= 40 ? "response_type " + raw + " is not supported" : "the response_type is not supported");
        }
    }

    /** The implicit flow issues no code, so there is nothing for PKCE to bind. */
    private static Optional<String> noPkce(Form form) {
        if (form.has("code_challenge") || form.has("code_challenge_method")) {
            throw OAuthException.invalidRequest("code_challenge applies only to response_type=code");
        }
        return Optional.empty();
    }

    /**
     * RFC 7636 §4.3; S256 only, and required for native clients (RFC 9700 §2.1.1). A client
     * registered for the original service's PKCE {@code plain} may also send a plain challenge, or
     * none for the method (which means plain, §4.3). A plain challenge is the verifier itself, so
     * it is kept as its S256 transform: the token endpoint then checks both methods alike, and
     * the forms that carry the request on name S256.
     */
    private static Optional<String> parsePkce(Form form, Client client) {
        Optional<String> challenge = form.optional("code_challenge");
        Optional<String> method = form.optional("code_challenge_method");
        boolean plainAllowed = client.legacy().pkcePlain();
        String required = plainAllowed ? "S256 or plain" : "S256";
        if (method.isPresent() && !method.get().equals("S256") && !(plainAllowed && method.get().equals("plain"))) {
            throw OAuthException.invalidRequest("code_challenge_method must be " + required);
        }
        if (challenge.isEmpty()) {
            if (method.isPresent()) throw OAuthException.invalidRequest("code_challenge_method was sent without code_challenge");
            if (client.requiresPkce()) throw OAuthException.invalidRequest("native clients must send a code_challenge (PKCE with " + required + ")");
            return Optional.empty();
        }
        if (method.isEmpty() || method.get().equals("plain")) {
            // RFC 7636 §4.3: a missing method means plain, which only such clients are offered.
            if (!plainAllowed) throw OAuthException.invalidRequest("code_challenge_method must be S256");
            // RFC 7636 §4.2: with plain, the challenge is the verifier and follows its syntax.
            if (!Pkce.validVerifier(challenge.get())) {
                throw OAuthException.invalidRequest("a plain code_challenge must be 43 to 128 unreserved characters");
            }
            return Optional.of(Pkce.s256(challenge.get()));
        }
        if (!Pkce.validChallenge(challenge.get())) {
            throw OAuthException.invalidRequest("code_challenge must be 43 base64url characters");
        }
        return challenge;
    }

    private static Set<Prompt> parsePrompt(Optional<String> raw) {
        Set<Prompt> prompt = EnumSet.noneOf(Prompt.class);
        if (raw.isEmpty()) return prompt;
        for (String value : raw.get().split(" ")) {
            if (value.isEmpty()) continue;
            prompt.add(Prompt.find(value).orElseThrow(() -> OAuthException.invalidRequest("prompt " + value + " is not supported")));
        }
        // OIDC Core §3.1.2.1: none must stand alone.
        if (prompt.contains(Prompt.NONE) && prompt.size() > 1) {
            throw OAuthException.invalidRequest("prompt none cannot be combined with other values");
        }
        return prompt;
    }

    private static long parseMaxAge(String raw) {
        if (!raw.matches("\\d{1,10}")) throw OAuthException.invalidRequest("max_age must be a non-negative number of seconds");
        return Long.parseLong(raw);
    }

    private static PageException badRequest(String messageKey) {
        return new PageException(400, "error.invalid_link.title", messageKey);
    }
}
