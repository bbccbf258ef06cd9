package dev.castgate.admin.api;

import dev.castgate.admin.UserAdministration;
import dev.castgate.audit.Operator;
import dev.castgate.domain.AccountHoldings;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.User;
import dev.castgate.http.Json;
import dev.castgate.interaction.Languages;
import dev.castgate.mail.EmailVerification;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /users}: what {@code castgate user} does, through {@link UserAdministration}. Accounts are
 * named as on the command line, by username or email.
 */
final class UsersResource {
    private final UserAdministration admin;
    private final Optional<EmailVerification> verification;
    private final String base;

    /** {@code verification} is the server's, where mail leaves: a changed email is then confirmed by a link, as on the command line. */
    UsersResource(UserAdministration admin, Optional<EmailVerification> verification, String base) {
        this.admin = admin;
        this.verification = verification;
        this.base = base;
    }

    void list(Context ctx, Operator operator) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (User u : admin.list()) all.add(UserAdministration.describe(u));
        Json.respond(ctx, 200, Map.of("users", all));
    }

    void create(Context ctx, Operator operator) {
        AdminBody b = AdminBody.parse(ctx, AdminApi.names(AdminApi.USER_CREATE_FIELDS));
        User user = admin.by(operator).create(b.requireString("username"), b.requireString("email"),
                b.bool("email_verified").orElse(false), b.string("name"), b.requireString("password"));
        ctx.header("Location", base + "/users/" + user.username());
        Json.respond(ctx, 201, UserAdministration.describe(admin.show(user.username())));
    }

    void get(Context ctx, Operator operator) {
        Json.respond(ctx, 200, UserAdministration.describe(admin.show(login(ctx))));
    }

    void update(Context ctx, Operator operator) {
        String login = login(ctx);
        admin.show(login); // an unknown account is 404 before its body is judged
        AdminBody b = AdminBody.parse(ctx, AdminApi.names(AdminApi.USER_UPDATE_FIELDS));
        String language = Languages.require("language", b.string("language").orElse(Locale.US.toString())).tag();
        UserAdministration.Updated updated = admin.by(operator).update(login, new UserAdministration.Changes(b.string("username"),
                b.string("email"), b.bool("email_verified"), b.string("name")),
                new UserAdministration.ChangeMail(b.has("email") ? verification : Optional.empty(), language));
        Map<String, Object> body = UserAdministration.describe(admin.show(updated.user().username()));
        body.put("mailed", updated.mailed().name().toLowerCase(Locale.ROOT));
        Json.respond(ctx, 200, body);
    }

    void setPassword(Context ctx, Operator operator) {
        AdminBody b = AdminBody.parse(ctx, AdminApi.names(AdminApi.PASSWORD_FIELDS));
        boolean revokeGrants = b.bool("revoke_grants").orElse(false);
        UserAdministration.PasswordSet set = admin.by(operator).setPassword(login(ctx), b.requireString("password"), revokeGrants);
        Json.respond(ctx, 200, Map.of("username", set.user().username(), "sessions_ended", set.sessionsEnded(),
                "grants_revoked", set.grantsRevoked()));
    }

    void verifyEmail(Context ctx, Operator operator) {
        AdminBody b = AdminBody.parse(ctx, AdminApi.names(AdminApi.VERIFY_EMAIL_FIELDS));
        UserAdministration.EmailMarked marked = admin.by(operator).verifyEmail(login(ctx), b.bool("verified").orElse(true));
        Map<String, Object> body = UserAdministration.describe(marked.user());
        body.put("changed", marked.changed());
        Json.respond(ctx, 200, body);
    }

    void disable(Context ctx, Operator operator) {
        UserAdministration.Disabled disabled = admin.by(operator).disable(login(ctx));
        Map<String, Object> body = UserAdministration.describe(disabled.user());
        body.put("already", disabled.already());
        body.put("grants_revoked", disabled.grantsRevoked());
        body.put("sessions_ended", disabled.sessionsEnded());
        Json.respond(ctx, 200, body);
    }

    void enable(Context ctx, Operator operator) {
        UserAdministration.Enabled enabled = admin.by(operator).enable(login(ctx));
        Map<String, Object> body = UserAdministration.describe(admin.show(enabled.user().username()).user());
        body.put("changed", enabled.changed());
        Json.respond(ctx, 200, body);
    }

    void unlock(Context ctx, Operator operator) {
        UserAdministration.Unlocked unlocked = admin.by(operator).unlock(login(ctx));
        Json.respond(ctx, 200, Map.of("username", unlocked.user().username(), "failed_sign_ins_forgotten", unlocked.forgotten()));
    }

    void removePasskeys(Context ctx, Operator operator) {
        UserAdministration.PasskeysRemoved removed = admin.by(operator).removePasskeys(login(ctx));
        Json.respond(ctx, 200, Map.of("username", removed.user().username(), "passkeys_removed", removed.removed()));
    }

    void delete(Context ctx, Operator operator) {
        boolean removeOwnedClients = "true".equals(ctx.queryParam("remove_owned_clients"));
        UserAdministration.Removed removed = admin.by(operator).remove(login(ctx), removeOwnedClients);
        AccountHoldings deleted = removed.deleted();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", removed.user().id().value());
        body.put("username", removed.user().username());
        body.put("deleted", UserAdministration.summary(deleted, removed.removedClients().size()));
        body.put("removed_clients", removed.removedClients().stream().map(ClientId::value).toList());
        body.put("anonymised_events", removed.anonymisedEvents());
        body.put("pseudonym", removed.pseudonym().value());
        Json.respond(ctx, 200, body);
    }

    private static String login(Context ctx) { return ctx.pathParam("user"); }
}
