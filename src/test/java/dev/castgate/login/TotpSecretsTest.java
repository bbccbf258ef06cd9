package dev.castgate.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.UserId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** TOTP secrets are stored encrypted, each bound to its account's row, under the server's key. */
class TotpSecretsTest {
    private static final RandomTokens RANDOM = RandomTokens.secure();
    private static final UserId NORA = new UserId("a".repeat(40));
    private static final UserId OTTO = new UserId("b".repeat(40));

    @Test
    void aSecretOpensForItsOwnRowUnderItsOwnKeyOnly() {
        TotpSecrets secrets = new TotpSecrets(TotpSecrets.newKey(RANDOM));
        String secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        String stored = secrets.seal(NORA, secret);
        assertThat(stored).startsWith("v1:").doesNotContain(secret).isNotEqualTo(secrets.seal(NORA, secret));
        assertThat(secrets.open(NORA, stored)).isEqualTo(Optional.of(secret));
        assertThat(secrets.open(OTTO, stored)).as("copied into another account's row").isEmpty();
        assertThat(new TotpSecrets(TotpSecrets.newKey(RANDOM)).open(NORA, stored)).as("under another key").isEmpty();
        assertThat(secrets.open(NORA, secret)).as("stored in the clear").isEmpty();
    }
}
