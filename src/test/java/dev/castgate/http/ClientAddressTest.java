package dev.castgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client address from the peer and the forwarded headers: which hop counts, and what cannot be read. */
class ClientAddressTest {
    private static ClientAddress trusting(String... ranges) {
        return new ClientAddress(Arrays.stream(ranges).map(AddressRange::parse).toList());
    }

    private static String xff(ClientAddress addresses, String peer, String... lines) {
        return addresses.resolve(peer, List.of(), List.of(lines));
    }

    private static String forwarded(ClientAddress addresses, String peer, String... lines) {
        return addresses.resolve(peer, List.of(lines), List.of());
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        ClientAddress addresses = trusting("10.0.0.0/8");
        assertThat(xff(addresses, "127.0.0.1", "203.0.113.5")).isEqualTo("127.0.0.1");
        assertThat(forwarded(addresses, "127.0.0.1", "for=203.0.113.5")).isEqualTo("127.0.0.1");
    }

    @Test
    void theRightMostAddressThatIsNoTrustedProxyCounts() {
        ClientAddress addresses = trusting("127.0.0.1", "10.0.0.0/8", "2001:db8:ffff::/48");
        assertThat(xff(addresses, "127.0.0.1", "203.0.113.5")).isEqualTo("203.0.113.5");
        // The client wrote the left part; the proxies appended the right.
        assertThat(xff(addresses, "127.0.0.1", "192.0.2.1, 198.51.100.7, 10.1.2.3")).isEqualTo("198.51.100.7");
        assertThat(xff(addresses, "127.0.0.1", "192.0.2.1", "198.51.100.7,10.1.2.3")).as("lines joined in order")
                .isEqualTo("198.51.100.7");
        assertThat(xff(addresses, "127.0.0.1", "10.9.9.9, 10.1.2.3")).as("all trusted: the left-most").isEqualTo("10.9.9.9");
        assertThat(xff(addresses, "10.0.0.1", "2001:db8::1, 2001:db8:ffff::9")).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(xff(addresses, "[0:0:0:0:0:0:0:1]", "203.0.113.5")).as("::1 is not trusted").isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(xff(addresses, "127.0.0.1")).as("no header: the peer").isEqualTo("127.0.0.1");
        assertThat(xff(addresses, "127.0.0.1", "203.0.113.5:4711", "[2001:db8::2]:80")).isEqualTo("2001:db8:0:0:0:0:0:2");
        assertThat(xff(addresses, "127.0.0.1", "::ffff:203.0.113.9")).as("IPv4-mapped is IPv4").isEqualTo("203.0.113.9");
    }

    @Test
    void forwardedIsReadWhenThereIsNoXForwardedFor() {
        ClientAddress addresses = trusting("127.0.0.1", "10.0.0.0/8");
        assertThat(forwarded(addresses, "127.0.0.1", "for=192.0.2.60;proto=http;by=203.0.113.43")).isEqualTo("192.0.2.60");
        assertThat(forwarded(addresses, "127.0.0.1", "for=\"[2001:db8:cafe::17]:4711\"")).isEqualTo("2001:db8:cafe:0:0:0:0:17");
        assertThat(forwarded(addresses, "127.0.0.1", "For=192.0.2.43, for=198.51.100.17;by=10.0.0.1", "for=10.2.2.2"))
                .isEqualTo("198.51.100.17");
        assertThat(forwarded(addresses, "127.0.0.1", "for=192.0.2.43;host=\"a,b;c\", for=\"198.51.100.3\""))
                .as("separators inside quotes").isEqualTo("198.51.100.3");
        assertThat(new ClientAddress(List.of(AddressRange.parse("127.0.0.1")))
                .resolve("127.0.0.1", List.of("for=192.0.2.1"), List.of("198.51.100.2"))).as("X-Forwarded-For first")
                .isEqualTo("198.51.100.2");
    }

    @Test
    void aChainThatCannotBeReadCountsAsThePeer() {
        ClientAddress addresses = trusting("127.0.0.1", "10.0.0.0/8");
        for (String bad : List.of("", "not-an-address", "203.0.113.5,", ",203.0.113.5", "203.0.113.5, , 10.0.0.2",
                "unknown", "_hidden", "203.0.113.300", "1.2.3", "010.1.1.1", "fe80::1%eth0", "[203.0.113.5]",
                "203.0.113.5:http", "2001:db8::1::2", "example.com", "[2001:db8::1")) {
            assertThat(xff(addresses, "127.0.0.1", bad)).as("X-Forwarded-For: " + bad).isEqualTo("127.0.0.1");
        }
        for (String bad : List.of("for=unknown", "for=_hidden", "by=203.0.113.1", "for=\"203.0.113.5",
                "for=203.0.113.5;for=198.51.100.1", "for", "for=", "for=2001:db8::1:80\"", "garbage")) {
            assertThat(forwarded(addresses, "127.0.0.1", bad)).as("Forwarded: " + bad).isEqualTo("127.0.0.1");
        }
        // Only the hops walked are read: a client's garbage left of its own address does not matter.
        assertThat(xff(addresses, "127.0.0.1", "garbage, 198.51.100.7")).isEqualTo("198.51.100.7");
    }

    @Test
    void rangesAreParsedStrictly() {
        assertThat(AddressRange.parse("10.0.0.0/8").contains(AddressRange.address("10.255.1.2").orElseThrow())).isTrue();
        assertThat(AddressRange.parse("10.0.0.0/8").contains(AddressRange.address("11.0.0.1").orElseThrow())).isFalse();
        assertThat(AddressRange.parse("2001:db8::/32").contains(AddressRange.address("2001:db8:1::1").orElseThrow())).isTrue();
        assertThat(AddressRange.parse("0.0.0.0/0").contains(AddressRange.address("::1").orElseThrow())).as("families apart").isFalse();
        assertThat(AddressRange.parse("::1")).hasToString("0:0:0:0:0:0:0:1/128");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.1/8")).hasMessage(
                "'10.0.0.1/8' has address bits past its prefix (the range would be 10.0.0.0/8)");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).hasMessage("'10.0.0.0/33' needs a prefix length from 0 to 32");
        assertThatThrownBy(() -> AddressRange.parse("proxy.internal")).hasMessage(
                "'proxy.internal' is not an IPv4 or IPv6 address or range");
    }
}
