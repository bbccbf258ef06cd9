package dev.castgate.device;

import dev.castgate.audit.AuditTrail;
import dev.castgate.config.ServerConfig.DeviceConfig;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Client;
import dev.castgate.domain.DeviceAuthorization;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.User;
import dev.castgate.http.Form;
import dev.castgate.interaction.Links;
import dev.castgate.interaction.Pages;
import dev.castgate.interaction.ScopeDescriptions;
import dev.castgate.interaction.SignInForm;
import dev.castgate.interaction.Text;
import dev.castgate.interaction.Views;
import dev.castgate.login.Throttle;
import dev.castgate.protocol.Consents;
import dev.castgate.session.CsrfTokens;
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
public record DevicePage(SignInForm signInForm, CsrfTokens csrf, Pages pages, ScopeDescriptions scopeDescriptions, Stores stores,
                         Transactions transactions, Consents consents, AuditTrail audit, RandomTokens random, Clock clock,
                         DeviceConfig config, Throttle throttle) {
    private static final String USER_CODE = "user_code";

    /** GET /device, optionally with {@code user_code} (verification_uri_complete), which only fills in the field. */
    public void show(Context ctx) {
        String typed = Form.query(ctx).lenient(USER_CODE).map(String::strip).filter(c -> c.length() <= 40).orElse("");
        Text t = texts(ctx, typed);
        if (signInForm.current(ctx).isEmpty()) {
            signInForm.show(ctx, 200, t, signInTarget(typed), null);
            return;
        }
        showEntry(ctx, 200, t, typed, null);
    }

    /** POST /device/login: the sign-in form of the device page; it comes back to the page with the code. */
    public void login(Context ctx) {
        Form form = Form.parse(ctx);
        String typed = form.lenient(USER_CODE).map(String::strip).filter(c -> c.length() <= 40).orElse("");
        Text t = texts(ctx, typed);
        if (signInForm.submit(ctx, form, t, signInTarget(typed)).isPresent()) ctx.status(303).header("Location", home(t, typed));
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
        Optional<SignInForm.SignedIn> current = signInForm.current(ctx);
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
                new Throttle.Limit(Throttle.Kind.DEVICE_SESSION.of(current.get().session().hash().value()), config.maxFailuresPerSession()),
                new Throttle.Limit(Throttle.Kind.DEVICE_ADDRESS.of(ctx.ip()), config.maxFailuresPerAddress())));
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

    private void allow(Context ctx, Text t, SignInForm.SignedIn current, DeviceAuthorization device, Client client, String code, Instant now) {
        User user = current.user();
        Instant authTime = current.session().authTime();
        Grant grant = new Grant(new GrantId(random.sortableHex40(now)), Optional.of(user.id()), device.clientId(), device.scope(), device.deviceName(),
                authTime, now, Optional.empty(), Optional.of(current.session().amr()), Optional.of(current.session().amr().level()),
                dev.castgate.domain.ClaimsRequest.NONE, current.session().sid());
        try {
            transactions.inTransaction(tx -> {
                // The client was removed, or the account disabled, meanwhile.
                if (tx.grants().insert(grant) != GuardedWrite.STORED) throw new AlreadyDecided();
                if (!tx.deviceCodes().approve(UserCodes.hash(code), user.id(), grant.id(), authTime, now)) throw new AlreadyDecided();
                // Remembered like a consent on the authorization page: the next request for these scopes skips it.
                if (consents.allow(tx, Consents.Page.DEVICE, user.id(), client.id(), device.scope(), ctx.ip(), now)
                        == GuardedWrite.CLIENT_GONE) {
                    throw new AlreadyDecided();
                }
                return null;
            });
        } catch (AlreadyDecided e) {
            showEntry(ctx, 400, t, UserCodes.display(code), t.get("device.error.invalid"));
            return;
        }
        pages.show(ctx, 200, t, new Views.Message(t.get("device.allowed.title"),
                t.format("device.allowed.message", client.name()), null, null));
    }

    private void deny(Context ctx, Text t, SignInForm.SignedIn current, DeviceAuthorization device, Client client, String code, Instant now) {
        if (!stores.deviceCodes().deny(UserCodes.hash(code), now)) {
            showEntry(ctx, 400, t, UserCodes.display(code), t.get("device.error.invalid"));
            return;
        }
        consents.deny(stores, Consents.Page.DEVICE, current.user().id(), client.id(), device.scope(), ctx.ip());
        pages.show(ctx, 200, t, new Views.Message(t.get("device.denied.title"),
                t.format("device.denied.message", client.name()), null, null));
    }

    private void showEntry(Context ctx, int status, Text t, String typed, String error) {
        pages.show(ctx, status, t, new Views.DeviceEntry(csrf.token(ctx), typed, error));
    }

    private void showConfirm(Context ctx, Text t, User user, DeviceAuthorization device, Client client, String code) {
        pages.show(ctx, 200, t, new Views.DeviceConfirm(csrf.token(ctx), UserCodes.display(code), client.name(),
                user.name().orElse(user.username()), device.deviceName().orElse(null), scopeDescriptions.describe(device.scope(), client.legacy().apiWrites(), t)));
    }

    /** The device page's sign-in form, which keeps the code typed so far. */
    private static SignInForm.Target signInTarget(String typed) {
        return SignInForm.Target.page("/device/login", typed.isEmpty() ? Map.of() : Map.of(USER_CODE, typed));
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
