package dev.castgate.logout;

import dev.castgate.audit.AuditTrail;
import dev.castgate.authorize.AuthorizationResponder;
import dev.castgate.clientauth.ClientLookup;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Client;
import dev.castgate.domain.Session;
import dev.castgate.error.PageException;
import dev.castgate.http.Form;
import dev.castgate.http.Redirects;
import dev.castgate.http.TextRule;
import dev.castgate.interaction.Languages;
import dev.castgate.interaction.Links;
import dev.castgate.interaction.Pages;
import dev.castgate.interaction.Text;
import dev.castgate.interaction.Views;
import dev.castgate.session.BackChannelLogout;
import dev.castgate.session.CsrfTokens;
import dev.castgate.session.SessionService;
import dev.castgate.store.Transactions;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-out, and the end-session endpoint of OpenID Connect RP-Initiated Logout 1.0, at
 * {@code /logout} (GET and POST, §2). A client's request ends the session at once only when its
 * {@code id_token_hint} is an ID token of this very session; otherwise the person is asked, with a
 * button (§6: a link another site planted must not sign anyone out), and the form's CSRF token.
 * Afterwards the browser goes to the client's registered {@code post_logout_redirect_uri} with its
 * {@code state} (§3), or sees a "signed out" page. Ending a session ends its row and cookie, and
 * queues a logout token for each client that had a grant in it ({@link BackChannelLogout}).
 */
public record LogoutPage(SessionService sessions, CsrfTokens csrf, Pages pages, Transactions transactions, AuditTrail audit,
                         ClientLookup clients, IdTokenHints hints, BackChannelLogout backChannel) {
    public static final String PATH = "/logout";

    public LogoutPage(SessionService sessions, CsrfTokens csrf, Pages pages, Transactions transactions, AuditTrail audit,
                      ClientLookup clients, String issuer, dev.castgate.keys.SigningKeys keys, BackChannelLogout backChannel) {
        this(sessions, csrf, pages, transactions, audit, clients, new IdTokenHints(issuer, keys), backChannel);
    }

    /** What a logout request asks, checked: the client it comes from, where to go afterwards, and the hint's word. */
    private record EndSession(Optional<IdTokenHints.Hint> hint, Optional<Client> client, Optional<String> postLogoutRedirectUri,
                              Optional<String> state) {
        /** The parameters the confirmation form carries on: all but the hint, which the person's click stands in for. */
        Map<String, String> carried() {
            Map<String, String> fields = new LinkedHashMap<>();
            client.ifPresent(c -> fields.put("client_id", c.id().value()));
            postLogoutRedirectUri.ifPresent(uri -> fields.put("post_logout_redirect_uri", uri));
            state.ifPresent(s -> fields.put("state", s));
            return fields;
        }

        /** Whether the hint was issued in {@code session}: same person, same sid. */
        boolean hintedAt(Session session) {
            return hint.filter(h -> h.subject().equals(session.userId()) && h.sid().isPresent() && h.sid().equals(session.sid())).isPresent();
        }
    }

    public void get(Context ctx) { request(ctx, Form.query(ctx)); }

    /** The confirmation form (it carries a CSRF token), or a client's request sent as a form (§2 allows both methods). */
    public void post(Context ctx) {
        Form form = Form.parse(ctx);
        if (form.has(CsrfTokens.FIELD)) confirmed(ctx, form);
        else request(ctx, form);
    }

    private void request(Context ctx, Form form) {
        EndSession request = parse(form);
        Text t = language(ctx, form);
        Optional<Session> session = sessions.current(ctx);
        if (session.isPresent() && request.hintedAt(session.get())) {
            end(ctx, session.get(), request);
        } else if (session.isPresent()) {
            Text links = t.withLanguageLinks(PATH, request.carried());
            pages.show(ctx, 200, links, new Views.Logout(csrf.token(ctx), request.client().map(Client::name).orElse(""), request.carried()),
                    request.postLogoutRedirectUri().map(AuthorizationResponder::origin).stream().toList());
            return;
        }
        // No session (or it just ended): nothing more to ask.
        finish(ctx, t, request);
    }

    private void confirmed(Context ctx, Form form) {
        csrf.verify(ctx, form);
        EndSession request = parse(form);
        Optional<Session> session = sessions.current(ctx);
        if (session.isPresent()) end(ctx, session.get(), request);
        else sessions.signOut(ctx); // the cookie of a session that already ended goes too
        finish(ctx, pages.text(ctx), request);
    }

    /** Ends the browser's session, as the account page's sign-out always did, and queues the clients' logout tokens. */
    private void end(Context ctx, Session session, EndSession request) {
        AuditEvent event = audit.success(AuditEvent.Type.SIGN_OUT).user(session.userId()).address(ctx.ip());
        AuditEvent recorded = request.client().map(c -> event.client(c.id()).detail("logout requested by the client")).orElse(event);
        boolean queued = transactions.inTransaction(tx -> {
            tx.audit().record(recorded);
            return backChannel.sessionEnded(tx, session);
        });
        sessions.signOut(ctx);
        if (queued) backChannel.sendSoon();
    }

    private void finish(Context ctx, Text t, EndSession request) {
        if (request.postLogoutRedirectUri().isPresent()) {
            Redirects.to(ctx, request.postLogoutRedirectUri().get(), request.state().map(s -> Map.of("state", s)).orElse(Map.of()));
            return;
        }
        pages.show(ctx, 200, t, new Views.Message(t.get("logout.done.title"), t.get("logout.done.message"),
                Links.withQuery("/account", Map.of("lang", t.tag())), t.get("logout.done.link")));
    }

    /**
     * §2: the hint names the client ({@code aud}); {@code client_id}, when given as well, must be one
     * of its audience. A {@code post_logout_redirect_uri} is followed only when it is registered,
     * exactly, for that client (§3.1); without a client it cannot be checked and is refused.
     */
    private EndSession parse(Form form) {
        Optional<IdTokenHints.Hint> hint = form.optional("id_token_hint").map(hints::verify);
        Optional<String> clientId = form.optional("client_id", TextRule.NAME);
        if (hint.isPresent() && clientId.isPresent() && !hint.get().audience().contains(clientId.get())) throw refused("logout.error.client");
        Optional<String> named = clientId.or(() -> hint.map(IdTokenHints.Hint::audience).filter(aud -> aud.size() == 1).map(aud -> aud.get(0)));
        Optional<Client> client = named.flatMap(clients::find);
        if (clientId.isPresent() && client.isEmpty()) throw refused("logout.error.client");
        Optional<String> uri = form.optional("post_logout_redirect_uri", TextRule.REDIRECT_URI);
        if (uri.isPresent() && !client.map(c -> c.logout().postLogoutRedirectUris().contains(uri.get())).orElse(false)) {
            throw refused("logout.error.redirect");
        }
        return new EndSession(hint, client, uri, uri.isPresent() ? form.optional("state") : Optional.empty());
    }

    /** §2: {@code ui_locales}, the person's preferred languages, first one Castgate speaks; then as every page chooses. */
    private Text language(Context ctx, Form form) {
        for (String tag : form.lenient("ui_locales").map(v -> List.of(v.trim().split(" +"))).orElse(List.of())) {
            Optional<Text> t = Languages.supported(tag);
            if (t.isPresent()) return t.get();
        }
        return pages.text(ctx);
    }

    private static PageException refused(String messageKey) {
        return new PageException(400, "logout.error.title", messageKey);
    }
}
