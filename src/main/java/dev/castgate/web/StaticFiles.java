package dev.castgate.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The pages' few static files, read from the jar once at start and served from memory. A
 * classpath file handler would open the whole jar as a file system at start, which cost a
 * quarter of a second and tens of megabytes here, for one stylesheet and one script.
 */
public final class StaticFiles {
    /** The files under /static, with their media types; a new file needs a line here. */
    private static final Map<String, String> FILES = Map.of("castgate.css", "text/css; charset=utf-8",
            "passkeys.js", "text/javascript; charset=utf-8");

    private record File(byte[] body, String type, String etag) {}

    private final Map<String, File> files;

    public StaticFiles() {
        this.files = FILES.entrySet().stream().collect(Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> load(e.getKey(), e.getValue())));
    }

    public void register(RoutesConfig routes) {
        routes.get("/static/{file}", this::serve);
    }

    private void serve(Context ctx) {
        File file = files.get(ctx.pathParam("file"));
        if (file == null) {
            ctx.status(HttpStatus.NOT_FOUND).result("Not found");
            return;
        }
        // Revalidated after an hour; the ETag, a digest of the content, makes that a 304.
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.header("ETag", file.etag());
        if (notModified(ctx.header("If-None-Match"), file.etag())) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(file.type()).result(file.body());
    }

    /**
     * RFC 9110 §13.1.2: If-None-Match is "*" or a list of entity tags, compared weakly (a W/
     * prefix does not count); any match means the copy the client has is current.
     */
    static boolean notModified(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        if (ifNoneMatch.trim().equals("*")) return true;
        for (String tag : ifNoneMatch.split(",")) {
            String candidate = tag.trim();
            if (candidate.startsWith("W/")) candidate = candidate.substring(2);
            if (candidate.equals(etag)) return true;
        }
        return false;
    }

    private static File load(String name, String type) {
        try (InputStream in = StaticFiles.class.getResourceAsStream("/static/" + name)) {
            if (in == null) throw new IllegalStateException("static file missing from the jar: " + name);
            byte[] body = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new File(body, type, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read static file " + name, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
