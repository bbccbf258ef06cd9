package dev.castgate.interaction;

import dev.castgate.http.Form;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GET /oauth2/redirect: the built-in landing page the original service offered for testing and
 * out-of-band use. A client registers {@code <issuer>/oauth2/redirect} as a redirect URI; after an
 * authorization the page shows what it received in its query (a code, an implicit flow's token,
 * or an error) so a person can copy it.
 *
 * <p>Anyone can link here with any query, and the page is on the server's own origin, so it must
 * not lend its voice to the link (content injection): its message is only its own text for a
 * registered error code; the values are shown as data under a heading that says they are the
 * address's, unchecked; free text ({@code error_description}, an unregistered error code) only in
 * a collapsed technical-detail block.
 */
public final class LandingPage {
    /** What an authorization response may carry (RFC 6749 §4.1.2, §4.2.2, §4.1.2.1; RFC 9207), in the order shown. */
    private static final List<String> SHOWN = List.of("code", "access_token", "token_type", "expires_in", "scope",
            "state", "error", "error_description", "iss");
    /**
     * The authorization response's registered error codes (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6, OpenID Connect Core Error
     * Code unmet_authentication_requirements), each with its own text.
     */
    private static final Set<String> REGISTERED_ERRORS = Set.of("invalid_request", "unauthorized_client", "access_denied",
            "unsupported_response_type", "invalid_scope", "server_error", "temporarily_unavailable", "interaction_required",
            "login_required", "account_selection_required", "consent_required", "invalid_request_uri", "invalid_request_object",
            "request_not_supported", "request_uri_not_supported", "registration_not_supported", "unmet_authentication_requirements");
    private static final int MAX_SHOWN_LENGTH = 4096;

    private final Pages pages;

    public LandingPage(Pages pages) { this.pages = pages; }

    public void show(Context ctx) {
        Form query = Form.query(ctx);
        Map<String, String> received = new LinkedHashMap<>();
        for (String name : SHOWN) {
            query.lenient(name).filter(v -> v.length() <= MAX_SHOWN_LENGTH).ifPresent(v -> received.put(name, v));
        }
        Text t = pages.text(ctx).withLanguageLinks("/oauth2/redirect", received);
        String title;
        String message;
        int status = 200;
        String error = received.get("error");
        if (error != null) {
            title = t.get("landing.error.title");
            message = t.get(REGISTERED_ERRORS.contains(error) ? "landing.error." + error : "landing.error.unknown");
        } else if (received.containsKey("access_token")) {
            title = t.get("landing.token.title");
            message = t.get("landing.token.message");
        } else if (received.containsKey("code")) {
            title = t.get("landing.code.title");
            message = t.get("landing.code.message");
        } else {
            title = t.get("landing.empty.title");
            message = t.get("landing.empty.message");
            status = 400;
        }
        List<Views.Field> fields = new ArrayList<>();
        List<Views.Field> freeText = new ArrayList<>();
        for (Map.Entry<String, String> e : received.entrySet()) {
            boolean free = e.getKey().equals("error_description") || (e.getKey().equals("error") && !REGISTERED_ERRORS.contains(e.getValue()));
            (free ? freeText : fields).add(new Views.Field(e.getKey(), e.getValue()));
        }
        pages.show(ctx, status, t, new Views.Landing(title, message, fields, freeText));
    }
}
