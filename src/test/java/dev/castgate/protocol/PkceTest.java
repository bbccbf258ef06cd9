package dev.castgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** PKCE S256 (RFC 7636), checked against the RFC's own example. */
class PkceTest {
    /** RFC 7636 Appendix B. */
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @Test
    void s256OfTheRfcVerifierIsTheRfcChallenge() {
        assertThat(Pkce.s256(VERIFIER)).isEqualTo(CHALLENGE);
    }

    @Test
    void matchesOnlyTheVerifierTheChallengeWasMadeFrom() {
        assertThat(Pkce.matches(VERIFIER, CHALLENGE)).isTrue();
        assertThat(Pkce.matches(VERIFIER.replace('d', 'e'), CHALLENGE)).isFalse();
        // The plain method is not offered: the verifier itself is no valid answer to its own value.
        assertThat(Pkce.matches(VERIFIER, VERIFIER)).isFalse();
        assertThat(Pkce.matches(VERIFIER, CHALLENGE.substring(1))).isFalse();
    }

    @Test
    void verifierIs43To128UnreservedCharacters() {
        assertThat(Pkce.validVerifier(VERIFIER)).isTrue();
        assertThat(Pkce.validVerifier("a".repeat(43))).isTrue();
        assertThat(Pkce.validVerifier("a".repeat(128))).isTrue();
        assertThat(Pkce.validVerifier("A-z.0_9~".repeat(6))).isTrue();
        assertThat(Pkce.validVerifier("a".repeat(42))).isFalse();
        assertThat(Pkce.validVerifier("a".repeat(129))).isFalse();
        assertThat(Pkce.validVerifier("a".repeat(42) + "+")).isFalse();
        assertThat(Pkce.validVerifier("a".repeat(42) + "=")).isFalse();
        assertThat(Pkce.validVerifier("a".repeat(42) + " ")).isFalse();
        assertThat(Pkce.validVerifier("")).isFalse();
    }

    @Test
    void s256ChallengeIs43Base64UrlCharacters() {
        assertThat(Pkce.validChallenge(CHALLENGE)).isTrue();
        assertThat(Pkce.validChallenge(CHALLENGE + "=")).as("padding").isFalse();
        assertThat(Pkce.validChallenge(CHALLENGE.substring(1))).isFalse();
        assertThat(Pkce.validChallenge(CHALLENGE.replace('-', '+'))).as("standard base64").isFalse();
        assertThat(Pkce.validChallenge(CHALLENGE.replace('-', '.'))).isFalse();
        assertThat(Pkce.validChallenge(VERIFIER + "a")).as("a plain verifier is longer than 43").isFalse();
    }
}
