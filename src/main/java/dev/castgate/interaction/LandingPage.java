package dev.castgate.interaction;

import dev.castgate.http.Form;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /oauth2/redirect: the built-in landing page the original service offered for testing and
 * out-of-band use. A client registers {@code <issuer>/oauth2/redirect} as a redirect URI; after an
 * authorization the page shows what it received in its query (a code, an implicit flow's token,
 * or an error) so a person can copy it. It only displays its own query, so it reveals nothing the
 * address bar does not.
 */
public final class LandingPage {
    /** What an authorization response may carry (RFC 6749 §4.1.2, §4.2.2, §4.1.2.1; RFC 9207), in the order shown. */
    private static final List<String> SHOWN = List.of("code", "access_token", "token_type", "expires_in", "scope",
            "state", "error", "error_description", "iss");
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
        String titleKey;
        String messageKey;
        int status = 200;
        if (received.containsKey("error")) {
            titleKey = "landing.error.title";
            messageKey = "landing.error.message";
        } else if (received.containsKey("access_token")) {
            titleKey = "landing.token.title";
            messageKey = "landing.token.message";
        } else if (received.containsKey("code")) {
            titleKey = "landing.code.title";
            messageKey = "landing.code.message";
        } else {
            titleKey = "landing.empty.title";
            messageKey = "landing.empty.message";
            status = 400;
        }
        List<Views.Field> fields = new ArrayList<>();
        for (Map.Entry<String, String> e : received.entrySet()) fields.add(new Views.Field(e.getKey(), e.getValue()));
        pages.show(ctx, status, t, new Views.Landing(t.get(titleKey), t.get(messageKey), fields));
    }
}
