package dev.castgate.account;

import dev.castgate.domain.Passkey;
import dev.castgate.domain.User;
import dev.castgate.http.Form;
import dev.castgate.interaction.Pages;
import dev.castgate.interaction.PasskeyFields;
import dev.castgate.interaction.PasskeyOptions;
import dev.castgate.interaction.SignInForm;
import dev.castgate.interaction.Text;
import dev.castgate.interaction.Views;
import dev.castgate.login.Passkeys;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * Passkeys on the account page: adding one (a name and the current password, then the browser
 * creates it on a page of its own, whose script posts it back) and removing one (the current
 * password). A passkey is a way into the account, with or without the password, so both need the
 * password, checked and throttled as a password change's: a session left open elsewhere cannot
 * add one of its own. The challenge of the creation page is bound to the account and the
 * session, and is answered once. A person with a passkey is asked for it (or the app's code)
 * after their password from then on; their sessions stay as they were signed in.
 */
public record PasskeyPage(AccountPage account, Passkeys passkeys, Pages pages) {
    /** POST /account/passkeys/begin: the name and the password, then the page that creates the passkey. */
    public void begin(Context ctx) { account.whenPosted(ctx, this::begin); }

    private void begin(Context ctx, Form form, Text t, SignInForm.SignedIn signedIn) {
        User user = signedIn.user();
        Optional<String> name = name(ctx, form, t, user);
        if (name.isEmpty()) return;
        if (!account.passwordConfirmed(ctx, form, t, user, "account.passkeys.error.password_missing")) return;
        showSetup(ctx, 200, t, user, name.get(), null);
    }

    /** POST /account/passkeys/register: the browser's answer, from the creation page's script. */
    public void register(Context ctx) { account.whenPosted(ctx, this::register); }

    private void register(Context ctx, Form form, Text t, SignInForm.SignedIn signedIn) {
        User user = signedIn.user();
        Optional<String> name = name(ctx, form, t, user);
        if (name.isEmpty()) return;
        Optional<Passkeys.Attestation> answer = PasskeyFields.attestation(form);
        if (answer.isEmpty()) {
            showSetup(ctx, 400, t, user, name.get(), t.get("passkey.error.incomplete"));
            return;
        }
        switch (passkeys.register(user, name.get(), answer.get(), account.csrf().token(ctx), ctx.ip())) {
            case Passkeys.Registration.Registered registered ->
                    account.render(ctx, 200, t, user, t.format("account.passkeys.notice.added", registered.passkey().name()), null);
            // A new challenge: the one answered is used up, whatever went wrong.
            case Passkeys.Registration.Refused refused -> showSetup(ctx, 400, t, user, name.get(), t.get("account.passkeys.error.refused"));
        }
    }

    /** POST /account/passkeys/remove: one of the account's passkeys, with the password. */
    public void remove(Context ctx) { account.whenPosted(ctx, this::remove); }

    private void remove(Context ctx, Form form, Text t, SignInForm.SignedIn signedIn) {
        User user = signedIn.user();
        String id = form.lenient("passkey").orElse("");
        if (!account.passwordConfirmed(ctx, form, t, user, "account.passkeys.error.password_missing")) return;
        Optional<String> name = passkeys.list(user.id()).stream().filter(p -> p.credentialId().equals(id)).map(Passkey::name).findFirst();
        if (name.isPresent() && passkeys.remove(user, id, ctx.ip())) {
            account.render(ctx, 200, t, user, t.format("account.passkeys.notice.removed", name.get()), null);
        } else { // removed meanwhile, in another tab, or never this account's
            account.render(ctx, 409, t, user, null, t.get("account.passkeys.error.gone"));
        }
    }

    /** The name the form gives the passkey; otherwise the account page says why, and the answer is empty. */
    private Optional<String> name(Context ctx, Form form, Text t, User user) {
        Optional<String> name = Passkeys.name(form.lenient("name").orElse(""));
        if (name.isEmpty()) account.render(ctx, 400, t, user, null, t.format("account.passkeys.error.name", Passkeys.MAX_NAME_LENGTH));
        return name;
    }

    private void showSetup(Context ctx, int status, Text t, User user, String name, String error) {
        String csrfToken = account.csrf().token(ctx);
        pages.show(ctx, status, t, new Views.PasskeySetup(csrfToken, name, PasskeyOptions.create(passkeys.registration(user, csrfToken), user),
                error));
    }
}
