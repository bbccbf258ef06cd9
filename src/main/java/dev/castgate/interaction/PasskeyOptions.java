package dev.castgate.interaction;

import dev.castgate.domain.User;
import dev.castgate.http.Json;
import dev.castgate.login.PasskeyChallenges;
import dev.castgate.login.Passkeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a page hands its script to start a ceremony, as JSON in a data attribute (the script
 * turns it into the options of {@code navigator.credentials.create} or {@code get}): the
 * challenge, the relying party, and the passkeys to offer or to exclude.
 */
public final class PasskeyOptions {
    private static final long TIMEOUT_MILLIS = PasskeyChallenges.TTL.toMillis();

    private PasskeyOptions() {}

    /**
     * Creating a passkey for {@code user}: discoverable (so it also signs in without the
     * password), the person's verification preferred, no attestation asked for.
     */
    public static String create(Passkeys.Ceremony ceremony, User user) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("challenge", ceremony.challenge());
        options.put("rp", Map.of("id", ceremony.rpId(), "name", ceremony.rpId()));
        options.put("user", Map.of("id", Passkeys.userHandle(user.id()), "name", user.username(),
                "displayName", user.name().orElse(user.username())));
        options.put("exclude", ceremony.credentialIds());
        options.put("timeout", TIMEOUT_MILLIS);
        return Json.write(options);
    }

    /** Using a passkey: one of {@code ceremony}'s (any discoverable one when it names none), verifying the person when {@code verify}. */
    public static String get(Passkeys.Ceremony ceremony, boolean verify) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("challenge", ceremony.challenge());
        options.put("rpId", ceremony.rpId());
        options.put("allow", List.copyOf(ceremony.credentialIds()));
        options.put("userVerification", verify ? "required" : "preferred");
        options.put("timeout", TIMEOUT_MILLIS);
        return Json.write(options);
    }
}
