package dev.castgate.protocol;

import dev.castgate.error.OAuthException;
import dev.castgate.http.TextRule;
import java.util.Optional;

/** The original service's {@code device_name}: the name a grant shows on the user's account page. */
public final class DeviceNames {
    private DeviceNames() {}

    /** The name, stripped, or empty when none (or a blank one) was sent; it is kept in a column of {@link TextRule#NAME}'s width. */
    public static Optional<String> parse(Optional<String> raw) {
        Optional<String> name = raw.map(String::strip).filter(s -> !s.isEmpty());
        if (name.isPresent() && !TextRule.NAME.accepts(name.get())) {
            throw OAuthException.invalidRequest("device_name must be at most " + TextRule.NAME.maxLength() + " printable characters");
        }
        return name;
    }
}
