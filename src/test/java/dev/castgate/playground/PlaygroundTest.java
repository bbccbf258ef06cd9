package dev.castgate.playground;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.crypto.PasswordHasher;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.admin.UserAccounts;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.Client;
import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.ServerProcess;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Demo mode: the seeded user and client, the printed credentials, and the playground's callback over HTTP. */
class PlaygroundTest {
    private static final Pattern PRINTED_PASSWORD = Pattern.compile("Demo password:\\s+(\\S+)");

    @Test
    void thePlaygroundIsNotThereWithoutDemoMode(@CastgateServer TestServer server) {
        assertThat(Http.client().get(server.url("/playground")).status()).isEqualTo(404);
        assertThat(Http.client().get(server.url("/playground/callback?code=x&state=y")).status()).isEqualTo(404);
        assertThat(server.database().stores().users().findByLogin(DemoSeed.USERNAME)).isEmpty();
    }

    @Test
    void serveDemoSeedsOnceAndPrintsTheCredentialsAtEveryStart(@CastgateServer TestServer server) {
        String firstPassword;
        try (ServerProcess first = ServerProcess.startBeside(server, "--demo")) {
            firstPassword = printedPassword(first.output());
            assertThat(first.output()).contains("Demo user:      demo").contains(server.issuer() + "/playground");
            assertThat(Http.client().get(first.url("/playground")).status()).isEqualTo(200);
        }
        User user = server.database().stores().users().findByLogin(DemoSeed.USERNAME).orElseThrow();
        Client client = playgroundClient(server);
        assertThat(new PasswordHasher(RandomTokens.secure()).verify(firstPassword, user.passwordHash())).isTrue();
        assertThat(client.redirectUris()).containsExactly(server.issuer() + "/playground/callback");
        assertThat(client.accessTokenFormat()).isEqualTo(AccessTokenFormat.JWT);
        assertThat(client.allowedScope().toString()).contains("openid", "email", "profile", "broadcaster");
        assertThat(client.ownerId()).contains(user.id());

        try (ServerProcess second = ServerProcess.startBeside(server, "--demo")) {
            String secondPassword = printedPassword(second.output());
            assertThat(secondPassword).isNotEqualTo(firstPassword);
            User again = server.database().stores().users().findByLogin(DemoSeed.USERNAME).orElseThrow();
            assertThat(again.id()).isEqualTo(user.id());
            assertThat(new PasswordHasher(RandomTokens.secure()).verify(secondPassword, again.passwordHash())).isTrue();
            assertThat(playgroundClient(server).id()).isEqualTo(client.id());
            assertThat(second.output()).contains("client_id " + client.id());
        }
        // Without --demo the same database serves no playground.
        try (ServerProcess plain = ServerProcess.startBeside(server)) {
            assertThat(Http.client().get(plain.url("/playground")).status()).isEqualTo(404);
            assertThat(plain.output()).doesNotContain("Demo password");
        }
    }

