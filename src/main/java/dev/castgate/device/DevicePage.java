package dev.castgate.device;

import dev.castgate.audit.AuditTrail;
import dev.castgate.config.ServerConfig.DeviceConfig;
import dev.castgate.crypto.PasswordPolicy;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Client;
import dev.castgate.domain.DeviceAuthorization;
import dev.castgate.domain.Grant;
import dev.castgate.domain.Scope;
import dev.castgate.domain.Session;
import dev.castgate.domain.User;
import dev.castgate.http.Form;
import dev.castgate.interaction.Links;
import dev.castgate.interaction.Pages;
import dev.castgate.interaction.ScopeDescriptions;
import dev.castgate.interaction.Text;
import dev.castgate.interaction.Views;
import dev.castgate.login.LoginAttempts;
import dev.castgate.login.Throttle;
import dev.castgate.session.CsrfTokens;
import dev.castgate.session.SessionService;
import dev.castgate.store.GuardedWrite;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GET and POST /device (RFC 8628 §3.3): the signed-in person types the user code their device
 * shows, sees which client asks, for which device and with which scopes, and allows or denies.
 * Without a session it is a sign-in form that comes back here with the code kept. Wrong codes
 * are counted per session and per address in the database (§5.1), so guessing is useless on any
 * number of nodes.
 */
public final class DevicePage {
    private static final String USER_CODE = "user_code";

    private final SessionService sessions;
    private final CsrfTokens csrf;
    private final LoginAttempts logins;
    private final Pages pages;
    private final ScopeDescriptions scopeDescriptions;
    private final Stores stores;
    private final Transactions transactions;
    private final AuditTrail audit;
    private final RandomTokens random;
    private final Clock clock;
    private final DeviceConfig config;
    private final Throttle throttle;
    private final boolean signupEnabled;

    public DevicePage(SessionService sessions, CsrfTokens csrf, LoginAttempts logins, Pages pages, ScopeDescriptions scopeDescriptions,
                      Stores stores, Transactions transactions, AuditTrail audit, RandomTokens random, Clock clock,
                      DeviceConfig config, Throttle throttle, boolean signupEnabled) {
        this.sessions = sessions;
        this.csrf = csrf;
        this.logins = logins;
        this.pages = pages;
        this.scopeDescriptions = scopeDescriptions;
        this.stores = stores;
        this.transactions = transactions;
        this.audit = audit;
        this.random = random;
        this.clock = clock;
        this.config = config;
        this.throttle = throttle;
        this.signupEnabled = signupEnabled;
    }

    /** The signed-in person and their session. */
    private record SignedIn(Session session, User user) {}

    /** GET /device, optionally with {@code user_code} (verification_uri_complete), which only fills in the field. */
    public void show(Context ctx) {
        String typed = Optional.ofNullable(ctx.queryParam(USER_CODE)).map(String::strip).filter(c -> c.length() <= 40).orElse("");
        Text t = texts(ctx, typed);
        if (signedIn(ctx).isEmpty()) {
            showLogin(ctx, 200, t, typed, null);
            return;
        }
        showEntry(ctx, 200, t, typed, null);
    }

    /** POST /device/login: the sign-in form of the device page; it comes back to the page with the code. */
    public void login(Context ctx) {
        Form form = Form.parse(ctx);
        csrf.verify(ctx, form);
        String typed = form.lenient(USER_CODE).map(String::strip).filter(c -> c.length() <= 40).orElse("");
        Text t = texts(ctx, typed);
        String login = form.lenient("username").orElse("");
        String password = form.lenient("password").orElse("");
        if (login.isEmpty() || password.isEmpty() || login.length() > 320 || password.length() > PasswordPolicy.MAX_LENGTH) {
            showLogin(ctx, 400, t, typed, t.get("login.error.missing"));
            return;
        }
        switch (logins.attempt(login, password, ctx.ip())) {
            case LoginAttempts.Result.Success success -> {
                sessions.signIn(ctx, success.user());
                ctx.status(303).header("Location", home(t, typed));
            }
            case LoginAttempts.Result.WrongCredentials wrong -> showLogin(ctx, 401, t, typed, t.get("login.error.wrong"));
            case LoginAttempts.Result.Throttled throttled ->
                    showLogin(ctx, 429, t, typed, t.format("login.error.throttled", throttled.retryAfterMinutes()));
        }
    }

