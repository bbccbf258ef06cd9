package dev.castgate.token;

import dev.castgate.domain.Scope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A successful token response (RFC 6749 §5.1; OIDC Core §3.1.3.3 for id_token). */
public record TokenResponse(
        String accessToken,
        String tokenType,
        long expiresIn,
        Optional<String> refreshToken,
        Scope scope,
        Optional<String> idToken) {

    /** Lower-case, as the original service's clients expect; RFC 6749 §5.1 says the value is case-insensitive. */
    public static final String TOKEN_TYPE = "bearer";
    /** RFC 9449 §5: a DPoP-bound access token's. */
    public static final String DPOP_TOKEN_TYPE = "DPoP";

    public Map<String, Object> toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("token_type", tokenType);
        body.put("expires_in", expiresIn);
        refreshToken.ifPresent(t -> body.put("refresh_token", t));
        if (!scope.isEmpty()) body.put("scope", scope.wireValue()); // RFC 6749 §5.1: optional
        idToken.ifPresent(t -> body.put("id_token", t));
        return body;
    }
}
