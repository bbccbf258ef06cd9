package dev.castgate.device;

import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.TokenHash;
import java.util.Locale;
import java.util.Optional;

/**
 * User codes (RFC 8628 §6.1): 8 characters from 20 consonants, with no vowels (no words) and no
 * easily confused letters; about 34 bits, which the entry throttle makes useless to guess. Shown
 * as {@code XXXX-XXXX}; typed in any case, with or without the dash (or spaces).
 */
public final class UserCodes {
    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    static final int LENGTH = 8;
    /** The largest multiple of 20 a byte can hold: bytes at or above it are drawn again, so every letter is equally likely. */
    private static final int UNBIASED_LIMIT = 240;

    private UserCodes() {}

    /** A fresh code in its normalised form: 8 letters, no dash. */
    static String generate(RandomTokens random) {
        StringBuilder code = new StringBuilder(LENGTH);
        while (code.length() < LENGTH) {
            for (byte b : random.bytes(LENGTH)) {
                int value = b & 0xff;
                if (value < UNBIASED_LIMIT && code.length() < LENGTH) code.append(ALPHABET.charAt(value % ALPHABET.length()));
            }
        }
        return code.toString();
    }

    /** The code as the person sees it: {@code WDJB-MJHT}. */
    static String display(String normalised) {
        return normalised.substring(0, 4) + "-" + normalised.substring(4);
    }

    /** What the person typed, upper-cased without dashes and spaces; empty when it cannot be a user code. */
    static Optional<String> normalise(String typed) {
        if (typed.length() > 40) return Optional.empty();
        String code = typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        if (code.length() != LENGTH) return Optional.empty();
        for (int i = 0; i < code.length(); i++) {
            if (ALPHABET.indexOf(code.charAt(i)) < 0) return Optional.empty();
        }
        return Optional.of(code);
    }

    /** How a normalised code is stored: only its hash. */
    static TokenHash hash(String normalised) { return Hashes.tokenHash("user-code:" + normalised); }
}
