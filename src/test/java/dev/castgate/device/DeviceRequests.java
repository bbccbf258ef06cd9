package dev.castgate.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.Map;

/** The device flow's requests as a device and as a person's browser make them, for the device tests. */
final class DeviceRequests {
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";

    private final TestServer server;

    DeviceRequests(TestServer server) { this.server = server; }

    /** What a device holds after its authorization request. */
    record Codes(String deviceCode, String userCode) {}

    Http.Response authorize(TestClient client, Map<String, String> form) {
        return client.secret() == null
                ? Http.client().postForm(server.url("/oauth2/device_authorization"), withClientId(client, form))
                : Http.client().postForm(server.url("/oauth2/device_authorization"), form, "Authorization", client.basic());
    }

    /** A device authorization request that must succeed. */
    Codes start(TestClient client, String scope, String deviceName) {
        Map<String, String> form = new LinkedHashMap<>();
        if (scope != null) form.put("scope", scope);
        if (deviceName != null) form.put("device_name", deviceName);
        Http.Response response = authorize(client, form);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return new Codes((String) response.json().get("device_code"), (String) response.json().get("user_code"));
    }

    /** One poll of the token endpoint. */
    Http.Response poll(TestClient client, String deviceCode) {
        Map<String, String> form = Http.form("grant_type", GRANT_TYPE, "device_code", deviceCode);
        return client.secret() == null
                ? Http.client().postForm(server.url("/oauth2/token"), withClientId(client, form))
                : Http.client().postForm(server.url("/oauth2/token"), form, "Authorization", client.basic());
    }

    private static Map<String, String> withClientId(TestClient client, Map<String, String> form) {
        Map<String, String> withId = new LinkedHashMap<>(form);
        withId.put("client_id", client.id());
        return withId;
    }

    /** The signed-in browser's code entry page. */
    Http.Response entryPage(Http browser) {
        Http.Response page = browser.get(server.url("/device"));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"interaction\" value=\"lookup\"");
        return page;
    }

    /** Types a code on the entry page and submits it. */
    Http.Response enter(Http browser, Http.Response page, String typed) {
        Map<String, String> form = HtmlForms.hiddenFields(page.body());
        form.put("user_code", typed);
        return browser.postForm(server.url("/device"), form);
    }

    /** Presses Allow or Deny on the confirmation page. */
    Http.Response decide(Http browser, Http.Response confirm, String decision) {
        assertThat(confirm.body()).contains("name=\"interaction\" value=\"decide\"");
        Map<String, String> form = HtmlForms.hiddenFields(confirm.body());
        form.put("decision", decision);
        return browser.postForm(server.url("/device"), form);
    }

    /** Enters the code and decides; returns the page that follows. */
    Http.Response approve(Http browser, String userCode, String decision) {
        Http.Response confirm = enter(browser, entryPage(browser), userCode);
        assertThat(confirm.status()).as(confirm.body()).isEqualTo(200);
        return decide(browser, confirm, decision);
    }
}
