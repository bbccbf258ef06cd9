package dev.castgate.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.castgate.domain.AuthenticationLevel;
import dev.castgate.error.OAuthException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What acr_values and an acr in claims ask of a sign-in (OIDC Core §3.1.2.1, §5.5.1.1). */
class AcrRequestTest {
    private static final AuthenticationLevel ONE = AuthenticationLevel.PASSWORD;
    private static final AuthenticationLevel TWO = AuthenticationLevel.SECOND_FACTOR;

    private static AcrRequest parse(String acrValues, String claims) {
        return AcrRequest.parse(Optional.ofNullable(acrValues), ClaimsParameter.read(Optional.ofNullable(claims)));
    }

    @Test
    void acrValuesAreVoluntaryInOrderOfPreference() {
        AcrRequest request = parse("urn:other 2 1 2", null);
        assertThat(request).isEqualTo(new AcrRequest(List.of(TWO, ONE), false));
        assertThat(request.prefersSecondFactor()).isTrue();
        assertThat(request.metBy(ONE)).isTrue();
        assertThat(request.reported(ONE)).isEqualTo(ONE);
        assertThat(request.reported(TWO)).isEqualTo(TWO);
        assertThat(parse("1 2", null).prefersSecondFactor()).isFalse();
        assertThat(parse("1 2", null).reported(TWO)).as("the first value asked for that the sign-in meets").isEqualTo(ONE);
        assertThat(parse(null, null)).isEqualTo(AcrRequest.NONE);
        assertThat(AcrRequest.NONE.reported(TWO)).isEqualTo(TWO);
    }

    @Test
    void anEssentialAcrInClaimsMustBeMetAndTakesPrecedence() {
        AcrRequest essential = parse("1", "{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\"2\"]}}}");
        assertThat(essential).isEqualTo(new AcrRequest(List.of(TWO), true));
        assertThat(essential.metBy(ONE)).isFalse();
        assertThat(essential.metBy(TWO)).isTrue();
        assertThat(parse(null, "{\"id_token\":{\"acr\":{\"essential\":true,\"value\":\"urn:x\"}}}").unsatisfiable()).isTrue();
        // Essential without values, or values without essential, asks for nothing that can fail.
        assertThat(parse(null, "{\"id_token\":{\"acr\":{\"essential\":true}}}")).isEqualTo(AcrRequest.NONE);
        assertThat(parse(null, "{\"id_token\":{\"acr\":{\"values\":[\"2\"]}}}")).isEqualTo(new AcrRequest(List.of(TWO), false));
        // Other members are not read; acr_values stands when claims has no acr.
        assertThat(parse("2", "{\"userinfo\":{\"email\":null},\"id_token\":{\"acr\":null}}")).isEqualTo(new AcrRequest(List.of(TWO), false));
    }

    @Test
    void claimsThatAreNoJsonObjectAreInvalidRequest() {
        for (String claims : new String[] {"{", "[]", "\"acr\"", "null", "{\"id_token\":1}x"}) {
            assertThatThrownBy(() -> parse(null, claims)).as(claims).isInstanceOf(OAuthException.class)
                    .hasMessageContaining("claims must be a JSON object");
        }
    }
}
