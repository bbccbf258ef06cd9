package dev.castgate.authorize;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.castgate.domain.ClaimsRequest;
import dev.castgate.domain.Client;
import dev.castgate.domain.Scope;
import dev.castgate.domain.UserClaims;
import dev.castgate.error.OAuthException;
import dev.castgate.http.Json;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code claims} request parameter (OIDC Core §5.5): a JSON object whose {@code id_token}
 * and {@code userinfo} members name the claims wanted in each place, each with {@code null} or
 * an object ({@code essential}, {@code value}, {@code values}). Castgate returns the person
 * claims it holds ({@link UserClaims}) where they are named; the {@code acr} member is what it
 * asks of the sign-in ({@link AcrRequest}), a {@code sub} with a value the account it must be
 * ({@link #requiredSubject}); {@code sub}, {@code auth_time} and {@code acr} are in every ID token
 * anyway, and other names are ignored (§5.5: a claim the server does not offer is
 * not an error). A value that is no such JSON object is invalid_request.
 */
final class ClaimsParameter {
    private ClaimsParameter() {}

    /** The parameter read, when present; invalid_request unless it is a well-formed claims request. */
    static Optional<JsonNode> read(Optional<String> raw) {
        return raw.map(ClaimsParameter::read);
    }

    private static JsonNode read(String raw) {
        JsonNode claims;
        try {
            claims = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(raw);
        } catch (IOException e) {
            throw OAuthException.invalidRequest("claims must be a JSON object");
        }
        if (claims == null || !claims.isObject()) throw OAuthException.invalidRequest("claims must be a JSON object");
        for (String place : new String[] {"id_token", "userinfo"}) {
            JsonNode members = claims.get(place);
            if (members == null || members.isNull()) continue;
            if (!members.isObject()) throw OAuthException.invalidRequest("claims." + place + " must be a JSON object");
            for (Iterator<Map.Entry<String, JsonNode>> it = members.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                if (!member.getValue().isNull() && !member.getValue().isObject()) {
                    throw OAuthException.invalidRequest("claims." + place + "." + member.getKey() + " must be null or a JSON object");
                }
            }
        }
        return claims;
    }

    /**
     * The person claims it names, for a request with {@code scope} by {@code client}: none
     * without {@code openid} (neither an ID token nor userinfo comes of it), and only those whose
     * scope the client may be granted, as a scope it may not have is never released.
     */
    static ClaimsRequest requested(Optional<JsonNode> claims, Scope scope, Client client) {
        if (claims.isEmpty() || !scope.contains(Scope.OPENID)) return ClaimsRequest.NONE;
        return new ClaimsRequest(named(claims.get().path("id_token"), client), named(claims.get().path("userinfo"), client));
    }

    /**
     * §5.5.1: a {@code sub} asked for with a value in {@code id_token} names the only account the
     * request may be answered for; {@code raw} was read already, so it cannot be malformed here.
     */
    static Optional<String> requiredSubject(Optional<String> raw) {
        return read(raw).map(claims -> claims.path("id_token").path("sub").path("value")).filter(JsonNode::isTextual)
                .map(JsonNode::asText);
    }

    private static Set<String> named(JsonNode members, Client client) {
        Set<String> names = new TreeSet<>();
        members.fieldNames().forEachRemaining(name -> {
            if (UserClaims.releasable(name) && client.allowedScope().contains(UserClaims.scopeOf(name))) names.add(name);
        });
        return names;
    }
}