    /**
     * POST /device: {@code interaction=lookup} finds the code and shows what it asks for;
     * {@code interaction=decide} with {@code decision} allow or deny records the answer. Both look
     * the code up again through the throttle, so neither can be used to guess.
     */
    public void submit(Context ctx) {
        Form form = Form.parse(ctx);
        csrf.verify(ctx, form);
        String typed = form.lenient(USER_CODE).map(String::strip).orElse("");
        if (typed.length() > 40) typed = typed.substring(0, 40);
        Text t = texts(ctx, typed);
        Optional<SignedIn> current = signedIn(ctx);
        if (current.isEmpty()) {
            ctx.status(303).header("Location", home(t, typed));
            return;
        }
        if (typed.isEmpty()) {
            showEntry(ctx, 400, t, "", t.get("device.error.missing"));
            return;
        }
        Instant now = clock.instant();
        Throttle.Attempt attempt = throttle.begin(List.of(
                new Throttle.Limit(new Throttle.DeviceSession(current.get().session().hash()), config.maxFailuresPerSession()),
                new Throttle.Limit(new Throttle.DeviceAddress(ctx.ip()), config.maxFailuresPerAddress())));
        if (attempt.refused()) {
            stores.audit().record(audit.failure(AuditEvent.Type.CONSENT).user(current.get().user().id()).address(ctx.ip())
                    .detail("device user code entry throttled"));
            showEntry(ctx, 429, t, typed, t.format("device.error.throttled", throttle.retryAfterMinutes()));
            return;
        }
        Optional<String> normalised = UserCodes.normalise(typed);
        Optional<DeviceAuthorization> found = normalised.flatMap(code -> stores.deviceCodes().findPendingByUserCode(UserCodes.hash(code), now));
        Optional<Client> client = found.flatMap(d -> stores.clients().find(d.clientId()));
        if (found.isEmpty() || client.isEmpty()) {
            throttle.settle(attempt);
            showEntry(ctx, 400, t, typed, t.get("device.error.invalid"));
            return;
        }
        throttle.takeBack(attempt);
        String code = normalised.get();
        String decision = form.lenient("interaction").orElse("").equals("decide") ? form.lenient("decision").orElse("") : "";
        switch (decision) {
            case "allow" -> allow(ctx, t, current.get(), found.get(), client.get(), code, now);
            case "deny" -> deny(ctx, t, current.get(), found.get(), client.get(), code, now);
            default -> showConfirm(ctx, t, current.get().user(), found.get(), client.get(), code);
        }
    }

    /** Thrown inside the approval's transaction to roll the new grant back when the code was decided meanwhile. */
    private static final class AlreadyDecided extends RuntimeException {
        AlreadyDecided() { super(null, null, false, false); }
    }

    private void allow(Context ctx, Text t, SignedIn current, DeviceAuthorization device, Client client, String code, Instant now) {
        User user = current.user();
        Instant authTime = current.session().authTime();
        Grant grant = new Grant(random.sortableHex40(now), Optional.of(user.id()), device.clientId(), device.scope(), device.deviceName(),
                authTime, now, Optional.empty());
        try {
            transactions.inTransaction(tx -> {
                if (tx.grants().insert(grant) == GuardedWrite.CLIENT_GONE) throw new AlreadyDecided(); // the client was removed meanwhile
                if (!tx.deviceCodes().approve(UserCodes.hash(code), user.id(), grant.id(), authTime, now)) throw new AlreadyDecided();
                // Remembered like a consent on the authorization page: the next request for these scopes skips it.
                Scope allowed = tx.consents().find(user.id(), client.id()).map(before -> before.union(device.scope())).orElse(device.scope());
                if (tx.consents().remember(user.id(), client.id(), allowed, now) == GuardedWrite.CLIENT_GONE) throw new AlreadyDecided();
                tx.audit().record(audit.success(AuditEvent.Type.CONSENT).user(user.id()).client(client.id()).address(ctx.ip())
                        .detail("device: " + device.scope().wireValue()));
                return null;
            });
        } catch (AlreadyDecided e) {
            showEntry(ctx, 400, t, UserCodes.display(code), t.get("device.error.invalid"));
            return;
        }
        pages.message(ctx, 200, t, new Views.Message(t.get("device.allowed.title"),
                t.format("device.allowed.message", client.name()), null, null));
    }

    private void deny(Context ctx, Text t, SignedIn current, DeviceAuthorization device, Client client, String code, Instant now) {
        if (!stores.deviceCodes().deny(UserCodes.hash(code), now)) {
            showEntry(ctx, 400, t, UserCodes.display(code), t.get("device.error.invalid"));
            return;
        }
        stores.audit().record(audit.failure(AuditEvent.Type.CONSENT).user(current.user().id()).client(client.id()).address(ctx.ip())
                .detail("device denied: " + device.scope().wireValue()));
        pages.message(ctx, 200, t, new Views.Message(t.get("device.denied.title"),
                t.format("device.denied.message", client.name()), null, null));
    }

    private Optional<SignedIn> signedIn(Context ctx) {
        return sessions.current(ctx).flatMap(s -> stores.users().find(s.userId()).map(u -> new SignedIn(s, u)));
    }

    private void showEntry(Context ctx, int status, Text t, String typed, String error) {
        pages.deviceEntry(ctx, status, t, new Views.DeviceEntry(csrf.token(ctx), typed, error));
    }

    private void showConfirm(Context ctx, Text t, User user, DeviceAuthorization device, Client client, String code) {
        pages.deviceConfirm(ctx, t, new Views.DeviceConfirm(csrf.token(ctx), UserCodes.display(code), client.name(),
                user.name().orElse(user.username()), device.deviceName().orElse(null), scopeDescriptions.describe(device.scope(), t)));
    }

    private void showLogin(Context ctx, int status, Text t, String typed, String error) {
        String signupUrl = signupEnabled ? Links.withQuery("/signup", Map.of("lang", t.tag())) : null;
        Map<String, String> hidden = typed.isEmpty() ? Map.of() : Map.of(USER_CODE, typed);
        pages.login(ctx, status, t, new Views.Login("/device/login", hidden, csrf.token(ctx), null, "", error, signupUrl), List.of());
    }

    /** The page's language, with a switcher that keeps the code typed so far. */
    private Text texts(Context ctx, String typed) {
        return pages.text(ctx).withLanguageLinks("/device", typed.isEmpty() ? Map.of() : Map.of(USER_CODE, typed));
    }

    private static String home(Text t, String typed) {
        Map<String, String> params = new LinkedHashMap<>();
        if (!typed.isEmpty()) params.put(USER_CODE, typed);
        params.put("lang", t.tag());
        return Links.withQuery("/device", params);
    }
}
