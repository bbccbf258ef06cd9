package dev.castgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A passkey in the test's hands instead of a browser's authenticator: an EC P-256 key, and the
 * answers a browser posts for it (WebAuthn §5.2.1, §5.2.2), built here byte by byte (the
 * attestation object's CBOR by the library's converter), as the pages' script posts them. Each
 * part can be made wrong (origin, counter, user verification) to drive the server's refusals.
 */
public final class SoftPasskey {
    private static final Pattern OPTIONS = Pattern.compile("data-passkey=\"(create|get)\" data-options=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keys;
    private final byte[] id;
    private final String rpId;
    private byte[] userHandle;
    private long counter;

    /** A new passkey for the server at {@code issuer} (its host is the RP ID). */
    public SoftPasskey(String issuer) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            this.keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.id = new byte[32];
        RANDOM.nextBytes(id);
        this.rpId = java.net.URI.create(issuer).getHost();
    }

    /** The credential id, base64url, as the server stores and the pages name it. */
    public String id() { return encode(id); }

    public long counter() { return counter; }

    /** The options a page hands its script (its {@code data-options}), for the ceremony it starts ("create" or "get"). */
    public static JsonNode options(Http.Response page, String ceremony) {
        Matcher m = OPTIONS.matcher(page.body());
        while (m.find()) {
            if (m.group(1).equals(ceremony)) {
                try {
                    return JSON.readTree(HtmlForms.unescapeText(m.group(2)));
                } catch (java.io.IOException e) {
                    throw new AssertionError("the page's passkey options are no JSON: " + m.group(2), e);
                }
            }
        }
        throw new AssertionError("no passkey " + ceremony + " form on the page: " + page.body());
    }

    /** The registration answer for a creation page's options, from {@code origin}: the fields its script posts. */
    public Map<String, String> register(JsonNode options, String origin) {
        assertThat(options.path("rp").path("id").asText()).isEqualTo(rpId);
        userHandle = decode(options.path("user").path("id").asText());
        byte[] clientData = clientData("webauthn.create", options.path("challenge").asText(), origin);
        ByteArrayOutputStream attested = new ByteArrayOutputStream();
        attested.writeBytes(new byte[16]); // AAGUID: none
        attested.write(id.length >> 8);
        attested.write(id.length & 0xff);
        attested.writeBytes(id);
        ObjectConverter converter = new ObjectConverter();
        attested.writeBytes(converter.getCborConverter().writeValueAsBytes(EC2COSEKey.create((ECPublicKey) keys.getPublic(),
                COSEAlgorithmIdentifier.ES256)));
        byte[] authenticatorData = authenticatorData((byte) (0x01 | 0x04 | 0x40), attested.toByteArray());
        Map<String, Object> attestation = new LinkedHashMap<>();
        attestation.put("fmt", "none");
        attestation.put("attStmt", Map.of());
        attestation.put("authData", authenticatorData);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("passkey_id", id());
        fields.put("passkey_client_data", encode(clientData));
        fields.put("passkey_attestation", encode(converter.getCborConverter().writeValueAsBytes(attestation)));
        fields.put("passkey_transports", "internal hybrid");
        return fields;
    }

    /**
     * An authentication answer for {@code challenge} from {@code origin}, with the counter counted
     * up first, the person verified or only present, with the user handle when {@code withHandle}.
     */
    public Map<String, String> sign(String challenge, String origin, boolean userVerified, boolean withHandle) {
        counter++;
        return signAt(challenge, origin, counter, userVerified, withHandle);
    }

    /** The same, with the counter at {@code count} (one that went back, say), which it then stays at. */
    public Map<String, String> signAt(String challenge, String origin, long count, boolean userVerified, boolean withHandle) {
        counter = count;
        byte[] clientData = clientData("webauthn.get", challenge, origin);
        byte[] authenticatorData = authenticatorData((byte) (0x01 | (userVerified ? 0x04 : 0)), new byte[0]);
        byte[] signature;
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(authenticatorData);
            signer.update(MessageDigest.getInstance("SHA-256").digest(clientData));
            signature = signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("passkey_id", id());
        fields.put("passkey_client_data", encode(clientData));
        fields.put("passkey_authenticator_data", encode(authenticatorData));
        fields.put("passkey_signature", encode(signature));
        if (withHandle) fields.put("passkey_user_handle", encode(userHandle));
        return fields;
    }

    /**
     * Adds a new passkey named {@code name} to the account signed in on {@code browser}, as a
     * person does on the account page: the name and password, then the creation page's answer.
     */
    public static SoftPasskey add(TestServer server, Http browser, String name) {
        Http.Response setup = begin(server, browser, name);
        SoftPasskey passkey = new SoftPasskey(server.issuer());
        Map<String, String> form = HtmlForms.hiddenFields(setup.body());
        form.putAll(passkey.register(options(setup, "create"), server.issuer()));
        Http.Response added = browser.postForm(server.url("/account/passkeys/register"), form);
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.body()).contains("Passkey \"" + name + "\" added.");
        return passkey;
    }

    /** The creation page, after the account page's form with {@code name} and the password. */
    public static Http.Response begin(TestServer server, Http browser, String name) {
        Http.Response account = browser.get(server.url("/account"));
        Map<String, String> form = HtmlForms.hiddenFields(account.body());
        form.put("name", name);
        form.put("current_password", TestServer.PASSWORD);
        Http.Response setup = browser.postForm(server.url("/account/passkeys/begin"), form);
        assertThat(setup.status()).as(setup.body()).isEqualTo(200);
        return setup;
    }

    /** The answer to a page's "get" options, from the server's own origin. */
    public Map<String, String> sign(Http.Response page, String origin, boolean userVerified) {
        return sign(options(page, "get").path("challenge").asText(), origin, userVerified, true);
    }

    private byte[] authenticatorData(byte flags, byte[] attested) {
        try {
            ByteBuffer data = ByteBuffer.allocate(32 + 1 + 4 + attested.length);
            data.put(MessageDigest.getInstance("SHA-256").digest(rpId.getBytes(StandardCharsets.UTF_8)));
            data.put(flags).putInt((int) counter).put(attested);
            return data.array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] clientData(String type, String challenge, String origin) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", type);
        data.put("challenge", challenge);
        data.put("origin", origin);
        data.put("crossOrigin", false);
        try {
            return JSON.writeValueAsBytes(data);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String encode(byte[] bytes) { return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes); }

    private static byte[] decode(String text) { return Base64.getUrlDecoder().decode(text); }
}
