package dev.castgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.GrantType;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.RawHttp;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * A Content-Type whose charset is no charset's name ({@code charset=ÿþ}) made every route that
 * looked at the type a 500: the server's own reading of the header looks the charset up and
 * throws. Forms are UTF-8 whatever the header says, so such a request is read like any other.
 */
class ContentTypeCharsetTest {
    @CastgateServer static TestServer server;

    @Test
    void aFormWithACharsetThatIsNoCharsetIsReadAsUtf8() {
        TestClient client = server.client().grants(GrantType.CLIENT_CREDENTIALS).create();
        for (String charset : new String[] {"\u00ff\u00fe", "no-such-charset", "utf-8"}) {
            RawHttp.Answer token = RawHttp.send(server.issuer(), "POST", "/oauth2/token", "grant_type=client_credentials",
                    "Authorization", client.basic(), "Content-Type", "application/x-www-form-urlencoded; charset=" + charset);
            assertThat(token.status()).as(charset + ": " + token.body()).isEqualTo(200);
            assertThat(token.body()).contains("\"access_token\"");
        }
    }

    @Test
    void aPageAskedWithSuchACharsetIsShown() {
        RawHttp.Answer page = RawHttp.send(server.issuer(), "GET", "/account", "", "Content-Type", "text/plain; charset=\u00ff\u00fe");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("action=\"/account/login\"");
    }
}
