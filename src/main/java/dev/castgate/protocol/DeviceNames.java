package dev.castgate.protocol;

import dev.castgate.error.OAuthException;
import java.util.Optional;

/** The original service's {@code device_name}: the name a grant shows on the user's account page. */
public final class DeviceNames {
    public static final int MAX_LENGTH = 200;

    private DeviceNames() {}

    public static Optional<String> parse(Optional<String> raw) {
        Optional<String> name = raw.map(String::strip).filter(s -> !s.isEmpty());
        if (name.isPresent() && (name.get().length() > MAX_LENGTH || name.get().chars().anyMatch(Character::isISOControl))) {
            throw OAuthException.invalidRequest("device_name must be at most " + MAX_LENGTH + " printable characters");
        }
        return name;
    }
}
