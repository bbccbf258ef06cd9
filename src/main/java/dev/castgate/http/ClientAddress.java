package dev.castgate.http;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The one place that decides a request's client address, installed as Javalin's {@code ctx.ip()},
 * so every throttle, audit event and rate limit counts by it. It is the TCP peer, unless the peer
 * is a trusted proxy: then it is the right-most address of the forwarded chain that is not itself
 * a trusted proxy (the left part of the chain is whatever the client wrote). The chain is
 * {@code X-Forwarded-For} when the request has one, else the {@code for=} values of
 * {@code Forwarded} (RFC 7239). A chain from a trusted peer that cannot be read counts as the peer:
 * a proxy's mistake is never the client's error. {@code X-Forwarded-Proto} and {@code proto=} are
 * not read: every URL and cookie flag follows the configured issuer.
 */
public final class ClientAddress {
    private static final String ATTRIBUTE = ClientAddress.class.getName();

    private final List<AddressRange> trustedProxies;

    public ClientAddress(List<AddressRange> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** The client address of the request; worked out once per request. */
    public String of(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        // With no proxy trusted, the peer as the server has always counted it.
        if (trustedProxies.isEmpty()) return peer;
        String known = ctx.attribute(ATTRIBUTE);
        if (known != null) return known;
        String address = resolve(peer, headers(ctx, "Forwarded"), headers(ctx, "X-Forwarded-For"));
        ctx.attribute(ATTRIBUTE, address);
        return address;
    }

    /** Whether the request came straight from a trusted proxy, whose headers may then be believed. */
    public boolean fromTrustedProxy(Context ctx) {
        if (trustedProxies.isEmpty()) return false;
        return Forwarding.node(ctx.req().getRemoteAddr()).filter(this::trusted).isPresent();
    }

    /** The client address, given the peer and every line of each forwarding header, in order. */
    public String resolve(String peer, List<String> forwarded, List<String> xForwardedFor) {
        Optional<InetAddress> peerAddress = Forwarding.node(peer);
        if (peerAddress.isEmpty()) return peer;
        InetAddress client = peerAddress.get();
        if (!trusted(client)) return AddressRange.format(client);
        Optional<List<String>> chain = xForwardedFor.isEmpty() ? Forwarding.forValues(forwarded)
                : Forwarding.xForwardedFor(xForwardedFor);
        if (chain.isEmpty()) return AddressRange.format(client);
        List<String> hops = chain.get();
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = Forwarding.node(hops.get(i));
            if (hop.isEmpty()) return AddressRange.format(peerAddress.get());
            client = hop.get();
            if (!trusted(client)) break;
        }
        // Every hop trusted: the left-most is as far back as anyone can tell.
        return AddressRange.format(client);
    }

    private boolean trusted(InetAddress address) {
        for (AddressRange range : trustedProxies) if (range.contains(address)) return true;
        return false;
    }

    private static List<String> headers(Context ctx, String name) {
        List<String> values = new ArrayList<>();
        var lines = ctx.req().getHeaders(name);
        if (lines != null) values.addAll(Collections.list(lines));
        return values;
    }
}
