package dev.castgate.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A registered client as a test sees it: its id, its secret (null for native clients), its first redirect URI. */
public record TestClient(String id, String secret, String redirectUri, String name) {
    /** RFC 6749 §2.3.1 Basic credentials. */
    public String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** The original service's form: the raw secret after "Basic", with client_id in the body. */
    public String rawBasic() { return "Basic " + secret; }
}
