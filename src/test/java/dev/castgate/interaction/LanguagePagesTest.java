package dev.castgate.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every page in English, Hungarian or German: by the lang parameter, then Accept-Language, else English. */
class LanguagePagesTest {
    @CastgateServer static TestServer server;
    static TestClient client;

    @BeforeAll
    static void setUp() {
        client = server.client().create();
    }

    private static Map<String, String> params(String... extra) {
        Map<String, String> p = Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code",
                "scope", "openid profile email broadcaster", "state", "lang-state");
        p.putAll(Http.form(extra));
        return p;
    }

    private static Http.Response get(Map<String, String> params, String... headers) {
        return Http.browser().get(Urls.withQuery(server.url("/authorize"), params), headers);
    }

    @Test
    void theLangParameterChoosesTheSignInPagesLanguage() {
        Http.Response hu = get(params("lang", "hu_HU"));
        assertThat(hu.status()).isEqualTo(200);
        assertThat(hu.body()).contains("<html lang=\"hu-HU\">").contains("<title>Bejelentkezés · Castgate</title>")
                .contains("szeretné használni a fiókját.").contains(">Felhasználónév vagy e-mail-cím</label>")
                .contains(">Jelszó</label>").contains(">Bejelentkezés</button>").contains("Fiók létrehozása")
                .doesNotContain("Sign in");
        assertThat(HtmlForms.hiddenFields(hu.body())).containsEntry("lang", "hu_HU");

        Http.Response de = get(params("lang", "de_DE"));
        assertThat(de.body()).contains("<html lang=\"de-DE\">").contains("<title>Anmelden · Castgate</title>")
                .contains("möchte Ihr Konto verwenden.").contains(">Benutzername oder E-Mail-Adresse</label>").contains(">Passwort</label>");
    }

    @Test
    void withoutLangTheBrowsersAcceptLanguageDecidesElseEnglish() {
        assertThat(get(params(), "Accept-Language", "de-DE,de;q=0.9,en;q=0.5").body()).contains("<html lang=\"de-DE\">")
                .contains("<title>Anmelden · Castgate</title>");
        assertThat(get(params(), "Accept-Language", "hu").body()).contains("<html lang=\"hu-HU\">");
        assertThat(get(params(), "Accept-Language", "fr-FR,fr;q=0.9").body()).contains("<html lang=\"en-US\">")
                .contains("<title>Sign in · Castgate</title>");
        assertThat(get(params()).body()).contains("<html lang=\"en-US\">").contains(" wants to use your account.");
        assertThat(get(params("lang", "fr_FR"), "Accept-Language", "hu-HU").body()).as("an unknown lang falls back to the browser")
                .contains("<html lang=\"hu-HU\">");
        assertThat(get(params("lang", "en_US"), "Accept-Language", "hu-HU").body()).as("lang wins over the browser")
                .contains("<html lang=\"en-US\">");
        assertThat(get(params(), "Accept-Language", "de;q=2, ;;;=, hu-").status()).isEqualTo(200);
    }

    @Test
    void theLanguageIsKeptThroughTheFormsUpToConsentWithItsScopes() {
        User user = server.createUser();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response login = flow.open(params("lang", "hu_HU"));
        Http.Response wrong = flow.signIn(login, user.username(), "nem ez a jelszó");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("<html lang=\"hu-HU\">").contains("A felhasználónév vagy a jelszó nem megfelelő.");

        Http.Response consent = flow.signIn(wrong, user.username(), TestServer.PASSWORD);
        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.body()).contains("<html lang=\"hu-HU\">").contains("<h1>Engedélyezi a hozzáférést?</h1>")
                .contains("az Ön nevében szeretne eljárni,")
                .contains("Láthatja a profilját, a csatornáit és a videóit").contains("Megerősítheti, hogy Ön kicsoda, amikor bejelentkezik")
                .contains("Láthatja a nevét és a felhasználónevét").contains("Láthatja az e-mail-címét")
                .contains("<li>Létrehozhatja, átnevezheti és törölheti a csatornáit és a videóit, és élő adást indíthat a csatornáin: "
                        + "betöltési beállítások, streamkulcsok és eszközjelszavak</li>")
                .contains(">Engedélyezés</button>").contains(">Elutasítás</button>");
        Http.Response redirect = flow.decide(consent, "allow");
        assertThat(flow.code(redirect, "lang-state")).hasSize(40);
    }

    @Test
    void consentScopesInGermanByTheBrowser() {
        User user = server.createUser();
        BrowserFlow flow = new BrowserFlow(server);
        Http.Response login = flow.http().get(Urls.withQuery(server.url("/authorize"), params()), "Accept-Language", "de");
        Map<String, String> form = HtmlForms.hiddenFields(login.body());
        form.putAll(Http.form("username", user.username(), "password", TestServer.PASSWORD));
        Http.Response consent = flow.http().postForm(server.url("/authorize"), form);
        assertThat(consent.body()).contains("<html lang=\"de-DE\">").contains("Ihr Profil, Ihre Kanäle und Ihre Videos sehen")
                .contains("Bei der Anmeldung bestätigen, wer Sie sind").contains("Ihre E-Mail-Adresse sehen")
                .contains("<li>Ihre Kanäle und Videos anlegen, umbenennen und löschen und live auf Ihren Kanälen senden: "
                        + "Ingest-Einstellungen, Streaming-Schlüssel und Gerätepasswörter</li>")
                .contains(">Erlauben</button>").contains(">Ablehnen</button>");
    }

    @Test
    void consentForAClientWithLegacyApiWritesSaysSoInEachLanguage() {
        TestClient legacy = server.client().legacyApiWrites().create();
        Map<String, String> lines = Map.of(
                "en_US", "<li>Create, rename and delete your channels and videos</li>",
                "hu_HU", "<li>Létrehozhatja, átnevezheti és törölheti a csatornáit és a videóit</li>",
                "de_DE", "<li>Ihre Kanäle und Videos anlegen, umbenennen und löschen</li>");
        lines.forEach((lang, line) -> {
            User user = server.createUser();
            BrowserFlow flow = new BrowserFlow(server);
            Http.Response consent = flow.signIn(flow.open(Http.form("client_id", legacy.id(), "redirect_uri", legacy.redirectUri(),
                    "response_type", "code", "scope", "openid", "state", "s", "lang", lang)), user.username(), TestServer.PASSWORD);
            assertThat(consent.status()).as(lang).isEqualTo(200);
            assertThat(consent.body()).as(lang).contains(line);
        });
    }

    @Test
    void theLanguageSwitcherReopensTheSameRequestInAnotherLanguage() {
        Http.Response login = get(params());
        Matcher m = Pattern.compile("<a href=\"([^\"]*)\">Magyar</a>").matcher(login.body());
        assertThat(m.find()).isTrue();
        String link = HtmlForms.unescapeText(m.group(1));
        assertThat(link).startsWith("/authorize?");
        assertThat(Urls.queryParams(link)).containsEntry("client_id", client.id()).containsEntry("state", "lang-state")
                .containsEntry("redirect_uri", client.redirectUri()).containsEntry("scope", "broadcaster email openid profile")
                .containsEntry("lang", "hu_HU");
        assertThat(login.body()).contains("<span aria-current=\"true\">English</span>").contains(">Deutsch</a>");
        assertThat(Http.browser().get(server.url(link)).body()).contains("<html lang=\"hu-HU\">");
    }

    @Test
    void errorPagesAreTranslatedToo() {
        Http.Response unknownClient = Http.browser().get(server.url("/authorize?client_id=" + "0".repeat(40) + "&response_type=code&lang=hu_HU"));
        assertThat(unknownClient.status()).isEqualTo(400);
        assertThat(unknownClient.body()).contains("<html lang=\"hu-HU\">").contains("<h1>Ez a bejelentkezési hivatkozás érvénytelen</h1>")
                .contains("Az alkalmazás, amely ide küldte, nincs regisztrálva.");

        Http.Response notFound = Http.browser().get(server.url("/account/nothing-here"), "Accept-Language", "de-DE");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.body()).contains("<html lang=\"de-DE\">").contains("<h1>Nicht gefunden</h1>");

        Http browser = Http.browser();
        Http.Response login = browser.get(Urls.withQuery(server.url("/authorize"), params("lang", "de_DE")));
        Map<String, String> form = HtmlForms.hiddenFields(login.body());
        form.put("csrf_token", "z".repeat(43));
        form.putAll(Http.form("username", "a", "password", "b"));
        Http.Response expired = browser.postForm(server.url("/authorize"), form);
        assertThat(expired.status()).isEqualTo(403);
        assertThat(expired.body()).contains("<html lang=\"de-DE\">").contains("Dieses Formular ist abgelaufen");
    }

    @Test
    void accountSignUpAndSignOutPagesAreTranslated() {
        User user = server.createUser();
        Http browser = Http.browser();
        assertThat(browser.get(server.url("/signup"), "Accept-Language", "de").body()).contains("<h1>Konto erstellen</h1>")
                .contains(">Benutzername</label>").contains(">Name (optional)</label>");
        Accounts.signIn(server, browser, user.username(), TestServer.PASSWORD);
        Http.Response account = browser.get(server.url("/account?lang=de_DE"));
        assertThat(account.body()).contains("<html lang=\"de-DE\">").contains("<h1>Ihr Konto</h1>").contains("Verbundene Apps und Geräte")
                .contains(">Aktuelles Passwort</label>").contains(">Passwort ändern</button>").contains(">Abmelden</button>");
        Http.Response hu = browser.get(server.url("/account"), "Accept-Language", "hu-HU");
        assertThat(hu.body()).contains("<h1>Az Ön fiókja</h1>").contains("Csatlakoztatott alkalmazások és eszközök");

        Http.Response saved = browser.postForm(server.url("/account/profile"),
                Http.form("csrf_token", Accounts.csrf(hu), "lang", "hu_HU", "name", "Kovács Éva", "email", user.email()));
        assertThat(saved.body()).contains("A profilját elmentettük.").contains("value=\"Kovács Éva\"");

        Http.Response confirm = browser.get(server.url("/logout?lang=hu_HU"));
        assertThat(confirm.body()).contains("<h1>Kijelentkezik?</h1>");
        Http.Response out = browser.postForm(server.url("/logout"), HtmlForms.hiddenFields(confirm.body()));
        assertThat(out.body()).contains("<html lang=\"hu-HU\">").contains("Sikeresen kijelentkezett.");
    }

    @Test
    void oauthJsonErrorsStayEnglish() {
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "nope"),
                "Authorization", client.basic(), "Accept-Language", "hu-HU");
        assertThat(token.json().get("error_description").toString()).matches("[ -~]+");
        Http.Response denied = get(params("lang", "de_DE", "prompt", "none"));
        assertThat(denied.status()).isEqualTo(302);
        assertThat(denied.locationParams()).containsEntry("error", "login_required").containsEntry("error_description", "the user is not signed in");
    }
}
