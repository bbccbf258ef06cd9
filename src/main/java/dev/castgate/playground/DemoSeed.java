package dev.castgate.playground;

import dev.castgate.admin.ClientRegistrations;
import dev.castgate.admin.UserAccounts;
import dev.castgate.crypto.PasswordHasher;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientType;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.IdTokenAlgorithm;
import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.store.Stores;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Demo mode's fixtures, made through the same services the command-line tool uses: the user
 * {@code demo} and the web client "Castgate playground" it owns. Idempotent: a restart reuses both.
 *
 * <p>The demo password is not stored anywhere in the clear (only its hash is), so it cannot be
 * shown again after a restart: every demo start sets a fresh random password and prints it. The
 * client's secret is kept in the server-secret store next to the client's id, because the
 * playground must authenticate as the client after a restart too.
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

    /** The server secret's name for a client's secret: names hold at most 40 characters; 120 bits of the id tell clients apart. */
    private static String secretName(String clientId) {
        return "playground" + clientId.substring(0, Math.min(30, clientId.length()));
    }

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
        String userId = user.id();
        Client existing = stores.clients().list().stream()
                .filter(c -> c.name().equals(CLIENT_NAME) && c.ownerId().filter(userId::equals).isPresent())
                .findFirst().orElse(null);
        if (existing != null) {
            String secret = stores.serverSecrets().findOrCreate(secretName(existing.id()), "", clock.instant());
            if (!secret.isEmpty() && existing.redirectUris().equals(List.of(redirectUri))) {
                return new Credentials(USERNAME, password, userId, existing.id(), secret, redirectUri);
            }
            // Made for another issuer, or its secret is unknown: replace it.
            new ClientRegistrations(stores, random, clock, issuer).remove(existing.id());
        }
        ClientRegistrations.Registered registered = new ClientRegistrations(stores, random, clock, issuer)
                .register(new ClientRegistrations.Request(CLIENT_NAME, ClientType.WEB, List.of(redirectUri),
                        EnumSet.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN),
                        Optional.of(Scope.parseOrNull("openid email profile broadcaster")), Optional.of(USERNAME),
                        Optional.empty(), IdTokenAlgorithm.RS256, AccessTokenFormat.JWT, Duration.ZERO,
                        new Client.Legacy(false, false, false)));
        String secret = registered.secret().orElseThrow();
        stores.serverSecrets().findOrCreate(secretName(registered.client().id()), secret, clock.instant());
        return new Credentials(USERNAME, password, userId, registered.client().id(), secret, redirectUri);
    }
}
