package dev.castgate.authorize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.castgate.domain.AuthenticationLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an authorization request asks of the sign-in: the authentication context classes it
 * accepts, in order of preference, from {@code acr_values} (OIDC Core §3.1.2.1) or from an
 * {@code acr} member of {@code claims.id_token} (§5.5.1.1), which takes precedence. Castgate's
 * values are "1" (a password) and "2" (a password and a second factor); others are ignored.
 * Requested so, the values are voluntary: Castgate asks for a second factor when the first
 * known value is "2" and the person has one, and otherwise reports what the sign-in reached.
 * Requested as essential, a sign-in that meets none of them is refused (§5.5.1.1: a failed
 * authentication attempt), with the error {@code unmet_authentication_requirements}.
 *
 * @param levels    the known values asked for, in order of preference
 * @param essential whether {@code claims} asked for the acr as essential, with values
 */
record AcrRequest(List<AuthenticationLevel> levels, boolean essential) {
    static final AcrRequest NONE = new AcrRequest(List.of(), false);

    AcrRequest {
        levels = List.copyOf(levels);
    }

    /** From the request's {@code acr_values} and its {@code claims}, read by {@link ClaimsParameter}. */
    static AcrRequest parse(Optional<String> acrValues, Optional<JsonNode> claims) {
        Optional<JsonNode> acr = claims.map(c -> c.path("id_token").path("acr")).filter(JsonNode::isObject);
        List<String> values = new ArrayList<>();
        acr.ifPresent(member -> {
            if (member.path("value").isTextual()) values.add(member.path("value").asText());
            member.path("values").forEach(v -> { if (v.isTextual()) values.add(v.asText()); });
        });
        boolean essential = acr.map(member -> member.path("essential").asBoolean(false)).orElse(false) && !values.isEmpty();
        if (values.isEmpty()) acrValues.ifPresent(raw -> values.addAll(List.of(raw.split(" "))));
        List<AuthenticationLevel> levels = new ArrayList<>();
        for (String value : values) AuthenticationLevel.find(value).filter(l -> !levels.contains(l)).ifPresent(levels::add);
        return new AcrRequest(levels, essential);
    }

    /** Whether the request prefers a second factor: a sign-in with a password only is stepped up, when the person has one. */
    boolean prefersSecondFactor() {
        return !levels.isEmpty() && levels.get(0) == AuthenticationLevel.SECOND_FACTOR;
    }

    /** Whether a sign-in at {@code reached} may complete the request: always, unless the acr is essential and none is met. */
    boolean metBy(AuthenticationLevel reached) {
        return !essential || levels.stream().anyMatch(reached::satisfies);
    }

    /** Whether no sign-in can meet it: essential, with none of Castgate's values among those asked for. */
    boolean unsatisfiable() { return essential && levels.isEmpty(); }

    /** The acr to report (§5.5.1.1: one of the values asked for, when met): the first a sign-in at {@code reached} satisfies, else its own. */
    AuthenticationLevel reported(AuthenticationLevel reached) {
        return levels.stream().filter(reached::satisfies).findFirst().orElse(reached);
    }
}
