package dev.castgate.account;

import dev.castgate.audit.AuditTrail;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Session;
import dev.castgate.http.Form;
import dev.castgate.interaction.Links;
import dev.castgate.interaction.Pages;
import dev.castgate.interaction.Text;
import dev.castgate.interaction.Views;
import dev.castgate.session.CsrfTokens;
import dev.castgate.session.SessionService;
import dev.castgate.store.Stores;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-out. GET /logout asks for confirmation with a button, since a link another site planted
 * must not sign anyone out; POST /logout (with the CSRF token) ends the session row and clears
 * the cookie.
 */
public record LogoutPage(SessionService sessions, CsrfTokens csrf, Pages pages, Stores stores, AuditTrail audit) {
    public void confirm(Context ctx) {
        Text t = pages.text(ctx).withLanguageLinks("/logout", Map.of());
        if (sessions.current(ctx).isEmpty()) {
            signedOut(ctx, t);
            return;
        }
        pages.show(ctx, 200, t, new Views.Logout(csrf.token(ctx)));
    }

    public void signOut(Context ctx) {
        Form form = Form.parse(ctx);
        csrf.verify(ctx, form);
        Text t = pages.text(ctx);
        Optional<Session> session = sessions.current(ctx);
        sessions.signOut(ctx);
        session.ifPresent(s -> stores.audit().record(audit.success(AuditEvent.Type.SIGN_OUT).user(s.userId()).address(ctx.ip())));
        signedOut(ctx, t);
    }

    private void signedOut(Context ctx, Text t) {
        pages.show(ctx, 200, t, new Views.Message(t.get("logout.done.title"), t.get("logout.done.message"),
                Links.withQuery("/account", Map.of("lang", t.tag())), t.get("logout.done.link")));
    }
}
