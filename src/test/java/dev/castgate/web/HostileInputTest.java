package dev.castgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.api.ApiCalls;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.Authenticator;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.RawHttp;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input at every route of the routing table, on both databases (issue 10): for each route
 * and method, a request that reaches its handler (the client authenticated, the bearer token, the
 * session and CSRF token it needs), then that request with each parameter spoiled in turn (NUL and
 * other control characters, bytes that are not UTF-8, malformed escapes, values longer than any
 * column, repeated), its path parameters turned into traversals, its body of the wrong type or too
 * large, and its headers swollen or garbled. No answer may be a 5xx or show a stack trace, an
 * exception or SQL; a NUL in a parameter the handler uses is refused (4xx, or an error redirect).
 *
 * <p>The routes come from the server itself: a route without a way to reach it here fails the test,
 * so a new route is covered or noticed. HEAD routes run their GET route's handler and get a shorter
 * set, as do the {@code .json} twins of the Streaming API's paths.
 */
class HostileInputTest {
    @CastgateServer({"CASTGATE_DEMO=true",
            // Limits high enough that every request reaches its handler instead of a throttle.
            "CASTGATE_LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS=1000", "CASTGATE_LOGIN_MAX_FAILURES_PER_ACCOUNT=1000",
            "CASTGATE_LOGIN_MAX_FAILURES_PER_ADDRESS=100000", "CASTGATE_DEVICE_MAX_FAILURES_PER_SESSION=1000",
            "CASTGATE_DEVICE_MAX_FAILURES_PER_ADDRESS=100000", "CASTGATE_DEVICE_MAX_AUTHORIZATIONS_PER_ADDRESS=1000000",
            "CASTGATE_DEVICE_MAX_AUTHORIZATIONS_PER_CLIENT=1000000", "CASTGATE_API_RATE_LIMIT_PER_TOKEN=1000000",
            "CASTGATE_API_RATE_LIMIT_PER_ADDRESS=1000000", "CASTGATE_BROADCAST_MAX_REFUSALS_PER_ADDRESS=100000",
            "CASTGATE_RECOVERY_MAX_REQUESTS_PER_ADDRESS=100000"})
    static TestServer server;

