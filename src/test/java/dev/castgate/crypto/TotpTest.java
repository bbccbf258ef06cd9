package dev.castgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.TokenHash;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.Test;

/** RFC 6238's own test values, the window of accepted steps, and the recovery codes' form. */
class TotpTest {
    /** RFC 6238 Appendix B: the SHA-1 key, and for each time its eight-digit code, of which apps show the last six. */
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void rfc6238TestVectors() {
        long[] times = {59L, 1111111109L, 1111111111L, 1234567890L, 2000000000L, 20000000000L};
        String[] codes = {"94287082", "07081804", "14050471", "89005924", "69279037", "65353130"};
        for (int i = 0; i < times.length; i++) {
            assertThat(Totp.code(KEY, Totp.step(Instant.ofEpochSecond(times[i])))).as("T = " + times[i]).isEqualTo(codes[i].substring(2));
        }
    }

    @Test
    void theCodesOfTheStepBeforeAndAfterAreAcceptedAndNoOthers() {
        String secret = Base32.toBase32String(KEY);
        Instant now = Instant.ofEpochSecond(1111111111L);
        long step = Totp.step(now);
        assertThat(Totp.matchingStep(secret, Totp.code(KEY, step), now)).isEqualTo(OptionalLong.of(step));
        assertThat(Totp.matchingStep(secret, Totp.code(KEY, step - 1), now)).isEqualTo(OptionalLong.of(step - 1));
        assertThat(Totp.matchingStep(secret, Totp.code(KEY, step + 1), now)).isEqualTo(OptionalLong.of(step + 1));
        assertThat(Totp.matchingStep(secret, Totp.code(KEY, step - 2), now)).isEmpty();
        assertThat(Totp.matchingStep(secret, Totp.code(KEY, step + 2), now)).isEmpty();
    }

    @Test
    void secretsAre160BitsOfBase32AndCodesSixDigits() {
        String secret = Totp.newSecret(new RandomTokens(new SecureRandom()));
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(Base32.decode(secret)).hasSize(20);
        assertThat(Totp.looksLikeCode(Totp.normalise(" 123 456 "))).isTrue();
        assertThat(Totp.looksLikeCode("12345")).isFalse();
        assertThat(Totp.provisioningUri("login.example.com", "nora smith", secret))
                .isEqualTo("otpauth://totp/login.example.com:nora%20smith?secret=" + secret
                        + "&issuer=login.example.com&algorithm=SHA1&digits=6&period=30");
    }

    @Test
    void recoveryCodesAreTenDistinctAndReadAsTypedInAnyCase() {
        List<String> codes = RecoveryCodes.generate(new RandomTokens(new SecureRandom()));
        assertThat(codes).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[a-z2-7]{4}(-[a-z2-7]{4}){3}"));
        String code = codes.get(0);
        Optional<TokenHash> hash = RecoveryCodes.hashOf(code);
        assertThat(hash).hasValue(Hashes.tokenHash(code.replace("-", "")));
        assertThat(RecoveryCodes.hashOf(" " + code.toUpperCase().replace("-", " ") + " ")).isEqualTo(hash);
        assertThat(RecoveryCodes.hashOf("123456")).isEmpty();
        assertThat(RecoveryCodes.hashOf(code + "a")).isEmpty();
    }
}
