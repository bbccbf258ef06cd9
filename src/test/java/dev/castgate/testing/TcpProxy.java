package dev.castgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A database outage the test controls, without touching the shared database server: a loopback
 * port that forwards every connection to {@code 127.0.0.1:5432} (or another target), which the
 * test can {@link #freeze} (connections stay open and accepted, nothing is forwarded: a database
 * that stopped answering), {@link #down take down} (every connection closed, new ones refused:
 * a database that stopped) and bring back ({@link #thaw}, {@link #up}). Its threads are daemons and
 * end with {@link #close}.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object frozenLock = new Object();
    private volatile boolean frozen;
    private volatile ServerSocket listener;

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

    /** {@code jdbcUrl} with its host and port replaced by this proxy's. */
    public String route(String jdbcUrl) {
        String prefix = "jdbc:postgresql://";
        int slash = jdbcUrl.indexOf('/', prefix.length());
        return prefix + "127.0.0.1:" + port + jdbcUrl.substring(slash);
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
            Thread.ofPlatform().daemon().name("tcp-proxy-up").start(() -> pump(client, upstream));
            Thread.ofPlatform().daemon().name("tcp-proxy-down").start(() -> pump(upstream, client));
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                awaitThaw();
                out.write(buffer, 0, n);
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
