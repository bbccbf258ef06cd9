package dev.castgate.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.crypto.RandomTokens;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** User codes (RFC 8628 §6.1): drawn from 20 consonants, shown with a dash, typed any way. */
class UserCodesTest {
    @Test
    void generatedCodesUseOnlyTheAlphabetAndAllOfIt() {
        RandomTokens random = RandomTokens.secure();
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            String code = UserCodes.generate(random);
            assertThat(code).matches("[BCDFGHJKLMNPQRSTVWXZ]{8}");
            for (char c : code.toCharArray()) seen.add(c);
        }
        assertThat(seen).hasSize(20);
    }

    @Test
    void displayedWithADash() {
        assertThat(UserCodes.display("WDJBMJHT")).isEqualTo("WDJB-MJHT");
    }

    @Test
    void typedInAnyCaseWithOrWithoutTheDash() {
        assertThat(UserCodes.normalise("WDJB-MJHT")).contains("WDJBMJHT");
        assertThat(UserCodes.normalise("wdjbmjht")).contains("WDJBMJHT");
        assertThat(UserCodes.normalise(" wdjb mjht ")).contains("WDJBMJHT");
        assertThat(UserCodes.normalise("Wdjb-Mjht")).contains("WDJBMJHT");
    }

    @Test
    void anythingElseIsNoCode() {
        assertThat(UserCodes.normalise("")).isEqualTo(Optional.empty());
        assertThat(UserCodes.normalise("WDJB-MJH")).isEmpty();
        assertThat(UserCodes.normalise("WDJB-MJHTX")).isEmpty();
        assertThat(UserCodes.normalise("AEIO-UYAE")).isEmpty();
        assertThat(UserCodes.normalise("WDJB\u0000MJHT")).isEmpty();
        assertThat(UserCodes.normalise("W".repeat(100))).isEmpty();
    }

    @Test
    void theSameCodeHashesTheSameWhateverWasTyped() {
        assertThat(UserCodes.hash(UserCodes.normalise("wdjb-mjht").orElseThrow()).value())
                .isEqualTo(UserCodes.hash("WDJBMJHT").value()).matches("[0-9a-f]{64}");
    }
}
