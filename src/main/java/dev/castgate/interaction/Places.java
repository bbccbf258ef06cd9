package dev.castgate.interaction;

import dev.castgate.http.Form;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a person was when a link on the sign-in form took them elsewhere (sign-up, "Forgot
 * password?"), so they can go on from there afterwards: the authorization request they were
 * answering, or the device page with the code they had typed, or else the account page. Only these
 * parameters are carried, each once and of a sane length, and they only ever lead back to this
 * server's own pages.
 */
public final class Places {
    /** The authorization request's parameters, carried from the sign-in page and back. */
    static final List<String> AUTHORIZATION_PARAMETERS = List.of("client_id", "redirect_uri", "response_type", "scope", "state",
            "nonce", "code_challenge", "code_challenge_method", "prompt", "max_age", "login_hint", "device_name", "dpop_jkt");
    /** The device page's code (RFC 8628 §3.3), kept while the person signs in. */
    static final String USER_CODE = "user_code";
    private static final int MAX_CARRIED_LENGTH = 2048;

    private Places() {}

    /** The authorization parameters present once, each of a sane length; anything else is dropped. */
    static Map<String, String> authorization(Form form) {
        Map<String, String> carried = new LinkedHashMap<>();
        for (String name : AUTHORIZATION_PARAMETERS) {
            form.lenient(name).filter(v -> v.length() <= MAX_CARRIED_LENGTH).ifPresent(v -> carried.put(name, v));
        }
        return carried;
    }

    /** What says where the person is, among a form's fields: an authorization request's parameters, or the device page's code. */
    public static Map<String, String> carried(Form form) {
        Map<String, String> carried = authorization(form);
        if (carried.isEmpty()) {
            form.lenient(USER_CODE).filter(v -> v.length() <= 40).ifPresent(v -> carried.put(USER_CODE, v));
        }
        return carried;
    }

    /** The same among a sign-in form's hidden fields. */
    static Map<String, String> carried(Map<String, String> fields) {
        Map<String, String> carried = new LinkedHashMap<>();
        for (String name : AUTHORIZATION_PARAMETERS) {
            String value = fields.get(name);
            if (value != null && value.length() <= MAX_CARRIED_LENGTH) carried.put(name, value);
        }
        String code = fields.get(USER_CODE);
        if (carried.isEmpty() && code != null && code.length() <= 40) carried.put(USER_CODE, code);
        return carried;
    }

    /**
     * The page to go back to, in the language {@code lang}: the authorization request (whose
     * sign-in form then shows), the device page with its code, or the account page.
     */
    public static String back(Map<String, String> carried, String lang) {
        Map<String, String> params = new LinkedHashMap<>(carried);
        params.put("lang", lang);
        if (carried.containsKey("client_id")) return Links.withQuery("/authorize", params);
        if (carried.containsKey(USER_CODE)) return Links.withQuery("/device", params);
        return Links.withQuery("/account", Map.of("lang", lang));
    }
}
