package dev.castgate.account;

import dev.castgate.crypto.Totp;
import dev.castgate.domain.User;
import dev.castgate.http.Form;
import dev.castgate.interaction.Pages;
import dev.castgate.interaction.QrCodeSvg;
import dev.castgate.interaction.SignInForm;
import dev.castgate.interaction.Text;
import dev.castgate.interaction.Views;
import dev.castgate.login.SecondFactors;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/**
 * Two-step sign-in on the account page: turning it on (a new secret as a QR code and as text,
 * confirmed with a first code; then ten recovery codes, shown once), new recovery codes, and
 * turning it off. The last two need the current password, checked and throttled as a password
 * change is, so a session left open elsewhere can neither weaken the account nor read new codes.
 * Turning it on leaves the person's sessions as they were signed in, with a password only: a
 * request that asks for a second factor then asks them for a code (a step-up), and every sign-in
 * from then on asks for one.
 *
 * @param issuerName the name the authenticator app shows for the entry: the issuer's host
 */
public record SecondFactorPage(AccountPage account, SecondFactors secondFactors, Pages pages,
                               String issuerName) {
    /** POST /account/second-factor/begin: a new secret, shown as a QR code and as text, and the field for its first code. */
    public void begin(Context ctx) { account.whenPosted(ctx, this::begin); }

    private void begin(Context ctx, Form form, Text t, SignInForm.SignedIn signedIn) {
        Optional<String> secret = secondFactors.begin(signedIn.user());
        if (secret.isEmpty()) {
            account.render(ctx, 409, t, signedIn.user(), null, t.get("account.second_factor.error.already_on"));
            return;
        }
        showSetup(ctx, 200, t, signedIn.user(), secret.get(), null);
    }

    /** POST /account/second-factor/confirm: the first code turns it on and brings the recovery codes. */
    public void confirm(Context ctx) { account.whenPosted(ctx, this::confirm); }

    private void confirm(Context ctx, Form form, Text t, SignInForm.SignedIn signedIn) {
        User user = signedIn.user();
        String code = form.lenient("code").orElse("");
        Optional<List<String>> codes = code.length() > 64 ? Optional.empty() : secondFactors.confirm(user, code, ctx.ip());
        if (codes.isEmpty()) {
            Optional<String> pending = secondFactors.pending(user);
            if (pending.isEmpty()) { // confirmed in another tab meanwhile, or never begun
                account.render(ctx, 409, t, user, null, t.get("account.second_factor.error.no_setup"));
            } else {
                showSetup(ctx, 400, t, user, pending.get(), t.get("second_factor.setup.error.wrong"));
            }
            return;
        }
        pages.show(ctx, 200, t, new Views.RecoveryCodes(t.get("recovery_codes.on.title"), t.get("recovery_codes.on.notice"), codes.get()));
    }

    /** POST /account/second-factor/recovery-codes: new codes in place of the old, with the password. */
    public void newRecoveryCodes(Context ctx) { account.whenPosted(ctx, this::newRecoveryCodes); }

    private void newRecoveryCodes(Context ctx, Form form, Text t, SignInForm.SignedIn signedIn) {
        if (!account.passwordConfirmed(ctx, form, t, signedIn.user(), "account.second_factor.error.password_missing")) return;
        Optional<List<String>> codes = secondFactors.newRecoveryCodes(signedIn.user(), ctx.ip());
        if (codes.isEmpty()) {
            account.render(ctx, 409, t, signedIn.user(), null, t.get("account.second_factor.error.off"));
            return;
        }
        pages.show(ctx, 200, t, new Views.RecoveryCodes(t.get("recovery_codes.new.title"), t.get("recovery_codes.new.notice"), codes.get()));
    }

    /** POST /account/second-factor/disable: turns it off, with the password. */
    public void disable(Context ctx) { account.whenPosted(ctx, this::disable); }

    private void disable(Context ctx, Form form, Text t, SignInForm.SignedIn signedIn) {
        if (!account.passwordConfirmed(ctx, form, t, signedIn.user(), "account.second_factor.error.password_missing")) return;
        if (secondFactors.disable(signedIn.user(), ctx.ip())) {
            account.render(ctx, 200, t, signedIn.user(), t.get("account.second_factor.notice.off"), null);
        } else {
            account.render(ctx, 409, t, signedIn.user(), null, t.get("account.second_factor.error.off"));
        }
    }

    private void showSetup(Context ctx, int status, Text t, User user, String secret, String error) {
        String uri = Totp.provisioningUri(issuerName, user.username(), secret);
        pages.show(ctx, status, t, new Views.SecondFactorSetup(account.csrf().token(ctx), QrCodeSvg.of(uri), grouped(secret), error));
    }

    /** The secret in groups of four, easier to type; apps ignore the spaces. */
    private static String grouped(String secret) {
        return String.join(" ", secret.split("(?<=\\G.{4})"));
    }
}
