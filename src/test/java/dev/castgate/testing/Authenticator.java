package dev.castgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.Decoder;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An authenticator app for tests: TOTP codes (RFC 6238) from the secret the set-up page shows,
 * computed by another implementation than the server's, at the server's clock; and the account
 * page's set-up steps over HTTP, as a person with such an app takes them.
 */
public record Authenticator(String secret, MutableClock clock) {
    private static final Pattern SECRET = Pattern.compile("<p class=\"secret\"><code>([A-Z2-7 ]+)</code></p>");
    private static final Pattern SVG = Pattern.compile("<svg [^>]*viewBox=\"0 0 (\\d+) \\1\"[^>]*>.*?<path d=\"([^\"]*)\"", Pattern.DOTALL);
    private static final Pattern MODULE = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z");
    private static final Pattern RECOVERY_CODE = Pattern.compile("<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code></li>");

    /** The second factor, on: the app holding its secret and the recovery codes shown once. */
    public record Enabled(Authenticator app, List<String> recoveryCodes) {}

    /** The code the app shows now. */
    public String code() { return codeAt(clock.instant()); }

    /** The code it showed, or will show, at {@code at}. */
    public String codeAt(Instant at) {
        try {
            return new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6).generate(secret, Math.floorDiv(at.getEpochSecond(), 30));
        } catch (CodeGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The code of the next step, once the server's clock has moved on to it: a code not used yet. */
    public String nextCode() {
        clock.advance(Duration.ofSeconds(30));
        return code();
    }

    /** Six digits that are the code of neither this step nor its neighbours: wrong whenever given now. */
    public String wrongCode() {
        List<String> accepted = List.of(codeAt(clock.instant().minusSeconds(30)), code(), codeAt(clock.instant().plusSeconds(30)));
        int candidate = Integer.parseInt(code());
        String wrong;
        do {
            candidate = (candidate + 1) % 1_000_000;
            wrong = String.format("%06d", candidate);
        } while (accepted.contains(wrong));
        return wrong;
    }

    /** The secret the set-up page shows as text, without the spaces between its groups. */
    public static String secretOn(String page) {
        Matcher m = SECRET.matcher(page);
        assertThat(m.find()).as("the secret as text on the set-up page").isTrue();
        return m.group(1).replace(" ", "");
    }

    /** What the set-up page's QR code encodes, read back module by module with a QR decoder. */
    public static String qrCodeOn(String page) {
        Matcher svg = SVG.matcher(page);
        assertThat(svg.find()).as("an inline SVG QR code on the set-up page").isTrue();
        int border = 4;
        int size = Integer.parseInt(svg.group(1)) - 2 * border;
        BitMatrix modules = new BitMatrix(size);
        Matcher module = MODULE.matcher(svg.group(2));
        while (module.find()) modules.set(Integer.parseInt(module.group(1)) - border, Integer.parseInt(module.group(2)) - border);
        try {
            return new Decoder().decode(modules).getText();
        } catch (com.google.zxing.ChecksumException | com.google.zxing.FormatException e) {
            throw new AssertionError("the QR code does not decode", e);
        }
    }

    /** The recovery codes a page lists. */
    public static List<String> recoveryCodesOn(String page) {
        List<String> codes = new ArrayList<>();
        Matcher m = RECOVERY_CODE.matcher(page);
        while (m.find()) codes.add(m.group(1));
        return codes;
    }

    /** Sets up the second factor on the account page of a browser signed in there, as a person with an app does. */
    public static Enabled enable(TestServer server, Http browser) {
        Http.Response account = browser.get(server.url("/account"));
        assertThat(account.body()).contains("action=\"/account/second-factor/begin\"");
        Http.Response setup = browser.postForm(server.url("/account/second-factor/begin"), HtmlForms.hiddenFields(account.body()));
        assertThat(setup.status()).as(setup.body()).isEqualTo(200);
        Authenticator app = new Authenticator(secretOn(setup.body()), server.clock());
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenFields(setup.body()));
        form.put("code", app.code());
        Http.Response codes = browser.postForm(server.url("/account/second-factor/confirm"), form);
        assertThat(codes.status()).as(codes.body()).isEqualTo(200);
        List<String> recoveryCodes = recoveryCodesOn(codes.body());
        assertThat(recoveryCodes).hasSize(10).doesNotHaveDuplicates();
        return new Enabled(app, recoveryCodes);
    }
}
