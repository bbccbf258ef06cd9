package dev.castgate.crypto;

import dev.castgate.domain.TokenHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.util.encoders.Base32;

/**
 * Recovery codes, accepted once each in place of a TOTP code: 80 random bits as 16 base32
 * characters, written in groups of four ({@code abcd-efgh-ijkl-mnop}) to be copied by hand. Stored
 * as SHA-256 like every generated secret; 80 bits are beyond reach of a search of the hashes, and
 * a guess online goes through the sign-in throttle.
 */
public final class RecoveryCodes {
    /** How many a person is given at a time. */
    public static final int COUNT = 10;
    private static final int BYTES = 10;
    private static final Pattern NORMALISED = Pattern.compile("[a-z2-7]{16}");

    private RecoveryCodes() {}

    /** {@link #COUNT} new codes, as shown to the person. */
    public static List<String> generate(RandomTokens random) {
        List<String> codes = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            String raw = Base32.toBase32String(random.bytes(BYTES)).toLowerCase(Locale.ROOT);
            codes.add(raw.substring(0, 4) + "-" + raw.substring(4, 8) + "-" + raw.substring(8, 12) + "-" + raw.substring(12));
        }
        return codes;
    }

    /** A typed code as stored, whatever its case, dashes and spaces; empty for a value that cannot be a recovery code. */
    public static Optional<TokenHash> hashOf(String typed) {
        String normalised = typed.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
        return NORMALISED.matcher(normalised).matches() ? Optional.of(Hashes.tokenHash(normalised)) : Optional.empty();
    }
}
