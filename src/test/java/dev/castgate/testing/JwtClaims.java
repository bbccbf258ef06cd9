package dev.castgate.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;

/** The claims of a JWT, read without checking its signature (IdTokenTest and JwtAccessTokenTest check those). */
public final class JwtClaims {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JwtClaims() {}

    public static Map<String, Object> of(String jwt) {
        try {
            return JSON.readValue(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new AssertionError("not a JWT: " + jwt, e);
        }
    }
}
