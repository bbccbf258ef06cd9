package dev.castgate.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The reverse proxy the README ships, run for a test: {@code deploy/nginx.conf} as it is in the
 * repository, with only what a loopback test must change (the nodes' addresses, the listening
 * addresses on 127.0.0.1, a certificate made for the run) and one header added for the test to
 * see which node answered: {@value #NODE_HEADER}, nginx's {@code $upstream_addr} (two addresses,
 * comma-separated, when nginx tried one node and then the other). Each change must find its line
 * in the shipped file, so a change there that the test no longer matches fails here instead of
 * testing some other configuration.
 */
public final class NginxInFront implements AutoCloseable {
    public static final Path SHIPPED = Path.of("deploy/nginx.conf");
    public static final Path OPENSSL = Path.of("/usr/bin/openssl");
    /** The header the test's copy adds to every answer: the node (or nodes) nginx passed the request to. */
    public static final String NODE_HEADER = "X-Castgate-Node";

    private final PrivateNginx nginx;
    private final int httpsPort;
    private final int httpPort;
    private final SSLContext tls;

    private NginxInFront(PrivateNginx nginx, int httpsPort, int httpPort, SSLContext tls) {
        this.nginx = nginx;
        this.httpsPort = httpsPort;
        this.httpPort = httpPort;
        this.tls = tls;
    }

    /** Skips the calling test (or fails it, in CI) when nginx or openssl is missing. */
    public static void requireInstalled() {
        PrivateNginx.requireInstalled("nginx with openssl", OPENSSL.toString(), "openssl");
    }

    /**
     * Starts the shipped configuration in front of {@code nodes} ("127.0.0.1:PORT" each), serving
     * https on {@code httpsPort} (chosen beforehand: the nodes' issuer names it) and the redirect
     * to https on a free port.
     */
    public static NginxInFront start(int httpsPort, List<String> nodes) {
        requireInstalled();
        Path prefix = PrivateNginx.newPrefix();
        try {
            int httpPort = ChildProcesses.freePort();
            makeCertificate(prefix);
            String site = forLoopback(Files.readString(SHIPPED), nodes, httpPort, httpsPort, prefix);
            String http = "http {\n" + PrivateNginx.httpTempPaths(prefix) + "access_log " + prefix.resolve("logs/access.log") + ";\n"
                    + site + "\n}\n";
            SSLContext tls = trusting(prefix.resolve("cert.pem"));
            return new NginxInFront(PrivateNginx.start(prefix, PrivateNginx.mainContext(prefix, http), httpsPort), httpsPort, httpPort, tls);
        } catch (IOException | RuntimeException e) {
            ChildProcesses.deleteTree(prefix);
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** The shipped site with the test's changes; each replaced line must be found. */
    static String forLoopback(String shipped, List<String> nodes, int httpPort, int httpsPort, Path prefix) {
        Pattern serverLine = Pattern.compile("(?m)^([ \\t]*)server \\d+\\.\\d+\\.\\d+\\.\\d+:\\d+([^;\\n]*);\\n");
        Matcher first = serverLine.matcher(shipped);
        if (!first.find()) throw new IllegalStateException(SHIPPED + " has no upstream server line any more");
        // Ours take the place of the shipped ones, with the same parameters (max_fails, fail_timeout).
        String ours = nodes.stream().map(node -> first.group(1) + "server " + node + first.group(2) + ";\n").collect(Collectors.joining());
        String site = shipped.substring(0, first.start()) + ours + serverLine.matcher(shipped.substring(first.start())).replaceAll("");
        site = replaceOnce(site, "listen 80;", "listen 127.0.0.1:" + httpPort + ";");
        site = replaceOnce(site, "listen [::]:80;", "");
        site = replaceOnce(site, "listen 443 ssl http2;", "listen 127.0.0.1:" + httpsPort + " ssl http2;");
        site = replaceOnce(site, "listen [::]:443 ssl http2;", "");
        site = site.replaceFirst("(?m)ssl_certificate\\s+\\S+;", Matcher.quoteReplacement("ssl_certificate " + prefix.resolve("cert.pem") + ";"));
        site = site.replaceFirst("(?m)ssl_certificate_key\\s+\\S+;", Matcher.quoteReplacement("ssl_certificate_key " + prefix.resolve("key.pem") + ";"));
        return replaceOnce(site, "location / {", "location / {\n        add_header " + NODE_HEADER + " $upstream_addr always;");
    }

    private static String replaceOnce(String text, String line, String replacement) {
        int at = text.indexOf(line);
        if (at < 0 || text.indexOf(line, at + 1) >= 0) {
            throw new IllegalStateException(SHIPPED + " should hold \"" + line + "\" once; the test's changes no longer fit it");
        }
        return text.substring(0, at) + replacement + text.substring(at + line.length());
    }

    /** A self-signed P-256 certificate for 127.0.0.1 (as an IP subject alternative name), valid for two days. */
    private static void makeCertificate(Path prefix) throws IOException {
        Process openssl = new ProcessBuilder(OPENSSL.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", prefix.resolve("key.pem").toString(), "-out", prefix.resolve("cert.pem").toString())
                .redirectErrorStream(true).start();
        try {
            String output = new String(openssl.getInputStream().readAllBytes());
            if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                openssl.destroyForcibly();
                throw new IllegalStateException("openssl could not make a certificate:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            openssl.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    /** TLS that trusts the run's certificate alone. */
    private static SSLContext trusting(Path certificate) {
        try {
            Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificate)));
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("nginx", cert);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** https://127.0.0.1:PORT, the deployment's issuer. */
    public String issuer() { return "https://127.0.0.1:" + httpsPort; }

    public String url(String path) { return issuer() + path; }

    /** The plain-http address, which only redirects to https. */
    public String httpUrl(String path) { return "http://127.0.0.1:" + httpPort + path; }

    /** A client application that trusts this nginx's certificate. */
    public Http client() { return Http.client(tls); }

    /** A browser (with cookies) that trusts this nginx's certificate. */
    public Http browser() { return Http.browser(tls); }

    public String log() { return nginx.log(); }

    @Override
    public void close() { nginx.close(); }
}
