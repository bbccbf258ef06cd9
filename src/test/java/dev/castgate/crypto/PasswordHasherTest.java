package dev.castgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Argon2id in the PHC string format. */
class PasswordHasherTest {
    private static PasswordHasher hasher;

    @BeforeAll
    static void create() { hasher = new PasswordHasher(RandomTokens.secure()); }

    @Test
    void hashIsAnArgon2idPhcString() {
        String phc = hasher.hash("correct horse battery");
        // $argon2id$v=19$m=19456,t=2,p=1$<16-byte salt>$<32-byte hash>, base64 without padding
        assertThat(phc).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        String[] parts = phc.split("\\$");
        assertThat(Base64.getDecoder().decode(parts[4])).hasSize(16);
        assertThat(Base64.getDecoder().decode(parts[5])).hasSize(32);
        assertThat(phc).doesNotContain("correct horse battery");
    }

    @Test
    void verifiesTheRightPasswordOnly() {
        String phc = hasher.hash("correct horse battery");
        assertThat(hasher.verify("correct horse battery", phc)).isTrue();
        assertThat(hasher.verify("correct horse batterY", phc)).isFalse();
        assertThat(hasher.verify("correct horse battery ", phc)).isFalse();
        assertThat(hasher.verify("", phc)).isFalse();
    }

    @Test
    void saltsDifferSoEqualPasswordsHashDifferently() {
        String a = hasher.hash("same password");
        String b = hasher.hash("same password");
        assertThat(a).isNotEqualTo(b);
        assertThat(a.split("\\$")[4]).isNotEqualTo(b.split("\\$")[4]);
        assertThat(hasher.verify("same password", a)).isTrue();
        assertThat(hasher.verify("same password", b)).isTrue();
    }

    @Test
    void passwordsAreHashedAsUtf8() {
        String phc = hasher.hash("pässwörd 🔑");
        assertThat(hasher.verify("pässwörd 🔑", phc)).isTrue();
        assertThat(hasher.verify("passwort 🔑", phc)).isFalse();
    }

    @Test
    void verifiesAHashMadeByTheReferenceImplementation() {
        // phc-winner-argon2's README example: argon2 somesalt -id -t 2 -m 16 -p 1 -l 32, password "password".
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(hasher.verify("password", reference)).isTrue();
        assertThat(hasher.verify("passwore", reference)).isFalse();
    }

    @Test
    void otherFormatsAreNotAccepted() {
        String phc = hasher.hash("correct horse battery");
        assertThat(hasher.verify("correct horse battery", "not a hash")).isFalse();
        assertThat(hasher.verify("correct horse battery", "")).isFalse();
        assertThat(hasher.verify("correct horse battery", phc.replace("$argon2id$", "$argon2i$"))).isFalse();
        assertThat(hasher.verify("correct horse battery", phc.replace("m=19456,", "m=19456,x=1,"))).isFalse();
        assertThat(hasher.verify("correct horse battery", phc.substring(0, phc.lastIndexOf('$')))).isFalse();
    }

    @Test
    void decoyVerificationDoesNotThrow() {
        hasher.verifyDecoy("anything");
    }
}
