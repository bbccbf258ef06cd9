package dev.castgate.interaction;

import dev.castgate.http.Form;
import dev.castgate.login.Passkeys;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The fields in which the pages' script posts a passkey's answer, each binary value base64url
 * without padding, as WebAuthn's JSON carries them: parsed here, at the edge, into the typed
 * answers {@link Passkeys} checks. A form with no passkey field is no passkey answer; one with a
 * missing or malformed field is a broken answer (empty), which the page refuses as such.
 */
public final class PasskeyFields {
    /** Present on every form that carries a passkey's answer: the credential's id. */
    public static final String ID = "passkey_id";
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");
    private static final Pattern TRANSPORT = Pattern.compile("[a-z-]{1,20}");

    private PasskeyFields() {}

    /** Whether the form carries a passkey's answer, well-formed or not. */
    public static boolean present(Form form) { return form.has(ID); }

    /** A registration's answer: client data, attestation object, and the transports the browser named (at most 8). */
    public static Optional<Passkeys.Attestation> attestation(Form form) {
        Optional<byte[]> clientData = bytes(form, "passkey_client_data");
        Optional<byte[]> attestation = bytes(form, "passkey_attestation");
        if (clientData.isEmpty() || attestation.isEmpty()) return Optional.empty();
        Set<String> transports = new TreeSet<>();
        for (String t : form.lenient("passkey_transports").orElse("").split(" ")) {
            if (TRANSPORT.matcher(t).matches()) transports.add(t);
        }
        if (transports.size() > 8) return Optional.empty();
        return Optional.of(new Passkeys.Attestation(clientData.get(), attestation.get(), transports));
    }

    /** An authentication's answer: credential id, client data, authenticator data, signature, and the user handle if given. */
    public static Optional<Passkeys.Assertion> assertion(Form form) {
        Optional<byte[]> id = bytes(form, ID);
        Optional<byte[]> clientData = bytes(form, "passkey_client_data");
        Optional<byte[]> authenticatorData = bytes(form, "passkey_authenticator_data");
        Optional<byte[]> signature = bytes(form, "passkey_signature");
        if (id.isEmpty() || clientData.isEmpty() || authenticatorData.isEmpty() || signature.isEmpty() || id.get().length > 1023) {
            return Optional.empty();
        }
        return Optional.of(new Passkeys.Assertion(id.get(), clientData.get(), authenticatorData.get(), signature.get(),
                bytes(form, "passkey_user_handle")));
    }

    private static Optional<byte[]> bytes(Form form, String name) {
        return form.lenient(name).filter(v -> BASE64URL.matcher(v).matches() && v.length() % 4 != 1)
                .map(v -> Base64.getUrlDecoder().decode(v));
    }
}
