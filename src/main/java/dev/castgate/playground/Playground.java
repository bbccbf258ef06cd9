package dev.castgate.playground;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jwt.SignedJWT;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.http.Cookies;
import dev.castgate.http.Form;
import dev.castgate.http.QueryStrings;
import dev.castgate.http.Redirects;
import dev.castgate.interaction.Pages;
import dev.castgate.interaction.PlaygroundView;
import dev.castgate.interaction.Text;
import dev.castgate.playground.PlaygroundClient.Call;
import dev.castgate.protocol.Pkce;
import dev.castgate.session.CsrfTokens;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The playground (demo mode only): a page that acts as the demo client "Castgate playground",
 * entirely on the server. It signs in with the authorization-code flow with PKCE and state
 * against this server's own /authorize, and talks to the token, revocation and introspection
 * endpoints and the Streaming API over HTTP like any other client would. The tokens stay on the
 * server, in a small in-memory store keyed by a random HttpOnly cookie of the playground's own;
 * nothing secret goes into a URL or the page's links.
 */
public final class Playground {
    static final String COOKIE = "castgate_playground";
    private static final Duration IDLE = Duration.ofHours(1);
    private static final int MAX_VISITORS = 10_000;

    private final DemoSeed.Credentials demo;
    private final String issuer;
    private final Pages pages;
    private final CsrfTokens csrf;
    private final Cookies cookies;
    private final RandomTokens random;
    private final PlaygroundClient client;
    /** Forgotten an hour after their last request, by the server's clock; beyond 10,000 Caffeine evicts the least likely to return. */
    private final Cache<String, Visitor> visitors;

    public Playground(DemoSeed.Credentials demo, String issuer, String apiUrl, Pages pages, CsrfTokens csrf, Cookies cookies,
                      RandomTokens random, Clock clock) {
        this.demo = demo;
        this.issuer = issuer;
        this.client = new PlaygroundClient(demo, issuer, apiUrl);
        this.pages = pages;
        this.csrf = csrf;
        this.cookies = cookies;
        this.random = random;
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.visitors = Caffeine.newBuilder().ticker(ticker).expireAfterAccess(IDLE).maximumSize(MAX_VISITORS).build();
    }

    // --- pages ----------------------------------------------------------------------------------

    /** GET /playground: what the playground holds, and the buttons for the next step. */
    public void show(Context ctx) {
        Visitor v = visitor(ctx, false);
        render(ctx, 200, v);
    }

    /** POST /playground/signin: starts the authorization-code flow with PKCE and a fresh state. */
    public void signIn(Context ctx) {
        csrf.verify(ctx, Form.parse(ctx));
        Visitor v = visitor(ctx, true);
        String state = random.urlSafe256();
        String verifier = random.urlSafe256();
        v.beginSignIn(state, verifier);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", demo.clientId());
        params.put("redirect_uri", demo.redirectUri());
        params.put("scope", "openid email profile broadcaster");
        params.put("state", state);
        params.put("code_challenge", Pkce.s256(verifier));
        params.put("code_challenge_method", "S256");
        Redirects.to(ctx, issuer + "/authorize", params);
    }

    /** GET /playground/callback: checks the state, then exchanges the code at the token endpoint. */
    public void callback(Context ctx) {
        Form query = Form.query(ctx);
        Visitor v = visitor(ctx, false);
        String state = query.lenient("state").orElse("");
        Optional<Visitor.Pending> pending = v == null ? Optional.empty() : v.takePending();
        if (pending.isEmpty() || !MessageDigest.isEqual(pending.get().state().getBytes(StandardCharsets.US_ASCII),
                state.getBytes(StandardCharsets.US_ASCII))) {
            refuse(ctx, "playground.error.state");
            return;
        }
        Optional<String> error = query.lenient("error");
        Optional<String> code = query.lenient("code");
        if (error.isPresent() || code.isEmpty()) {
            v.fail("playground.error.denied");
            back(ctx);
            return;
        }
        Call exchange = client.token(Map.of("grant_type", "authorization_code", "code", code.get(),
                "redirect_uri", demo.redirectUri(), "code_verifier", pending.get().verifier()));
        v.answered("playground.result.exchange", exchange);
        back(ctx);
    }

    /** POST /playground/self: GET users/self with the access token. */
    public void callSelf(Context ctx) { asSignedIn(ctx, this::callSelf); }

    private void callSelf(Visitor v) {
        v.remember("playground.result.self", client.apiGet("/users/self", v.accessToken().orElseThrow()));
    }

    /** POST /playground/ingest: the ingest settings of the user's first channel, creating a demo channel if there is none. */
    public void ingest(Context ctx) { asSignedIn(ctx, this::ingest); }

    private void ingest(Visitor v) {
        String accessToken = v.accessToken().orElseThrow();
        Call channels = client.apiGet("/users/self/channels", accessToken);
        Call result = channels;
        if (channels.status() == 200) {
            String channelId = PlaygroundJson.firstChannel(channels.body());
            if (channelId == null) {
                Call created = client.apiPost("/users/self/channels", accessToken, Map.of("title", "Demo channel"));
                channelId = created.status() == 201 ? PlaygroundJson.field(created.body(), "channel", "id") : null;
                if (channelId == null) result = created;
            }
            if (channelId != null) result = client.apiGet("/channels/" + QueryStrings.encode(channelId) + "/ingest", accessToken);
        }
        v.remember("playground.result.ingest", result);
    }