    @Test
    void seedingTwiceReusesTheUserAndTheClientWithAFreshSecret(@CastgateServer("CASTGATE_DEMO=true") TestServer server) {
        DemoSeed.Credentials one = DemoSeed.seed(server.database().stores(), RandomTokens.secure(), server.clock(), server.issuer());
        DemoSeed.Credentials two = DemoSeed.seed(server.database().stores(), RandomTokens.secure(), server.clock(), server.issuer());
        assertThat(two.userId()).isEqualTo(one.userId());
        assertThat(two.clientId()).isEqualTo(one.clientId());
        // Only hashes are stored, so every start gives the client a new secret; the old one stops working.
        assertThat(two.clientSecret()).isNotEqualTo(one.clientSecret());
        assertThat(two.password()).isNotEqualTo(one.password());
        assertThat(two.banner(server.issuer())).contains(two.password()).contains("demo").contains(two.clientId());
        assertThat(server.database().stores().clients().list().stream().filter(c -> c.name().equals(DemoSeed.CLIENT_NAME)))
                .hasSize(1);
        Http.Response token = Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", "nothing"),
                "Authorization", basic(two.clientId(), two.clientSecret()));
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.json()).containsEntry("active", false);
        Http.Response old = Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", "nothing"),
                "Authorization", basic(one.clientId(), one.clientSecret()));
        assertThat(old.status()).isEqualTo(401);
    }

    @Test
    void theCallbackRefusesAForgedOrMissingStateWithoutExchangingTheCode(@CastgateServer("CASTGATE_DEMO=true") TestServer server) {
        String password = resetDemoPassword(server);
        BrowserFlow flow = new BrowserFlow(server);
        String callback = server.url("/playground/callback");

        Map<String, String> request = startSignIn(server, flow);
        assertThat(request).containsEntry("code_challenge_method", "S256").containsKey("code_challenge")
                .containsEntry("redirect_uri", callback).containsKey("state");
        Map<String, String> answer = authorize(flow, request, password);
        assertThat(answer).containsEntry("state", request.get("state"));

        Http.Response forged = flow.http().get(Urls.withQuery(callback, Http.form("code", answer.get("code"), "state", "forged")));
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.header("Content-Type").orElse("")).startsWith("text/html");
        assertThat(HtmlForms.unescapeText(forged.body())).contains("the state is missing or wrong");
        // The pending sign-in is used up: the right state now finds nothing to match either.
        Http.Response late = flow.http().get(Urls.withQuery(callback, Http.form("code", answer.get("code"), "state", answer.get("state"))));
        assertThat(late.status()).isEqualTo(400);
        assertNoTokens(server, flow);

        Map<String, String> second = startSignIn(server, flow);
        Map<String, String> secondAnswer = authorize(flow, second, password);
        Http.Response missing = flow.http().get(Urls.withQuery(callback, Http.form("code", secondAnswer.get("code"))));
        assertThat(missing.status()).isEqualTo(400);
        assertNoTokens(server, flow);

        // Another browser, without the playground's cookie, cannot land a code either.
        Map<String, String> third = startSignIn(server, flow);
        Map<String, String> thirdAnswer = authorize(flow, third, password);
        Http.Response stranger = Http.browser().get(Urls.withQuery(callback, Http.form("code", thirdAnswer.get("code"),
                "state", thirdAnswer.get("state"))));
        assertThat(stranger.status()).isEqualTo(400);
        // Nonsense is refused with a page, never a 500.
        assertThat(Http.browser().get(callback + "?state=a&state=b&code=c&code=%FF").status()).isBetween(400, 499);

        // The browser that started it, with its state, gets its tokens.
        Http.Response landed = flow.http().get(Urls.withQuery(callback, Http.form("code", thirdAnswer.get("code"),
                "state", thirdAnswer.get("state"))));
        assertThat(landed.status()).isEqualTo(303);
        Http.Response page = flow.http().get(server.url(landed.location()));
        assertThat(page.body()).contains("id=\"access_token\"", "id=\"refresh_token\"", "id=\"id_token_claims\"");
    }

    @Test
    void actionsNeedTheFormToken(@CastgateServer("CASTGATE_DEMO=true") TestServer server) {
        Http browser = Http.browser();
        assertThat(browser.get(server.url("/playground")).status()).isEqualTo(200);
        for (String action : List.of("signin", "self", "ingest", "refresh", "revoke", "reset")) {
            Http.Response r = browser.postForm(server.url("/playground/" + action), Http.form("csrf_token", "forged"));
            assertThat(r.status()).as(action).isEqualTo(403);
        }
    }

    private static Map<String, String> startSignIn(TestServer server, BrowserFlow flow) {
        Http.Response page = flow.http().get(server.url("/playground"));
        assertThat(page.status()).isEqualTo(200);
        String csrf = HtmlForms.hiddenFields(page.body()).get("csrf_token");
        Http.Response start = flow.http().postForm(server.url("/playground/signin"), Http.form("csrf_token", csrf));
        assertThat(start.status()).as(start.body()).isEqualTo(303);
        assertThat(start.location()).startsWith(server.url("/authorize?"));
        return start.locationParams();
    }

    /** The authorization's answer: after signing in and allowing, or at once once the browser is signed in and has allowed. */
    private static Map<String, String> authorize(BrowserFlow flow, Map<String, String> request, String password) {
        Http.Response opened = flow.open(request);
        if (opened.status() == 302 || opened.status() == 303) return opened.locationParams();
        return flow.authorize(request, DemoSeed.USERNAME, password).locationParams();
    }

    private static void assertNoTokens(TestServer server, BrowserFlow flow) {
        Http.Response page = flow.http().get(server.url("/playground"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("id=\"access_token\"").contains("action=\"/playground/signin\"");
    }

    private static Client playgroundClient(TestServer server) {
        List<Client> found = server.database().stores().clients().list().stream()
                .filter(c -> c.name().equals(DemoSeed.CLIENT_NAME)).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static String printedPassword(String output) {
        Matcher m = PRINTED_PASSWORD.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group(1);
    }

    private static String basic(String id, String secret) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Gives the demo user a known password. Seeding again would do that too, but it also gives the
     * playground client a new secret, which the running server's playground would not know.
     */
    static String resetDemoPassword(TestServer server) {
        RandomTokens random = RandomTokens.secure();
        User demo = server.database().stores().users().findByLogin(DemoSeed.USERNAME).orElseThrow();
        String password = "demo-password-for-tests";
        new UserAccounts(server.database().stores(), new PasswordHasher(random), random, server.clock()).changePassword(demo, password);
        return password;
    }
}
