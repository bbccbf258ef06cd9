package dev.castgate.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Choosing a language, and the bundles being complete: plain unit tests. */
class LanguagesTest {
    private static final Locale HU = Locale.of("hu", "HU");
    private static final Locale DE = Locale.of("de", "DE");
    /** Words German shares with English ("Name", "Profil" differs only in Hungarian). */
    private static final java.util.Set<String> SAME_IN_EVERY_LANGUAGE = java.util.Set.of("account.name", "account.profile", "signup.name",
            "account.passkeys");

    @Test
    void theLangParameterWinsInAnySpelling() {
        assertThat(Languages.choose(Optional.of("hu_HU"), "de-DE")).isEqualTo(HU);
        assertThat(Languages.choose(Optional.of("de-de"), null)).isEqualTo(DE);
        assertThat(Languages.choose(Optional.of("HU"), null)).isEqualTo(HU);
        assertThat(Languages.choose(Optional.of("en_US"), "hu")).isEqualTo(Languages.ENGLISH);
    }

    @Test
    void anUnknownLangFallsBackToTheBrowserThenEnglish() {
        assertThat(Languages.choose(Optional.of("fr_FR"), "de-AT,de;q=0.8")).isEqualTo(DE);
        assertThat(Languages.choose(Optional.of("x".repeat(100)), null)).isEqualTo(Languages.ENGLISH);
        assertThat(Languages.choose(Optional.of(""), "")).isEqualTo(Languages.ENGLISH);
    }

    @Test
    void acceptLanguageIsReadByPreference() {
        assertThat(Languages.choose(Optional.empty(), "hu-HU,hu;q=0.9,en;q=0.8")).isEqualTo(HU);
        assertThat(Languages.choose(Optional.empty(), "fr-CH, fr;q=0.9, de;q=0.7, en;q=0.5")).isEqualTo(DE);
        assertThat(Languages.choose(Optional.empty(), "en;q=0.3, hu;q=0.8")).isEqualTo(HU);
        assertThat(Languages.choose(Optional.empty(), "de;q=0, hu;q=0")).isEqualTo(Languages.ENGLISH);
        assertThat(Languages.choose(Optional.empty(), "ja, zh-CN")).isEqualTo(Languages.ENGLISH);
        assertThat(Languages.choose(Optional.empty(), "*")).isEqualTo(Languages.ENGLISH);
        assertThat(Languages.choose(Optional.empty(), ";;;q=bad,,")).isEqualTo(Languages.ENGLISH);
        assertThat(Languages.choose(Optional.empty(), "de," + "x".repeat(2000))).isEqualTo(Languages.ENGLISH);
    }

    @Test
    void theDefaultIsEnglishWhateverTheServersOwnLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(DE);
            assertThat(Languages.of(Languages.ENGLISH).get("login.title")).isEqualTo("Sign in");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void everyLanguageHasEveryKeyAndNoEmptyText() throws IOException {
        Properties english = load("messages.properties");
        for (String file : new String[] {"messages_hu_HU.properties", "messages_de_DE.properties"}) {
            Properties other = load(file);
            assertThat(other.stringPropertyNames()).as(file).isEqualTo(english.stringPropertyNames());
            for (String key : other.stringPropertyNames()) {
                assertThat(other.getProperty(key)).as(file + " " + key).isNotBlank();
                if (!SAME_IN_EVERY_LANGUAGE.contains(key)) {
                    assertThat(other.getProperty(key)).as(file + " " + key + " is translated").isNotEqualTo(english.getProperty(key));
                }
            }
        }
        assertThat(Languages.of(HU).get("login.title")).isEqualTo("Bejelentkezés");
        assertThat(Languages.of(DE).get("scope.email")).isEqualTo("Ihre E-Mail-Adresse sehen");
    }

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = LanguagesTest.class.getResourceAsStream("/i18n/" + name)) {
            assertThat(in).as(name).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }
}
