package dev.castgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, for what the JDK's client will not send: a URI with a malformed
 * percent-escape, or a body that outgrows what its headers announced while the server answers.
 */
public final class RawHttp {
    private RawHttp() {}

    /** An answer: status, the header block as sent, and the body. */
    public record Answer(int status, String headers, String body) {
        public Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) return Optional.of(line.substring(prefix.length()).trim());
            }
            return Optional.empty();
        }
    }

    /** One request, sent as given ({@code target} is the path and query, unencoded by us), and its answer. */
    public static Answer send(String base, String method, String target, String body, String... headers) {
        return send(base, method, target, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /**
     * One request with a body of any bytes (not UTF-8 ones, too), and its answer. A server that
     * answers and closes before it has read the whole request (a request line that is too long)
     * still has its answer read.
     */
    public static Answer send(String base, String method, String target, byte[] body, String... headers) {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + uri.getAuthority()
                    + "\r\nConnection: close\r\n");
            for (int i = 0; i < headers.length; i += 2) head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            if (!method.equals("GET")) head.append("Content-Length: ").append(body.length).append("\r\n");
            try {
                // One write: a head and a body written apart wait out the peer's delayed ACK (40 ms).
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                request.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                request.writeBytes(body);
                OutputStream out = socket.getOutputStream();
                out.write(request.toByteArray());
                out.flush();
            } catch (IOException closedEarly) {
                // the answer may be waiting all the same
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads one answer: the header block, then a body of its Content-Length, or up to the end of the connection. */
    public static Answer read(InputStream in) throws IOException {
        String headers = readHeaders(in);
        int status = Integer.parseInt(headers.substring(9, 12));
        Answer noBody = new Answer(status, headers, "");
        byte[] body = noBody.header("Content-Length").map(length -> {
            try {
                return in.readNBytes(Integer.parseInt(length));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).orElseGet(() -> {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        String end = "\r\n\r\n";
        int matched = 0;
        while (matched < end.length()) {
            int b = in.read();
            if (b < 0) throw new IOException("the connection closed before an answer: " + head);
            head.write(b);
            matched = b == end.charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
