package dev.castgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** AES-256-GCM with the value's place as associated data, in the {@code v1:} format. */
class KeyEncryptionKeyTest {
    private final KeyEncryptionKey key = KeyEncryptionKey.generate();

    @Test
    void aSealedValueIsTheVersionAndTheNonceCiphertextAndTagInBase64() {
        String sealed = key.seal("server_secrets:ingest_keys", "a secret");
        assertThat(sealed).startsWith("v1:").doesNotContain("a secret");
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(3));
        assertThat(bytes).hasSize(12 + "a secret".length() + 16);
        assertThat(key.open("server_secrets:ingest_keys", sealed)).contains("a secret");
        assertThat(KeyEncryptionKey.isSealed(sealed)).isTrue();
    }

    @Test
    void eachSealingHasItsOwnNonce() {
        String a = key.seal("server_secrets:ingest_keys", "a secret");
        String b = key.seal("server_secrets:ingest_keys", "a secret");
        assertThat(a).isNotEqualTo(b);
        assertThat(Arrays.copyOf(Base64.getDecoder().decode(a.substring(3)), 12))
                .isNotEqualTo(Arrays.copyOf(Base64.getDecoder().decode(b.substring(3)), 12));
    }

    @Test
    void aValueOpensOnlyWithItsKeyForItsPlaceAndUnaltered() {
        String sealed = key.seal("signing_keys:kid-1", "{\"d\":\"private\"}");
        assertThat(key.open("signing_keys:kid-2", sealed)).as("another row").isEmpty();
        assertThat(key.open("server_secrets:kid-1", sealed)).as("another table").isEmpty();
        assertThat(KeyEncryptionKey.generate().open("signing_keys:kid-1", sealed)).as("another key").isEmpty();
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(3));
        bytes[bytes.length - 20] ^= 1;
        assertThat(key.open("signing_keys:kid-1", "v1:" + Base64.getEncoder().encodeToString(bytes))).as("altered").isEmpty();
        assertThat(key.open("signing_keys:kid-1", "v1:not base64!")).isEmpty();
        assertThat(key.open("signing_keys:kid-1", "v1:AAAA")).as("too short").isEmpty();
        assertThat(key.open("signing_keys:kid-1", "v2:" + sealed.substring(3))).as("a format this version does not know").isEmpty();
    }

    @Test
    void valuesStoredInTheClearAreNotSealed() {
        assertThat(KeyEncryptionKey.isSealed("{\"kty\":\"EC\",\"d\":\"x\"}")).isFalse();
        assertThat(KeyEncryptionKey.isSealed(RandomTokens.secure().urlSafe256())).isFalse();
        assertThat(KeyEncryptionKey.isSealed("v12:abc")).isTrue();
    }

    @Test
    void aKeyIs32BytesInBase64() {
        KeyEncryptionKey decoded = KeyEncryptionKey.decode(key.encoded() + "\n");
        assertThat(decoded.open("p", key.seal("p", "x"))).contains("x");
        assertThat(key.encoded()).hasSize(44);
        assertThatThrownBy(() -> KeyEncryptionKey.decode("c2hvcnQ=")).hasMessage("holds 5 bytes, not 32");
        assertThatThrownBy(() -> KeyEncryptionKey.decode("not a key")).hasMessage("is not base64");
    }
}