    /** POST /playground/refresh: the refresh grant; the rotated tokens replace the old ones. */
    public void refresh(Context ctx) { asSignedIn(ctx, this::refresh); }

    private void refresh(Visitor v) {
        Optional<String> refreshToken = v.refreshToken();
        if (refreshToken.isEmpty()) {
            v.fail("playground.error.no_refresh");
        } else {
            Call call = client.token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken.get()));
            v.answered("playground.result.refresh", call);
        }
    }

    /**
     * POST /playground/revoke: revokes the refresh token (which ends the whole grant, access tokens
     * included), then shows what introspection says of the access token, which is immediate. The
     * Streaming API may go on accepting the token for up to five seconds (its cache).
     */
    public void revoke(Context ctx) { asSignedIn(ctx, this::revoke); }

    private void revoke(Visitor v) {
        String accessToken = v.accessToken().orElseThrow();
        String token = v.refreshToken().orElse(accessToken);
        Call revocation = client.clientPost("/oauth2/revoke", Map.of("token", token));
        if (revocation.status() != 200) {
            v.remember("playground.result.revoke", revocation);
        } else {
            v.remember("playground.result.introspect", client.clientPost("/oauth2/introspect", Map.of("token", accessToken)));
        }
    }

    /** POST /playground/reset: forgets the tokens. */
    public void reset(Context ctx) {
        csrf.verify(ctx, Form.parse(ctx));
        String id = cookies.read(ctx, COOKIE);
        if (id != null) visitors.invalidate(id);
        cookies.clear(ctx, COOKIE);
        back(ctx);
    }

    // --- state ----------------------------------------------------------------------------------

    /**
     * What every button that uses the tokens starts and ends with: the form's CSRF check, the
     * visitor's tokens (or the "signed out" error when there are none), and the way back to the page.
     */
    private void asSignedIn(Context ctx, Consumer<Visitor> action) {
        csrf.verify(ctx, Form.parse(ctx));
        Visitor v = visitor(ctx, false);
        if (v == null || v.accessToken().isEmpty()) {
            if (v == null) v = visitor(ctx, true);
            v.fail("playground.error.signed_out");
        } else {
            action.accept(v);
        }
        back(ctx);
    }

    private Visitor visitor(Context ctx, boolean create) {
        String id = cookies.read(ctx, COOKIE);
        Visitor v = id == null ? null : visitors.getIfPresent(id);
        if (v == null && create) {
            id = random.urlSafe256();
            v = new Visitor();
            visitors.put(id, v);
            cookies.set(ctx, COOKIE, id, IDLE, "Lax");
        }
        return v;
    }

    /** Back to the page, in the language of the form that was posted. */
    private void back(Context ctx) {
        ctx.redirect(QueryStrings.appendTo("/playground", Map.of("lang", pages.text(ctx).tag())), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void refuse(Context ctx, String messageKey) {
        pages.error(ctx, 400, "playground.error.title", messageKey);
    }

    // --- showing --------------------------------------------------------------------------------

    private void render(Context ctx, int status, Visitor v) {
        Text t = pages.text(ctx).withLanguageLinks("/playground", Map.of());
        List<PlaygroundView.Token> tokens = new ArrayList<>();
        PlaygroundView.Result result = null;
        String error = null;
        boolean signedIn = false;
        if (v != null) {
            Visitor.Snapshot now = v.snapshot();
            signedIn = now.accessToken() != null;
            if (now.accessToken() != null) tokens.add(token(t.get("playground.token.access"), "access_token", now.accessToken()));
            if (now.refreshToken() != null) tokens.add(token(t.get("playground.token.refresh"), "refresh_token", now.refreshToken()));
            if (now.idToken() != null) tokens.add(token(t.get("playground.token.id"), "id_token", now.idToken()));
            if (now.resultLabel() != null) {
                result = new PlaygroundView.Result(t.get(now.resultLabel()), now.resultStatus(), PlaygroundJson.pretty(now.resultBody()));
            }
            if (now.errorKey() != null) error = t.get(now.errorKey());
        }
        pages.show(ctx, status, t, new PlaygroundView(csrf.token(ctx), demo.username(), demo.clientId(), signedIn,
                tokens, result, error));
    }

    /** A signed JWT's header and claims as they came, pretty-printed; none for an opaque token. */
    private static PlaygroundView.Token token(String label, String id, String raw) {
        try {
            SignedJWT jwt = SignedJWT.parse(raw);
            return new PlaygroundView.Token(label, id, raw, PlaygroundJson.pretty(jwt.getHeader().getParsedBase64URL().decodeToString()),
                    PlaygroundJson.pretty(jwt.getPayload().toString()));
        } catch (ParseException e) {
            return new PlaygroundView.Token(label, id, raw, null, null);
        }
    }
}
