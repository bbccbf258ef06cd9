package dev.castgate.authorize;

import dev.castgate.domain.Audience;
import dev.castgate.domain.ClaimsRequest;
import dev.castgate.domain.Client;
import dev.castgate.domain.ResponseMode;
import dev.castgate.domain.Scope;
import dev.castgate.error.AuthorizationErrorResponse;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A validated authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636 §4.3).
 * {@code acrValues} and {@code claims} are kept as sent, for the forms that carry the request on;
 * {@code acr} is what they ask of the sign-in, {@code requestedClaims} the person claims
 * {@code claims} names ({@link ClaimsParameter}). {@code pushed}: the client sent it itself, pushed
 * (RFC 9126) or in a signed request object (RFC 9101), so the forms that carry it on carry it sealed
 * ({@link PushedRequests}). {@code responseMode}: how
 * the answer, or a refusal, goes back ({@code response_mode}; the query unless asked otherwise).
 * {@code resources}: the resources it names (RFC 8707), which its grant's tokens are for.
 * {@code dpopJkt}: the key whose DPoP proof the code's token request must carry (RFC 9449 §10),
 * named by {@code dpop_jkt} or by the proof a pushed request came with.
 */
public record AuthorizationRequest(
        ResponseType responseType,
        Client client,
        String redirectUri,
        boolean redirectUriGiven,
        Scope scope,
        Optional<String> state,
        Optional<String> nonce,
        Optional<String> codeChallenge,
        Set<Prompt> prompt,
        Optional<Long> maxAge,
        Optional<String> loginHint,
        Optional<String> deviceName,
        Optional<String> acrValues,
        Optional<String> claims,
        AcrRequest acr,
        ClaimsRequest requestedClaims,
        boolean pushed,
        ResponseMode responseMode,
        Audience resources,
        Optional<String> dpopJkt) {

    /**
     * {@code code} (RFC 6749 §4.1), or the original service's implicit flow, {@code token}
     * (§4.2), for clients registered for it, with the token in the redirect's query as it sent it.
     */
    public enum ResponseType {
        CODE("code"), TOKEN("token");

        private final String wireName;

        ResponseType(String wireName) { this.wireName = wireName; }

        public String wireName() { return wireName; }
    }

    public AuthorizationRequest {
        prompt = prompt.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(prompt));
    }

    /** The refusal of this request, sent back to its verified redirect URI the way it asked for its answer. */
    public AuthorizationErrorResponse refused(OAuthError error, String description) {
        return new AuthorizationErrorResponse(new OAuthException(error, description), client, redirectUri, state, responseMode);
    }

    public boolean prompts(Prompt value) { return prompt.contains(value); }

    /**
     * What the person consents to: the scope, and the scopes of the claims the request names
     * ({@code claims} asks for them as the scope would), which the consent page lists too.
     */
    public Scope consentScope() { return scope.union(requestedClaims.scopes()); }

    /**
     * The same request once the person has signed in: the consent form posted next must not ask
     * for a sign-in again, whether prompt=login or max_age asked for this one.
     */
    public AuthorizationRequest signedIn() {
        Set<Prompt> rest = EnumSet.noneOf(Prompt.class);
        rest.addAll(prompt);
        rest.remove(Prompt.LOGIN);
        rest.remove(Prompt.SELECT_ACCOUNT);
        return new AuthorizationRequest(responseType, client, redirectUri, redirectUriGiven, scope, state, nonce, codeChallenge,
                rest, Optional.empty(), loginHint, deviceName, acrValues, claims, acr, requestedClaims, pushed, responseMode, resources,
                dpopJkt);
    }

    /** The same request, known to come from its client: pushed, or in its signed request object. */
    AuthorizationRequest asPushed() {
        return new AuthorizationRequest(responseType, client, redirectUri, redirectUriGiven, scope, state, nonce, codeChallenge,
                prompt, maxAge, loginHint, deviceName, acrValues, claims, acr, requestedClaims, true, responseMode, resources, dpopJkt);
    }

    /** The same request, its code bound to the key {@code jkt} (RFC 9449 §10.1: the key of the proof a pushed request came with). */
    AuthorizationRequest boundTo(String jkt) {
        return new AuthorizationRequest(responseType, client, redirectUri, redirectUriGiven, scope, state, nonce, codeChallenge,
                prompt, maxAge, loginHint, deviceName, acrValues, claims, acr, requestedClaims, pushed, responseMode, resources,
                Optional.of(jkt));
    }

    /** The request's wire parameters, for the hidden fields of the login and consent forms. */
    public Map<String, String> toParameters() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", client.id().value());
        if (redirectUriGiven) params.put("redirect_uri", redirectUri);
        params.put("response_type", responseType.wireName());
        if (!scope.isEmpty()) params.put("scope", scope.wireValue());
        state.ifPresent(v -> params.put("state", v));
        nonce.ifPresent(v -> params.put("nonce", v));
        codeChallenge.ifPresent(v -> {
            params.put("code_challenge", v);
            params.put("code_challenge_method", "S256");
        });
        if (!prompt.isEmpty()) {
            params.put("prompt", prompt.stream().map(Prompt::wireName).sorted().collect(Collectors.joining(" ")));
        }
        maxAge.ifPresent(v -> params.put("max_age", Long.toString(v)));
        loginHint.ifPresent(v -> params.put("login_hint", v));
        deviceName.ifPresent(v -> params.put("device_name", v));
        acrValues.ifPresent(v -> params.put("acr_values", v));
        claims.ifPresent(v -> params.put("claims", v));
        if (responseMode != ResponseMode.QUERY) params.put("response_mode", responseMode.wireName());
        // One field for all of them, space-separated: a URI holds no space, and the forms carry one value a name.
        if (!resources.isDefault()) params.put("resource", String.join(" ", resources.resources()));
        dpopJkt.ifPresent(v -> params.put("dpop_jkt", v));
        return params;
    }
}
