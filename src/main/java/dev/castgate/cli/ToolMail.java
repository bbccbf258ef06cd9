package dev.castgate.cli;

import dev.castgate.Storage;
import dev.castgate.config.ServerConfig;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.keys.KeyFile;
import dev.castgate.keys.KeysAtRest;
import dev.castgate.login.Throttle;
import dev.castgate.mail.EmailLinks;
import dev.castgate.mail.EmailVerification;
import dev.castgate.mail.Outbox;
import java.time.Clock;
import java.util.Optional;

/**
 * The server's email verification, as the tool uses it on the server's database: links under the
 * key the nodes share (a server secret, so the key file must open it), and mail put into the
 * outbox, which the mail worker of a running server sends within a second. The tool sends
 * nothing itself; mail enqueued while no server runs leaves when one starts.
 */
final class ToolMail {
    private ToolMail() {}

    /** Empty where the configuration sends no mail (production without an SMTP server). */
    static Optional<EmailVerification> verification(ServerConfig config, Storage db) {
        if (!config.mail().available()) return Optional.empty();
        KeysAtRest keys = KeysAtRest.unlock(db.transactions(), db.stores(), KeyFile.of(config));
        RandomTokens random = RandomTokens.secure();
        Clock clock = Clock.systemUTC();
        EmailLinks links = new EmailLinks(keys.serverSecrets().findOrCreate(EmailLinks.SERVER_SECRET, random::urlSafe256, clock.instant()),
                random, clock);
        Outbox outbox = new Outbox(true, random, clock, () -> { });
        Throttle throttle = new Throttle(db.transactions(), random, config.loginThrottle().window(), clock);
        return Optional.of(new EmailVerification(links, outbox, throttle, config.mail().maxLinksPerAccount()));
    }
}
