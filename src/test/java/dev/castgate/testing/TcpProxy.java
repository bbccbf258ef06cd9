package dev.castgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A database outage the test controls, without touching the shared database server: a loopback
 * port that forwards every connection to {@code 127.0.0.1:5432} (or another target), which the
 * test can {@link #freeze} (connections stay open and accepted, nothing is forwarded: a database
 * that stopped answering), {@link #down take down} (every connection closed, new ones refused:
 * a database that stopped) and bring back ({@link #thaw}, {@link #up}). Its threads are daemons and
 * end with {@link #close}.
 *
 * <p>{@link #atNextCommitOfAnUpdate} times a fault to the worst moment for a client: PostgreSQL
 * has committed a transaction that updated a row (a refresh token used up), and stops or freezes
 * before its answer reaches the node, which cannot know that it committed. The proxy finds that
 * moment in the database's answers, which name each finished command (a CommandComplete message
 * with the tag {@code UPDATE n}, then {@code COMMIT}; PostgreSQL's frontend/backend protocol 3.0),
 * so the connections are routed with {@code sslmode=disable}.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object frozenLock = new Object();
    private volatile boolean frozen;
    private volatile ServerSocket listener;
    /** Armed by {@link #atNextCommitOfAnUpdate}: the fault to apply, taken by the first connection that sees its moment. */
    private final AtomicReference<Runnable> commitFault = new AtomicReference<>();
    private final CountDownLatch commitFaulted = new CountDownLatch(1);

    private TcpProxy(String targetHost, int targetPort, int port) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = port;
    }

    /** A proxy on a free loopback port, forwarding to {@code host:port}, listening at once. */
    public static TcpProxy to(String host, int port) {
        TcpProxy proxy = new TcpProxy(host, port, ChildProcesses.freePort());
        proxy.up();
        return proxy;
    }

    /** A proxy on a free port that is not listening yet: connections are refused until {@link #up}. */
    public static TcpProxy downTo(String host, int port) {
        return new TcpProxy(host, port, ChildProcesses.freePort());
    }

    public int port() { return port; }

    /** {@code jdbcUrl} with its host and port replaced by this proxy's, without TLS (the proxy reads the database's answers). */
    public String route(String jdbcUrl) {
        String prefix = "jdbc:postgresql://";
        int slash = jdbcUrl.indexOf('/', prefix.length());
        String routed = prefix + "127.0.0.1:" + port + jdbcUrl.substring(slash);
        return routed.contains("sslmode=") ? routed : routed + (routed.contains("?") ? "&" : "?") + "sslmode=disable";
    }

    /** Starts accepting (again) on the same port. */
    public synchronized void up() {
        if (listener != null) return;
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            listener = socket;
            Thread.ofPlatform().daemon().name("tcp-proxy-accept").start(() -> accept(socket));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port, e);
        }
    }

    /** The database stops: every connection is closed and new ones are refused. */
    public synchronized void down() {
        closeQuietly(listener);
        listener = null;
        for (Socket socket : sockets) closeQuietly(socket);
        sockets.clear();
    }

    /** The database freezes: connections are accepted and kept, but no byte goes through either way. */
    public void freeze() { frozen = true; }

    /** Bytes flow again, those held while frozen first. */
    public void thaw() {
        synchronized (frozenLock) {
            frozen = false;
            frozenLock.notifyAll();
        }
    }

    /**
     * Arms a fault ({@link #down} or {@link #freeze}, given as {@code proxy::down}) for the moment
     * the database has committed the next transaction that updated a row: it is applied before the
     * answer to that commit is passed on, which is held (frozen) or lost (down). Returns at once;
     * {@link #awaitCommitFault} waits for it.
     */
    public void atNextCommitOfAnUpdate(Runnable fault) {
        if (!commitFault.compareAndSet(null, fault)) throw new IllegalStateException("a commit fault is armed already");
    }

    /** Whether the armed fault was applied within {@code timeout}. */
    public boolean awaitCommitFault(Duration timeout) throws InterruptedException {
        return commitFaulted.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread.ofPlatform().daemon().name("tcp-proxy-connect").start(() -> connect(client));
            } catch (IOException e) {
                return; // closed by down() or close()
            }
        }
    }

    private void connect(Socket client) {
        try {
            Socket upstream = new Socket(targetHost, targetPort);
            sockets.add(upstream);
            Thread.ofPlatform().daemon().name("tcp-proxy-up").start(() -> pump(client, upstream, null));
            Thread.ofPlatform().daemon().name("tcp-proxy-down").start(() -> pump(upstream, client, new CommitWatch()));
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /** Copies {@code from} to {@code to}; {@code answers} watches the database's answers for the armed commit fault (null the other way). */
    private void pump(Socket from, Socket to, CommitWatch answers) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                int start = 0;
                int commit = answers == null ? -1 : answers.commitAfterUpdate(buffer, n);
                if (commit >= 0 && commitFault.get() != null) {
                    Runnable fault = commitFault.getAndSet(null);
                    if (fault != null) {
                        out.write(buffer, 0, commit); // what came before the commit's answer
                        out.flush();
                        fault.run();
                        commitFaulted.countDown();
                        start = commit;
                    }
                }
                awaitThaw();
                out.write(buffer, start, n - start);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side closed: close the other too
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private void awaitThaw() throws InterruptedException {
        synchronized (frozenLock) {
            while (frozen) frozenLock.wait();
        }
    }

    /**
     * Reads the database's answers on one connection as they pass: a CommandComplete message
     * ({@code 'C'}, a 32-bit length, the command tag ending in a NUL byte) tagged {@code UPDATE n},
     * then one tagged {@code COMMIT}, is a committed transaction that updated a row. Messages may
     * be split across reads, so the last bytes are kept.
     */
    private static final class CommitWatch {
        private static final byte[] COMMIT = commandComplete("COMMIT");
        private static final byte[] ROLLBACK = commandComplete("ROLLBACK");
        /** 'C', a length (any: the row count varies), "UPDATE ". */
        private static final byte[] UPDATE = "C????UPDATE ".getBytes(StandardCharsets.ISO_8859_1);
        private final byte[] recent = new byte[16];
        private int seen;
        private boolean updated;

        /** Where in {@code buffer} the answer to the first such commit begins (0 if it began in an earlier read), or -1. */
        int commitAfterUpdate(byte[] buffer, int n) {
            int first = -1;
            for (int i = 0; i < n; i++) {
                System.arraycopy(recent, 1, recent, 0, recent.length - 1);
                recent[recent.length - 1] = buffer[i];
                seen++;
                if (endsWith(UPDATE)) updated = true;
                if (endsWith(ROLLBACK)) updated = false;
                if (endsWith(COMMIT)) {
                    boolean hit = updated;
                    updated = false;
                    if (hit && first < 0) first = Math.max(0, i + 1 - COMMIT.length);
                }
            }
            return first;
        }

        /** The whole message for a fixed tag: 'C', its length (itself, the tag and the NUL), the tag, NUL. */
        private static byte[] commandComplete(String tag) {
            byte[] text = tag.getBytes(StandardCharsets.ISO_8859_1);
            return ByteBuffer.allocate(1 + 4 + text.length + 1).put((byte) 'C').putInt(4 + text.length + 1).put(text).put((byte) 0).array();
        }

        private boolean endsWith(byte[] pattern) {
            if (seen < pattern.length) return false;
            int offset = recent.length - pattern.length;
            for (int i = 0; i < pattern.length; i++) {
                boolean any = pattern == UPDATE && i >= 1 && i <= 4;
                if (!any && recent[offset + i] != pattern[i]) return false;
            }
            return true;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        thaw();
        down();
    }
}
