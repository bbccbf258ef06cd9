package dev.castgate;

import dev.castgate.crypto.KeyEncryptionKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work the libraries do once per process, taken off the server's start path. Each was found in a
 * wall-clock profile of a start on a 2-core machine, where the whole start is about a second:
 * <ul>
 *   <li>Jetty pads a queue by the number of object references per cache line, and learns whether
 *   references are compressed by asking the platform MBean server, which starts JMX for it
 *   (0.1 s). The JVM already says so in {@code java.vm.compressedOopsMode}, set only when they are.
 *   <li>Jdbi registers its statement event with Flight Recorder when its first statement runs,
 *   which builds Flight Recorder's metadata (0.1 s), and Jetty reads its table of media types
 *   (0.05 s). Both are class initialisations: a background thread runs them while the main thread
 *   opens the database, and the main thread, if it gets there first, waits for the rest of one.
 *   <li>The first AES-GCM cipher, which opening the keys at rest needs right after the database
 *   opens, loads the JDK's cipher provider (25 to 170 ms here, measured on a busy machine); the
 *   same thread makes one first.
 * </ul>
 */
final class StartPath {
    private static final Logger log = LoggerFactory.getLogger(StartPath.class);
    private static final String JETTY_CACHE_LINE = "org.eclipse.jetty.util.cacheLineBytes";
    private static final String JETTY_REFERENCES_PER_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
    private static final String[] SLOW_CLASS_INITIALISATIONS = {
        "org.jdbi.v3.core.statement.internal.JfrSupport",
        "org.eclipse.jetty.http.MimeTypes",
    };

    private StartPath() {}

    /** Before the server is built: answers Jetty's question, and starts the background initialisations. */
    static void prepare() {
        if (System.getProperty(JETTY_REFERENCES_PER_LINE) == null) {
            System.setProperty(JETTY_REFERENCES_PER_LINE, Integer.toString(referencesPerCacheLine(
                    Integer.getInteger(JETTY_CACHE_LINE, 64), System.getProperty("java.vm.compressedOopsMode") != null)));
        }
        Thread.ofPlatform().daemon().name("castgate-start").start(StartPath::initialiseSlowClasses);
    }

    static int referencesPerCacheLine(int cacheLineBytes, boolean compressedReferences) {
        return Math.max(1, cacheLineBytes / (compressedReferences ? 4 : 8));
    }

    private static void initialiseSlowClasses() {
        for (String name : SLOW_CLASS_INITIALISATIONS) {
            try {
                Class.forName(name, true, StartPath.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // A library that moved its class: the work happens on first use instead, as before.
                log.debug("{} was not initialised ahead: {}", name, e.toString());
            }
        }
        try {
            KeyEncryptionKey.generate().seal("start", "");
        } catch (RuntimeException e) {
            // The keys at rest meet the same failure, and report it, on the main thread.
            log.debug("AES-GCM was not initialised ahead: {}", e.toString());
        }
    }
}