    /** What no answer may show: a stack trace, an exception's name, a driver's or the database's words. */
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "at dev.castgate", "Caused by", "java.lang", "org.jdbi",
            "org.postgresql", "org.sqlite", "SQLITE_", "SQLState", "PSQL", "INSERT INTO", "SELECT ", "DELETE FROM", "UPDATE ",
            "statement:", "arguments:");

    /** Suffixes for a parameter's value, as sent (already escaped); the first is a NUL. */
    private static final String NUL = "%00";
    private static final List<String> VALUES = List.of(NUL,
            "%01%08%0B%1B%7F%C2%85%C2%9F",                 // C0 controls, DEL, C1 controls
            "%0D%0A%09x",                                   // line breaks and a tab
            "%FF%FE%C0%80%ED%A0%80%F4%90%80%80",            // no UTF-8: a stray byte, an overlong NUL, a surrogate, past U+10FFFF
            "%zz", "%",                                     // malformed escapes
            "%27%22%3C%2Fscript%3E%3B--%20OR%201%3D1%20..%2F..%2Fetc%2Fpasswd", // quotes, markup, SQL, a traversal
            "x".repeat(201), "x".repeat(501), "x".repeat(2001), "x".repeat(4001), // past each column's width
            "%F0%9F%8E%A5".repeat(201));                    // 201 characters in 804 bytes
    /** A field a page only shows again, and every field of a HEAD twin or a second path to a handler. */
    private static final List<String> SHORT_VALUES = List.of(NUL, "%zz", "x".repeat(4001));
    /** Path parameters: traversals, encoded and not, and values no id has. */
    private static final List<String> PATH_VALUES = List.of("..", "%2e%2e", "..%2F..%2Fetc%2Fpasswd", "..%5C..%5Cwin.ini", "..;",
            "a%00b", "%zz", "x".repeat(300));

    static User user;
    static User owner;
    static TestClient web;
    static String bearer;
    static String openIdBearer;
    static Browser anonymous;
    static Browser signedIn;
    static Browser accountOwner;
    static Browser passwordChanger;
    static Browser leaving;
    static Browser settingUp;
    /** The code form's field after a right password, in the anonymous browser, for an account with two-step sign-in. */
    static String secondStep;
    static String channel;
    static String channelToDelete;
    static String channelForKeys;
    static String video;
    static String videoToDelete;
    static String devicePassword;
    static String stream;
    /** The admin API's token, and what its changing routes may change or remove. */
    static String adminBearer;
    static TestClient adminsClient;
    static TestClient clientToRemove;
    static User adminsUser;
    static User userToRemove;
    static ExecutorService pool;

    /** The cookies (and the CSRF token of the page's forms) of one browser. */
    record Browser(String cookie, String csrf) {}

    /**
     * How one request reaches a route's handler: its headers, its parameters, and the status its
     * unspoiled form gets. {@code shown} parameters are only shown again or compared (a page's
     * field, a code on the landing page), so a NUL in them may be answered normally; {@code spoiled}
     * names the parameters to spoil, all when null. A reduced target (a HEAD twin, a second path
     * to a handler tested in full elsewhere) gets a shorter set.
     */
    record Target(String route, String method, String path, List<String> headers, Map<String, String> params, Set<String> shown,
                  int normal, Set<String> spoiled, boolean reduced) {
        Target spoiling(String... names) {
            return new Target(route, method, path, headers, params, shown, normal, Set.of(names), reduced);
        }

        Target shortened() { return new Target(route, method, path, headers, params, shown, normal, spoiled, true); }

        boolean spoils(String name) { return spoiled == null || spoiled.contains(name); }
    }

    /** One request to send, and what spoiled it (for the failure message and the NUL rule). */
    record Request(Target target, String label, String method, String pathAndQuery, List<String> headers, byte[] body,
                   boolean nulInUsedParameter) {}

    @BeforeAll
    static void setUp() {
        pool = Executors.newFixedThreadPool(3);
        user = server.createUser();
        web = server.client().owner(user).redirectUris("http://127.0.0.1:9/callback", "http://localhost:9/cb")
                .grants(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS, GrantType.PASSWORD,
                        GrantType.DEVICE_CODE).create();
        ApiCalls api = new ApiCalls(server);
        bearer = api.token(web, "broadcaster", false);
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "password",
                "username", user.username(), "password", TestServer.PASSWORD, "scope", "openid email profile broadcaster"),
                "Authorization", web.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        openIdBearer = (String) token.json().get("access_token");
        channel = api.createChannel(bearer, "Hostile");
        channelToDelete = api.createChannel(bearer, "To delete");
        channelForKeys = api.createChannel(bearer, "Rotated");
        video = api.insertVideo(channel, user, "Episode");
        videoToDelete = api.insertVideo(channel, user, "Gone");
        Http.Response created = api.post("/users/self/device-passwords", Http.form("device_name", "cam", "valid_from", "0"), bearer);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        devicePassword = (String) created.json().get("user_name");
        stream = (String) api.ingest(channel, bearer).get("stream_name");
        TestClient adminClient = server.client().admin().create();
        adminBearer = api.token(adminClient, "admin", false);
        adminsClient = server.client().create();
        clientToRemove = server.client().create();
        adminsUser = server.createUser();
        userToRemove = server.createUser();

        anonymous = browser();
        signedIn = signIn(user);
        owner = server.createUser();
        accountOwner = signIn(owner);
        passwordChanger = signIn(server.createUser());
        leaving = signIn(server.createUser());
        settingUp = signIn(server.createUser());
        RawHttp.Answer begun = RawHttp.send(server.issuer(), "POST", "/account/second-factor/begin",
                Http.encode(params("csrf_token", settingUp.csrf())), "Cookie", settingUp.cookie(),
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(begun.status()).as(begun.body()).isEqualTo(200);
        User twoStep = server.createUser();
        Http twoStepBrowser = Http.browser();
        Accounts.signIn(server, twoStepBrowser, twoStep.username(), TestServer.PASSWORD);
        Authenticator.enable(server, twoStepBrowser);
        RawHttp.Answer codePage = RawHttp.send(server.issuer(), "POST", "/account/login", Http.encode(params("csrf_token",
                anonymous.csrf(), "username", twoStep.username(), "password", TestServer.PASSWORD)), "Cookie", anonymous.cookie(),
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(codePage.status()).as(codePage.body()).isEqualTo(200);
        secondStep = HtmlForms.hiddenFields(codePage.body()).get("second_step");
    }

    @AfterAll
    static void stop() {
        if (pool != null) pool.shutdownNow();
    }

    @Test
    void everyRouteAnswersHostileInputWithoutAServerErrorOrATrace() throws Exception {
        List<Target> targets = targets();
        Set<String> registered = server.routes().stream().filter(r -> r.matches("(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS) .*"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> covered = targets.stream().map(Target::route).collect(Collectors.toCollection(TreeSet::new));
        assertThat(covered).as("routes with a way to reach them here; a new route needs a target in targets()").isEqualTo(registered);

        SoftAssertions softly = new SoftAssertions();
        // Each target's own requests in order (its unspoiled request first), the targets side by side.
        List<Future<List<String>>> results = new ArrayList<>();
        for (Target target : targets) results.add(pool.submit(() -> check(target)));
        int requests = 0;
        for (Future<List<String>> result : results) {
            List<String> problems = result.get();
            requests += Integer.parseInt(problems.remove(0));
            problems.forEach(softly::fail);
        }
        softly.assertAll();
        assertThat(requests).as("requests sent").isGreaterThan(2000);
    }

    /** Sends every request of one target; the first element of the answer is how many were sent, the rest are problems. */
    private static List<String> check(Target target) {
        List<String> problems = new ArrayList<>();
        List<Request> requests = requests(target);
        problems.add(Integer.toString(requests.size()));
        boolean first = true;
        for (Request request : requests) {
            RawHttp.Answer answer = RawHttp.send(server.issuer(), request.method(), request.pathAndQuery(), request.body(),
                    request.headers().toArray(String[]::new));
            String where = target.method() + " " + target.path() + " (" + target.route() + ") " + request.label();
            if (first && target.normal() != answer.status()) {
                problems.add(where + ": the unspoiled request got " + answer.status() + ", not " + target.normal()
                        + " (it does not reach the handler): " + answer.body());
            }
            first = false;
            if (problems.size() > 20) break; // enough to see what is wrong
            if (answer.status() < 200 || answer.status() >= 500) problems.add(where + ": status " + answer.status() + ": " + answer.body());
            for (String leak : LEAKS) {
                if (answer.body().contains(leak)) problems.add(where + ": the body shows '" + leak + "': " + answer.body());
            }
            if (request.nulInUsedParameter()) {
                boolean refused = answer.status() >= 400
                        || answer.status() >= 300 && answer.header("Location").map(l -> l.contains("error=")).orElse(false);
                if (!refused) problems.add(where + ": a NUL was taken with " + answer.status() + ": " + answer.body());
            }
        }
        return problems;
    }

    // ---- the routes, each with a request that reaches its handler

    private static List<Target> targets() {
        List<String> none = List.of();
        List<String> client = List.of("Authorization", web.basic());
        List<String> token = List.of("Authorization", "Bearer " + bearer);
        List<String> openId = List.of("Authorization", "Bearer " + openIdBearer);
        List<Target> targets = new ArrayList<>();
        Map<String, String> authorization = params("client_id", web.id(), "redirect_uri", web.redirectUri(), "response_type", "code",
                "scope", "openid email", "state", "st", "nonce", "n-1", "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                "code_challenge_method", "S256", "prompt", "consent", "login_hint", "someone", "device_name", "TV");

        // The parser is the same for GET and POST and for both paths: the POSTs spoil what is theirs and what they keep.
        for (String path : List.of("/authorize", "/oauth2/authorize")) {
            Target get = target("GET " + path, path, cookie(anonymous), authorization, Set.of(), 200);
            Map<String, String> consent = new LinkedHashMap<>(authorization);
            consent.putAll(params("interaction", "consent", "decision", "allow", "csrf_token", signedIn.csrf()));
            // A spoiled interaction is no interaction: the consent page again.
            Target allow = target("POST " + path, path, cookie(signedIn), consent, Set.of("interaction"), 303)
                    .spoiling("nonce", "redirect_uri", "state", "device_name", "interaction", "decision", "csrf_token");
            Map<String, String> login = new LinkedHashMap<>(authorization);
            login.putAll(params("interaction", "login", "username", user.username(), "password", TestServer.PASSWORD, "csrf_token", anonymous.csrf()));
            Target signIn = target("POST " + path, path, cookie(anonymous), login, Set.of("interaction", "username", "password"), 200)
                    .spoiling("interaction", "username", "password", "csrf_token");
            for (Target t : List.of(get, allow, signIn)) targets.add(path.equals("/authorize") ? t : t.shortened());
        }

        targets.add(target("GET /signup", "/signup", cookie(anonymous), params("login_hint", "someone", "client_id", web.id(),
                "redirect_uri", web.redirectUri(), "state", "st"), Set.of("login_hint", "client_id", "redirect_uri", "state"), 200));
        // The password is too short, so only its own variants go on to the (slow) hash.
        targets.add(target("POST /signup", "/signup", cookie(anonymous), params("csrf_token", anonymous.csrf(), "username", "hostile-signup",
                "email", "hostile-signup@example.com", "name", "Hostile", "password", "short"),
                Set.of("username", "email", "name", "password"), 400));

        targets.add(target("GET /account", "/account", cookie(accountOwner), params(), Set.of(), 200));
        targets.add(target("POST /account/login", "/account/login", cookie(anonymous), params("csrf_token", anonymous.csrf(),
                "username", user.username(), "password", TestServer.PASSWORD), Set.of("username", "password"), 303));
        // The owner's own address: the name changes at once (a new address would need the password and a mailed link).
        targets.add(target("POST /account/profile", "/account/profile", cookie(accountOwner), params("csrf_token", accountOwner.csrf(),
                "name", "Hostile Owner", "email", owner.email()), Set.of("name", "email"), 200));
        targets.add(target("POST /account/email/resend", "/account/email/resend", cookie(accountOwner), params("csrf_token",
                accountOwner.csrf()), Set.of(), 200));
        targets.add(target("POST /account/password", "/account/password", cookie(passwordChanger), params("csrf_token",
                passwordChanger.csrf(), "current_password", TestServer.PASSWORD, "new_password", "p".repeat(1025)),
                Set.of("current_password", "new_password"), 400));
        targets.add(target("POST /account/grants/revoke", "/account/grants/revoke", cookie(accountOwner), params("csrf_token",
                accountOwner.csrf(), "grant_id", "0".repeat(40)), Set.of("grant_id"), 404));
        // Two-step sign-in: the owner's is off (a set-up begun, new codes and turning off refused), one set-up is under way.
        targets.add(target("POST /account/second-factor/begin", "/account/second-factor/begin", cookie(accountOwner),
                params("csrf_token", accountOwner.csrf()), Set.of(), 200));
        targets.add(target("POST /account/second-factor/confirm", "/account/second-factor/confirm", cookie(settingUp),
                params("csrf_token", settingUp.csrf(), "code", "not a code"), Set.of(), 400));
        // The second step of a sign-in with two-step sign-in on: the code form's fields, and the code.
        targets.add(target("POST /account/login", "/account/login", cookie(anonymous), params("csrf_token", anonymous.csrf(),
                "second_step", secondStep, "code", "not a code"), Set.of(), 401).spoiling("second_step", "code"));
        for (String action : List.of("recovery-codes", "disable")) {
            targets.add(target("POST /account/second-factor/" + action, "/account/second-factor/" + action, cookie(accountOwner),
                    params("csrf_token", accountOwner.csrf(), "current_password", TestServer.PASSWORD), Set.of(), 409));
        }
        // Passkeys: the creation page, an answer that is no passkey's, and the removal of one the account does not have.
        targets.add(target("POST /account/passkeys/begin", "/account/passkeys/begin", cookie(accountOwner),
                params("csrf_token", accountOwner.csrf(), "name", "Laptop", "current_password", TestServer.PASSWORD), Set.of(), 200));
        targets.add(target("POST /account/passkeys/register", "/account/passkeys/register", cookie(accountOwner),
                params("csrf_token", accountOwner.csrf(), "name", "Laptop", "passkey_client_data", "e30", "passkey_attestation", "oA"),
                Set.of(), 400));
        targets.add(target("POST /account/passkeys/remove", "/account/passkeys/remove", cookie(accountOwner),
                params("csrf_token", accountOwner.csrf(), "passkey", "bm9uZQ", "current_password", TestServer.PASSWORD), Set.of(), 409));

        // The pages of mailed links, with tokens no link has (each is looked up by its hash), and the request for one.
        String unknownToken = "A".repeat(43);
        targets.add(target("GET /verify-email", "/verify-email", cookie(anonymous), params("token", unknownToken), Set.of(), 400));
        targets.add(target("POST /verify-email", "/verify-email", cookie(anonymous), params("csrf_token", anonymous.csrf(), "token", unknownToken),
                Set.of(), 400));
        targets.add(target("GET /reset-password", "/reset-password", cookie(anonymous), params("token", unknownToken), Set.of(), 400));
        targets.add(target("POST /reset-password", "/reset-password", cookie(anonymous), params("csrf_token", anonymous.csrf(),
                "token", unknownToken, "new_password", "a new long password"), Set.of(), 400));
        targets.add(target("GET /forgot-password", "/forgot-password", cookie(anonymous), params("login_hint", "someone", "client_id",
                web.id(), "redirect_uri", web.redirectUri(), "state", "st"), Set.of("login_hint", "client_id", "redirect_uri", "state"), 200));
        targets.add(target("POST /forgot-password", "/forgot-password", cookie(anonymous), params("csrf_token", anonymous.csrf(),
                "login", user.username(), "client_id", web.id(), "state", "st"), Set.of("client_id", "state"), 200));

        targets.add(target("GET /logout", "/logout", cookie(leaving), params(), Set.of(), 200));
        targets.add(target("POST /logout", "/logout", cookie(leaving), params("csrf_token", leaving.csrf()), Set.of(), 200));
        // The end-session endpoint's own parameters (RP-Initiated Logout §2): a hint that is no ID token, a client without a session.
        targets.add(target("GET /logout", "/logout", cookie(anonymous), params("id_token_hint", "e30.e30.e30", "ui_locales", "de"),
                Set.of("ui_locales"), 400));
        targets.add(target("POST /logout", "/logout", cookie(anonymous), params("client_id", web.id(), "ui_locales", "hu"),
                Set.of("ui_locales"), 200));

        targets.add(target("GET /device", "/device", cookie(signedIn), params("user_code", "WDJB-MJHT"), Set.of("user_code"), 200));
        targets.add(target("POST /device", "/device", cookie(signedIn), params("csrf_token", signedIn.csrf(), "interaction", "lookup",
                "user_code", "WDJB-MJHT"), Set.of("user_code", "interaction"), 400));
        targets.add(target("POST /device/login", "/device/login", cookie(anonymous), params("csrf_token", anonymous.csrf(),
                "user_code", "WDJB-MJHT", "username", user.username(), "password", TestServer.PASSWORD), Set.of("user_code", "username", "password"), 303));

        targets.add(target("POST /oauth2/token", "/oauth2/token", client, params("grant_type", "client_credentials", "scope", "broadcaster",
                "device_name", "Encoder", "token_type", "jwt"), Set.of(), 200));
        targets.add(target("POST /oauth2/token", "/oauth2/token", client, params("grant_type", "password", "username", user.username(),
                "password", TestServer.PASSWORD, "scope", "openid", "device_name", "Phone"), Set.of(), 200));
        targets.add(target("POST /oauth2/token", "/oauth2/token", client, params("grant_type", "authorization_code", "code", "c".repeat(43),
                "redirect_uri", web.redirectUri(), "code_verifier", "v".repeat(43)), Set.of(), 400));
        targets.add(target("POST /oauth2/token", "/oauth2/token", client, params("grant_type", "refresh_token", "refresh_token", "0".repeat(40),
                "scope", "openid"), Set.of(), 400));
        targets.add(target("POST /oauth2/token", "/oauth2/token", none, params("grant_type", GrantType.DEVICE_CODE.wireName(),
                "device_code", "0".repeat(40), "client_id", web.id(), "client_secret", web.secret()), Set.of(), 400));
        targets.add(target("POST /oauth2/par", "/oauth2/par", client, params("response_type", "code", "redirect_uri", web.redirectUri(),
                "scope", "openid", "state", "s", "nonce", "n", "code_challenge", "c".repeat(43), "code_challenge_method", "S256"), Set.of(), 201));
        targets.add(target("POST /oauth2/device_authorization", "/oauth2/device_authorization", client,
                params("scope", "broadcaster", "device_name", "TV"), Set.of(), 200));
        for (String path : List.of("/oauth2/token/revoke", "/oauth2/revoke")) {
            targets.add(target("POST " + path, path, client, params("token", "0".repeat(40), "token_type_hint", "refresh_token"), Set.of(), 200));
        }
        targets.add(target("POST /oauth2/introspect", "/oauth2/introspect", client, params("token", bearer, "token_type_hint", "access_token"),
                Set.of(), 200));
        // Dynamic client registration takes JSON: a form, with no initial access token, is refused before it is read;
        // the configuration endpoint refuses an access token that is no registration access token.
        targets.add(target("POST /oauth2/register", "/oauth2/register", none, params("client_name", "Hostile"), Set.of(), 401));
        for (String method : List.of("GET", "PUT", "DELETE")) {
            targets.add(target(method + " /oauth2/register/{client_id}", "/oauth2/register/" + web.id(), token,
                    params("client_name", "Hostile"), Set.of(), 401));
        }
        targets.add(target("GET /oauth2/userinfo", "/oauth2/userinfo", openId, params(), Set.of(), 200));
        targets.add(target("POST /oauth2/userinfo", "/oauth2/userinfo", none, params("access_token", openIdBearer), Set.of(), 200));
        targets.add(target("GET /oauth2/redirect", "/oauth2/redirect", none, params("code", "abc", "state", "st", "error", "access_denied",
                "error_description", "no", "iss", server.issuer()), Set.of("code", "state", "error", "error_description", "iss"), 200));

        for (String path : List.of("/oauth2/jwks", "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server",
                "/health/live", "/health/ready")) {
            targets.add(target("GET " + path, path, none, params(), Set.of(), 200));
        }
        targets.add(target("GET /static/{file}", "/static/castgate.css", none, params(), Set.of(), 200));

        targets.add(target("GET /playground", "/playground", cookie(anonymous), params(), Set.of(), 200));
        targets.add(target("GET /playground/callback", "/playground/callback", cookie(anonymous), params("code", "abc", "state", "st"),
                Set.of("code", "state"), 400));
        for (String action : List.of("signin", "self", "ingest", "refresh", "revoke", "reset")) {
            targets.add(target("POST /playground/" + action, "/playground/" + action, cookie(anonymous),
                    params("csrf_token", anonymous.csrf()), Set.of(), 303));
        }

        for (String json : List.of("", ".json")) {
            targets.add(target("GET /api/users/self" + json, "/api/users/self" + json, token, params(), Set.of(), 200));
            targets.add(target("GET /api/users/self/channels" + json, "/api/users/self/channels" + json, token, params(), Set.of(), 200));
            targets.add(target("POST /api/users/self/channels" + json, "/api/users/self/channels" + json, token,
                    params("title", "Show", "description", "About"), Set.of(), 201));
            targets.add(target("GET /api/channels/{id}/videos" + json, "/api/channels/" + channel + "/videos" + json, token, params(), Set.of(), 200));
            targets.add(target("GET /api/channels/{id}/ingest" + json, "/api/channels/" + channel + "/ingest" + json, token, params(), Set.of(), 200));
            targets.add(target("POST /api/channels/{id}/ingest/channel-key" + json, "/api/channels/" + channelForKeys + "/ingest/channel-key" + json,
                    token, params(), Set.of(), 200));
            targets.add(target("GET /api/users/self/videos" + json, "/api/users/self/videos" + json, token, params(), Set.of(), 200));
            targets.add(target("GET /api/users/self/device-passwords" + json, "/api/users/self/device-passwords" + json, token, params(),
                    Set.of(), 200));
            targets.add(target("POST /api/users/self/device-passwords" + json, "/api/users/self/device-passwords" + json, token,
                    params("device_name", "Camera", "valid_from", "0", "valid_until", "4102444800"), Set.of(), 201));
        }
        targets.add(target("GET /api/channels/{id}", "/api/channels/" + channel, token, params(), Set.of(), 200));
        targets.add(target("PUT /api/channels/{id}", "/api/channels/" + channel, token, params("title", "Renamed", "description", "Again"),
                Set.of(), 200));
        targets.add(target("DELETE /api/channels/{id}", "/api/channels/" + channelToDelete, token, params(), Set.of(), 204));
        targets.add(target("GET /api/videos/{id}", "/api/videos/" + video, token, params(), Set.of(), 200));
        targets.add(target("PUT /api/videos/{id}", "/api/videos/" + video, token, params("title", "Renamed", "description", "Again"),
                Set.of(), 200));
        targets.add(target("DELETE /api/videos/{id}", "/api/videos/" + videoToDelete, token, params(), Set.of(), 204));
        targets.add(target("DELETE /api/users/self/device-passwords/{user_name}", "/api/users/self/device-passwords/" + devicePassword,
                token, params(), Set.of(), 204));
        targets.add(target("POST /api/broadcast/on_publish", "/api/broadcast/on_publish", none, params("call", "publish", "app", "live",
                "name", stream, "key", "0".repeat(40), "addr", "127.0.0.1"), Set.of(), 403));
        targets.add(target("POST /api/broadcast/on_publish", "/api/broadcast/on_publish", none, params("call", "publish", "app", "live",
                "name", stream, "user", devicePassword, "pass", "0".repeat(40)), Set.of(), 403).spoiling("user", "pass"));
        targets.add(target("GET /api/openapi.json", "/api/openapi.json", none, params(), Set.of(), 200));

        // The admin API takes JSON: a form body is refused before it is read, routes without a body run; what they change
        // or remove is the admin's own fixtures, and ids no row has are 404.
        List<String> admin = List.of("Authorization", "Bearer " + adminBearer);
        String a = "/admin/api";
        String someClient = adminsClient.id();
        String someUser = adminsUser.username();
        targets.add(target("GET " + a + "/clients", a + "/clients", admin, params(), Set.of(), 200));
        targets.add(target("POST " + a + "/clients", a + "/clients", admin, params("name", "Hostile", "type", "web"), Set.of(), 400));
        targets.add(target("GET " + a + "/clients/{id}", a + "/clients/" + someClient, admin, params(), Set.of(), 200));
        targets.add(target("PATCH " + a + "/clients/{id}", a + "/clients/" + someClient, admin, params(), Set.of(), 200));
        targets.add(target("DELETE " + a + "/clients/{id}", a + "/clients/" + clientToRemove.id(), admin, params(), Set.of(), 204));
        targets.add(target("GET " + a + "/users", a + "/users", admin, params(), Set.of(), 200));
        targets.add(target("POST " + a + "/users", a + "/users", admin, params("username", "hostile"), Set.of(), 400));
        targets.add(target("GET " + a + "/users/{user}", a + "/users/" + someUser, admin, params(), Set.of(), 200));
        targets.add(target("PATCH " + a + "/users/{user}", a + "/users/" + someUser, admin, params(), Set.of(), 400));
        targets.add(target("DELETE " + a + "/users/{user}", a + "/users/" + userToRemove.username(), admin, params(), Set.of(), 200));
        for (String action : List.of("password", "verify-email")) {
            targets.add(target("POST " + a + "/users/{user}/" + action, a + "/users/" + someUser + "/" + action, admin,
                    params("password", "x"), Set.of(), 400));
        }
        for (String action : List.of("disable", "enable", "unlock")) {
            targets.add(target("POST " + a + "/users/{user}/" + action, a + "/users/" + someUser + "/" + action, admin, params(), Set.of(), 200));
        }
        targets.add(target("DELETE " + a + "/users/{user}/passkeys", a + "/users/" + someUser + "/passkeys", admin, params(), Set.of(), 200));
        targets.add(target("GET " + a + "/users/{user}/grants", a + "/users/" + user.username() + "/grants", admin, params(), Set.of(), 200));
        targets.add(target("DELETE " + a + "/grants/{grant_id}", a + "/grants/" + "0".repeat(40), admin, params(), Set.of(), 404));
        targets.add(target("GET " + a + "/keys", a + "/keys", admin, params(), Set.of(), 200));
        targets.add(target("POST " + a + "/keys/rotate", a + "/keys/rotate", admin, params("alg", "ES256"), Set.of(), 400));
        targets.add(target("POST " + a + "/keys/{kid}/retire", a + "/keys/no-such-key/retire", admin, params(), Set.of(), 404));
        targets.add(target("GET " + a + "/audit", a + "/audit", admin, params("limit", "5", "since", "1h", "type", "login"), Set.of(), 200));
        targets.add(target("GET " + a + "/registration-tokens", a + "/registration-tokens", admin, params(), Set.of(), 200));
        targets.add(target("POST " + a + "/registration-tokens", a + "/registration-tokens", admin, params("ttl", "60"), Set.of(), 400));
        targets.add(target("GET " + a + "/registration-tokens/{id}", a + "/registration-tokens/no-such-token", admin, params(), Set.of(), 404));
        targets.add(target("DELETE " + a + "/registration-tokens/{id}", a + "/registration-tokens/no-such-token", admin, params(), Set.of(), 404));
        targets.add(target("GET " + a + "/resources", a + "/resources", admin, params(), Set.of(), 200));
        targets.add(target("POST " + a + "/resources", a + "/resources", admin, params("uri", "https://hostile.example/"), Set.of(), 400));
        targets.add(target("DELETE " + a + "/resources", a + "/resources", admin, params("uri", "https://no-such.example/"), Set.of(), 404));
        targets.add(target("GET " + a + "/openapi.json", a + "/openapi.json", none, params(), Set.of(), 200));

        // HEAD runs the GET route's handler: the same request with its first part (and no body) suffices.
        List<Target> heads = new ArrayList<>();
        for (Target get : targets) {
            if (get.method().equals("GET")) {
                heads.add(new Target("HEAD" + get.route().substring(3), "HEAD", get.path(), get.headers(), get.params(), get.shown(),
                        get.normal(), get.spoiled(), true));
            }
        }
        targets.addAll(heads);
        return targets;
    }

    private static Target target(String route, String path, List<String> headers, Map<String, String> params, Set<String> shown,
                                 int normal) {
        return new Target(route, route.substring(0, route.indexOf(' ')), path, headers, params, shown, normal, null,
                route.contains(".json"));
    }

    private static List<String> cookie(Browser browser) { return List.of("Cookie", browser.cookie()); }

    private static Map<String, String> params(String... keysAndValues) { return Http.form(keysAndValues); }

    // ---- the requests of one target

    private static List<Request> requests(Target t) {
        List<Request> requests = new ArrayList<>();
        boolean body = t.method().equals("POST") || t.method().equals("PUT");
        requests.add(request(t, "unspoiled", t.path(), t.headers(), encoded(t.params(), null, null), body, false));

        // Each parameter spoiled in turn: a suffix to its value, repeated, sent empty.
        for (String name : t.params().keySet()) {
            if (!t.spoils(name)) continue;
            // A field a page only shows again gets the short set: a sign-in form's name costs a password hash each time.
            List<String> values = t.reduced() || t.shown().contains(name) ? SHORT_VALUES : VALUES;
            for (String suffix : values) {
                boolean nul = suffix.equals(NUL) && !t.shown().contains(name);
                requests.add(request(t, name + " + " + abbreviate(suffix), t.path(), t.headers(), encoded(t.params(), name, suffix), body, nul));
            }
            if (!t.reduced() && !t.shown().contains(name)) {
                requests.add(request(t, name + " repeated", t.path(), t.headers(),
                        encoded(t.params(), null, null) + "&" + name + "=" + enc(t.params().get(name)), body, false));
                requests.add(request(t, name + " empty", t.path(), t.headers(), encoded(t.params(), name, null).replace(
                        name + "=" + enc(t.params().get(name)), name + "="), body, false));
            }
        }

        // Its path parameters turned into traversals and values no id has.
        String[] routeSegments = t.route().substring(t.route().indexOf(' ') + 1).split("/");
        String[] pathSegments = t.path().split("/");
        for (int i = 0; i < routeSegments.length; i++) {
            if (!routeSegments[i].startsWith("{")) continue;
            for (String value : PATH_VALUES) {
                String[] spoiled = pathSegments.clone();
                spoiled[i] = value;
                requests.add(request(t, "path " + routeSegments[i] + " = " + abbreviate(value), String.join("/", spoiled), t.headers(),
                        encoded(t.params(), null, null), body, false));
            }
        }

        String query = body ? "" : encoded(t.params(), null, null);
        String separator = query.isEmpty() ? "?" : "?" + query + "&";
        // A spoiled query on any route: POST routes read it for its escapes only.
        for (String junk : List.of("%zz=1", "x=%00&%00=1", "a=%FF%FE&=&&==")) {
            requests.add(rawRequest(t, "query " + junk, t.path() + separator + junk, t.headers(), body ? encoded(t.params(), null, null) : null,
                    "application/x-www-form-urlencoded"));
        }
        if (t.reduced()) return requests;

        // Headers: swollen within the server's limits, garbled, or in place of the credentials.
        List<List<String>> headerSets = new ArrayList<>();
        headerSets.add(with(t.headers(), "X-Padding", "p".repeat(6000)));
        headerSets.add(with(t.headers(), "Accept-Language", "zz-" + "x".repeat(3000) + ";q=%%%, *;q=2"));
        headerSets.add(List.of("Cookie", "castgate_session=%00" + "s".repeat(100) + "; castgate_csrf=" + "c".repeat(3000) + "; castgate_playground=%zz"));
        headerSets.add(List.of("Authorization", "Bearer " + "a".repeat(5000)));
        headerSets.add(List.of("Authorization", "Basic " + Base64.getEncoder().encodeToString("\u0000:\u0000".getBytes(StandardCharsets.UTF_8))));
        headerSets.add(List.of("Authorization", "Bearer a b c"));
        headerSets.add(with(t.headers(), "Content-Type", "application/x-www-form-urlencoded; charset=\u00ff\u00fe"));
        for (List<String> headers : headerSets) {
            String label = "headers " + abbreviate(String.join(": ", headers.subList(headers.size() - 2, headers.size())));
            if (body) {
                requests.add(rawRequest(t, label, t.path(), headers, encoded(t.params(), null, null), "application/x-www-form-urlencoded"));
            } else {
                requests.add(rawRequest(t, label, t.path() + "?" + query, headers, null, null));
            }
        }

        if (body) {
            // The body in the wrong shape, of the wrong type, too large, or not UTF-8.
            String form = encoded(t.params(), null, null);
            requests.add(rawRequest(t, "no content type", t.path(), t.headers(), form, ""));
            requests.add(rawRequest(t, "text/plain", t.path(), t.headers(), form, "text/plain"));
            requests.add(rawRequest(t, "JSON", t.path(), t.headers(), json(t.params()), "application/json"));
            requests.add(rawRequest(t, "multipart", t.path(), t.headers(), multipart(t.params(), false), "multipart/form-data; boundary=hostile"));
            requests.add(rawRequest(t, "multipart with a file", t.path(), t.headers(), multipart(t.params(), true),
                    "multipart/form-data; boundary=hostile"));
            requests.add(rawRequest(t, "form of 100 KB", t.path(), t.headers(), form + "&x=" + "a".repeat(100_000), "application/x-www-form-urlencoded"));
            ByteArrayOutputStream notUtf8 = new ByteArrayOutputStream();
            notUtf8.writeBytes(form.getBytes(StandardCharsets.US_ASCII));
            for (String name : t.params().keySet()) {
                notUtf8.writeBytes(("&" + name + "=").getBytes(StandardCharsets.US_ASCII));
                notUtf8.writeBytes(new byte[] {(byte) 0xff, (byte) 0xc0, (byte) 0x80, 0x00, 0x01});
            }
            requests.add(new Request(t, "raw bytes that are not UTF-8", t.method(), t.path(), with(t.headers(), "Content-Type",
                    "application/x-www-form-urlencoded"), notUtf8.toByteArray(), false));
        } else {
            requests.add(rawRequest(t, "query of 100 KB", t.path() + separator + "x=" + "a".repeat(100_000), t.headers(), null, null));
            requests.add(rawRequest(t, "a JSON body", t.path() + "?" + query, t.headers(), json(t.params()), "application/json"));
        }
        return requests;
    }

    /** The request with the parameters as a query (GET, HEAD, DELETE) or as a form body (POST, PUT). */
    private static Request request(Target t, String label, String path, List<String> headers, String params, boolean body, boolean nul) {
        if (body) {
            return new Request(t, label, t.method(), path, with(headers, "Content-Type", "application/x-www-form-urlencoded"),
                    params.getBytes(StandardCharsets.US_ASCII), nul);
        }
        return new Request(t, label, t.method(), params.isEmpty() ? path : path + "?" + params, headers, new byte[0], nul);
    }

    /** A request sent as given: a body of this content type, or none ({@code contentType} empty: the header is left out). */
    private static Request rawRequest(Target t, String label, String pathAndQuery, List<String> headers, String body, String contentType) {
        List<String> all = contentType == null || contentType.isEmpty() || headers.contains("Content-Type") ? headers
                : with(headers, "Content-Type", contentType);
        return new Request(t, label, t.method(), pathAndQuery, all, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), false);
    }

    /** The parameters form-urlencoded; {@code spoiled} gets {@code suffix} (already escaped) after its value. */
    private static String encoded(Map<String, String> params, String spoiled, String suffix) {
        return params.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()) + (e.getKey().equals(spoiled) && suffix != null ? suffix : ""))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String value) { return URLEncoder.encode(value, StandardCharsets.UTF_8); }

    private static String json(Map<String, String> params) {
        return params.entrySet().stream().map(e -> "\"" + e.getKey() + "\":\"" + e.getValue().replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String multipart(Map<String, String> params, boolean withFile) {
        StringBuilder body = new StringBuilder();
        params.forEach((name, value) -> body.append("--hostile\r\nContent-Disposition: form-data; name=\"").append(name)
                .append("\"\r\n\r\n").append(value).append("\r\n"));
        if (withFile) {
            body.append("--hostile\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"../../etc/passwd\"\r\n")
                    .append("Content-Type: application/octet-stream\r\n\r\n").append("\u0000".repeat(100)).append("\r\n");
        }
        return body.append("--hostile--\r\n").toString();
    }

    private static List<String> with(List<String> headers, String name, String value) {
        List<String> all = new ArrayList<>(headers);
        all.add(name);
        all.add(value);
        return all;
    }

    private static String abbreviate(String s) { return s.length() <= 40 ? s : s.substring(0, 20) + "…(" + s.length() + ")"; }

    // ---- browsers

    /** A browser without a session: its CSRF cookie and the token of its forms. */
    private static Browser browser() {
        RawHttp.Answer page = RawHttp.send(server.issuer(), "GET", "/account", new byte[0]);
        assertThat(page.status()).isEqualTo(200);
        return new Browser("castgate_csrf=" + cookieValue(page, "castgate_csrf"), HtmlForms.hiddenFields(page.body()).get("csrf_token"));
    }

    /** A browser signed in as {@code user}. */
    private static Browser signIn(User user) {
        Browser before = browser();
        RawHttp.Answer signedIn = RawHttp.send(server.issuer(), "POST", "/account/login",
                Http.encode(params("csrf_token", before.csrf(), "username", user.username(), "password", TestServer.PASSWORD)),
                "Cookie", before.cookie(), "Content-Type", "application/x-www-form-urlencoded");
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(303);
        String cookie = "castgate_session=" + cookieValue(signedIn, "castgate_session") + "; castgate_csrf=" + cookieValue(signedIn, "castgate_csrf");
        RawHttp.Answer page = RawHttp.send(server.issuer(), "GET", "/account", new byte[0], "Cookie", cookie);
        assertThat(page.body()).contains("action=\"/account/profile\"");
        return new Browser(cookie, HtmlForms.hiddenFields(page.body()).get("csrf_token"));
    }

    private static String cookieValue(RawHttp.Answer answer, String name) {
        Matcher m = Pattern.compile("(?im)^Set-Cookie: " + name + "=([^;\r\n]*)").matcher(answer.headers());
        assertThat(m.find()).as("Set-Cookie " + name + " in " + answer.headers()).isTrue();
        return m.group(1);
    }
}
