package dev.castgate.playground;

import dev.castgate.admin.ClientRegistrations;
import dev.castgate.admin.UserAccounts;
import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.PasswordHasher;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientType;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.Scope;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.store.Stores;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Demo mode's fixtures, made through the same services the command-line tool uses: the user
 * {@code demo} and the web client "Castgate playground" it owns. Idempotent: a restart reuses both.
 *
 * <p>Secrets are stored only as hashes, so neither can be shown again after a restart: every
 * demo start sets a fresh random password for the demo user and prints it, and gives the
 * playground client a fresh secret that this process keeps in memory. Demo mode is therefore for
 * one node: a second node started with it would change the secret under the first.
 */
public final class DemoSeed {
    public static final String USERNAME = "demo";
    public static final String EMAIL = "demo@castgate.invalid";
    public static final String CLIENT_NAME = "Castgate playground";
    public static final String CALLBACK_PATH = "/playground/callback";

    /** What demo mode seeded: the demo account's password of this start and the playground client's credentials. */
    public record Credentials(String username, String password, String userId, String clientId, String clientSecret,
                              String redirectUri) {
        /** The lines printed at start. */
        public String banner(String issuer) {
            return String.join(System.lineSeparator(),
                    "==================== Castgate demo mode ====================",
                    "Playground:     " + issuer + "/playground",
                    "Demo user:      " + username,
                    "Demo password:  " + password + "   (a new one at every demo start)",
                    "Demo client:    " + CLIENT_NAME + " (client_id " + clientId + ")",
                    "============================================================");
        }
    }

    private DemoSeed() {}

    public static Credentials seed(Stores stores, RandomTokens random, Clock clock, String issuer) {
        UserAccounts accounts = new UserAccounts(stores, new PasswordHasher(random), random, clock);
        String password = "demo-" + random.hex40().substring(0, 16);
        User user = stores.users().findByLogin(USERNAME).orElse(null);
        if (user == null) {
            user = accounts.create(USERNAME, EMAIL, true, Optional.of("Demo Broadcaster"), password);
        } else {
            accounts.changePassword(user, password);
        }
        String redirectUri = issuer + CALLBACK_PATH;
        UserId userId = user.id();
        Client existing = stores.clients().list().stream()
                .filter(c -> c.name().equals(CLIENT_NAME) && c.ownerId().filter(userId::equals).isPresent())
                .findFirst().orElse(null);
        if (existing != null) {
            if (existing.redirectUris().equals(List.of(redirectUri))) {
                String secret = random.hex40();
                if (stores.clients().replaceSecretHash(existing.id(), Hashes.tokenHash(secret))) {
                    return new Credentials(USERNAME, password, userId.value(), existing.id().value(), secret, redirectUri);
                }
            }
            // Made for another issuer: replace it.
            new ClientRegistrations(stores, random, clock, issuer).remove(existing.id());
        }
        ClientRegistrations.Registered registered = new ClientRegistrations(stores, random, clock, issuer)
                .register(new ClientRegistrations.Request(CLIENT_NAME, ClientType.WEB, List.of(redirectUri),
                        EnumSet.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN),
                        Optional.of(Scope.parseOrNull("openid email profile broadcaster")), Optional.of(USERNAME),
                        Optional.empty(), SigningAlgorithm.RS256, AccessTokenFormat.JWT, SigningAlgorithm.ES256, Optional.empty(),
                        Client.Legacy.NONE, false, false));
        return new Credentials(USERNAME, password, userId.value(), registered.client().id().value(), registered.secret().orElseThrow(), redirectUri);
    }
}
