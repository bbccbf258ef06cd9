package dev.castgate.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Chromium;
import dev.castgate.testing.HeadlessChromium;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * What a person sees on the landing page opened from a crafted link: the server's own words, and
 * the link's free text only after opening the technical detail, under its warning.
 */
class LandingPageChromiumTest {
    @CastgateServer static TestServer server;
    @HeadlessChromium static Chromium chromium;

    @Test
    void aLinksFreeTextIsNotShownUntilAskedFor() {
        chromium.open(Urls.withQuery(server.url("/oauth2/redirect"), Http.form("error", "access_denied",
                "error_description", "Your Castgate account is suspended. Call +1-555-0100")));
        assertThat(chromium.title()).isEqualTo("Authorization not completed · Castgate");
        assertThat(chromium.text()).contains("The sign-in or the request was declined.").contains("What this address carries")
                .contains("Castgate has not checked them").contains("Technical detail (not checked)")
                .doesNotContain("suspended").doesNotContain("555");

        chromium.driver().findElement(By.tagName("summary")).click();
        assertThat(chromium.text()).contains("It did not necessarily come from Castgate.")
                .contains("Your Castgate account is suspended. Call +1-555-0100");
    }
}
