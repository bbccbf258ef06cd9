package dev.castgate.testing;

import java.nio.file.Path;

/**
 * A private RTMP ingest server: a {@link PrivateNginx} with Debian's RTMP module
 * ({@code libnginx-mod-rtmp}), listening on 127.0.0.1 on a free port, asking {@code on_publish}
 * whether a publish may start. Where nginx or the module is not installed the calling test is
 * skipped with a note, except in CI ({@code CI=true}), where their absence is a failure.
 */
public final class RtmpIngest implements AutoCloseable {
    public static final Path RTMP_MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");
    /** The nginx-rtmp application publishes go to: rtmp://127.0.0.1:PORT/live/STREAM. */
    public static final String APPLICATION = "live";

    private final PrivateNginx nginx;
    private final int port;

    private RtmpIngest(PrivateNginx nginx, int port) {
        this.nginx = nginx;
        this.port = port;
    }

    /** Skips the calling test (or fails it, in CI) when nginx or its RTMP module is missing. */
    public static void requireInstalled() {
        PrivateNginx.requireInstalled("nginx with the RTMP module", RTMP_MODULE.toString(), "libnginx-mod-rtmp");
    }

    /**
     * Starts nginx with {@code on_publish} pointing at {@code onPublishUrl} (an http:// address
     * on 127.0.0.1) and waits, bounded, until it accepts connections on its RTMP port.
     */
    public static RtmpIngest start(String onPublishUrl) {
        return start(freePort(), onPublishUrl);
    }

    /**
     * Starts on a port chosen beforehand with {@link #freePort()}, for when the RTMP address must be
     * known first (Castgate announces it in the ingest settings, and nginx needs Castgate's address).
     */
    public static RtmpIngest start(int port, String onPublishUrl) {
        requireInstalled();
        Path prefix = PrivateNginx.newPrefix();
        String rtmp = """
                rtmp {
                    server {
                        listen 127.0.0.1:%d;
                        notify_method post;
                        application %s {
                            live on;
                            on_publish %s;
                        }
                    }
                }
                """.formatted(port, APPLICATION, onPublishUrl);
        String config = "load_module " + RTMP_MODULE + ";\n" + PrivateNginx.mainContext(prefix, rtmp);
        return new RtmpIngest(PrivateNginx.start(prefix, config, port), port);
    }

    /** rtmp://127.0.0.1:PORT/live, the address the ingest settings should announce. */
    public String rtmpUrl() { return rtmpUrl(port); }

    /** rtmp://127.0.0.1:PORT/live for a port chosen with {@link #freePort()}. */
    public static String rtmpUrl(int port) { return "rtmp://127.0.0.1:" + port + "/" + APPLICATION; }

    public int port() { return port; }

    /** nginx's error log (at level info: the RTMP module logs publishes and on_publish refusals there). */
    public String log() { return nginx.log(); }

    /** A free port on 127.0.0.1, to start on later with {@link #start(int, String)}. */
    public static int freePort() { return ChildProcesses.freePort(); }

    /** Stops nginx and removes its prefix. */
    @Override
    public void close() { nginx.close(); }
}
