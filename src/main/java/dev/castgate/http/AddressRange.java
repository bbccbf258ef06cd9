package dev.castgate.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address, or a CIDR range of them ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), as
 * the trusted proxies are configured. Addresses are read by hand, never by
 * {@link InetAddress#getByName}, which looks up anything that is not a literal in DNS: forwarded
 * headers are written by whoever sends the request.
 */
public record AddressRange(InetAddress network, int prefixLength) {
    public AddressRange {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) throw new IllegalArgumentException("prefix length out of range");
    }

    /**
     * An address ({@code 127.0.0.1}, {@code ::1}: a range of one) or a CIDR range. Throws
     * {@link IllegalArgumentException} saying what is wrong with {@code text}.
     */
    public static AddressRange parse(String text) {
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = address(literal)
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address or range"));
        int bits = address.getAddress().length * 8;
        if (slash < 0) return new AddressRange(address, bits);
        String prefix = text.substring(slash + 1);
        if (!prefix.matches("[0-9]{1,3}") || Integer.parseInt(prefix) > bits) {
            throw new IllegalArgumentException("'" + text + "' needs a prefix length from 0 to " + bits);
        }
        AddressRange range = new AddressRange(address, Integer.parseInt(prefix));
        InetAddress masked = range.masked(address);
        if (!masked.equals(address)) {
            // Most likely a typo in the prefix; taking the range it would mean could trust far more.
            throw new IllegalArgumentException("'" + text + "' has address bits past its prefix (the range would be "
                    + format(masked) + "/" + prefix + ")");
        }
        return range;
    }

    /** Whether the address lies in this range; an IPv4 address is never in an IPv6 range, nor the other way. */
    public boolean contains(InetAddress address) {
        return address.getAddress().length == network.getAddress().length && masked(address).equals(network);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefixLength;
    }

    private InetAddress masked(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        return fromBytes(bytes);
    }

    /** How an address is written: dotted for IPv4, eight groups for IPv6 (the JDK's form, so one address has one key). */
    public static String format(InetAddress address) {
        return address.getHostAddress();
    }

    /**
     * A literal address, IPv4 in four decimal parts or IPv6 (with {@code ::} and a trailing IPv4
     * part allowed), without brackets, port or zone; empty for anything else. An IPv4-mapped IPv6
     * address is the IPv4 address.
     */
    public static Optional<InetAddress> address(String text) {
        byte[] bytes = text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
        return bytes == null ? Optional.empty() : Optional.of(fromBytes(bytes));
    }

    private static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            // No leading zeros: some readers take 010 as octal, so it has no one meaning.
            if (!parts[i].matches("0|[1-9][0-9]{0,2}")) return null;
            int value = Integer.parseInt(parts[i]);
            if (value > 255) return null;
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    private static byte[] ipv6(String text) {
        if (text.length() > 45) return null;
        String[] halves = text.split("::", -1);
        if (halves.length > 2) return null;
        boolean compressed = halves.length == 2;
        List<Integer> head = groups(halves[0], !compressed);
        List<Integer> tail = compressed ? groups(halves[1], true) : List.of();
        if (head == null || tail == null) return null;
        int count = head.size() + tail.size();
        if (compressed ? count > 7 : count != 8) return null;
        byte[] bytes = new byte[16];
        for (int i = 0; i < head.size(); i++) put(bytes, i, head.get(i));
        for (int i = 0; i < tail.size(); i++) put(bytes, 8 - tail.size() + i, tail.get(i));
        return bytes;
    }

    /** The 16-bit groups of one side of {@code ::}; the last one may be an IPv4 address (two groups) when it ends the address. */
    private static List<Integer> groups(String side, boolean endsAddress) {
        List<Integer> groups = new ArrayList<>();
        if (side.isEmpty()) return groups;
        String[] parts = side.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.matches("[0-9A-Fa-f]{1,4}")) {
                groups.add(Integer.parseInt(part, 16));
            } else if (endsAddress && i == parts.length - 1 && ipv4(part) != null) {
                byte[] v4 = ipv4(part);
                groups.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                groups.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
            } else {
                return null;
            }
        }
        return groups;
    }

    private static void put(byte[] bytes, int group, int value) {
        bytes[group * 2] = (byte) (value >> 8);
        bytes[group * 2 + 1] = (byte) value;
    }

    private static InetAddress fromBytes(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes); // no lookup: the JDK only wraps the bytes
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + bytes.length + " bytes", e);
        }
    }
}
