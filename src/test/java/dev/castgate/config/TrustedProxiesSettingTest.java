package dev.castgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.castgate.http.AddressRange;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code http.trusted_proxies}: none by default, addresses and CIDR ranges of both families, each checked. */
class TrustedProxiesSettingTest {
    @Test
    void noProxyIsTrustedByDefault() {
        assertThat(ConfigLoader.load(Map.of(), Optional.empty()).trustedProxies()).isEmpty();
    }

    @Test
    void addressesAndRangesOfBothFamilies() {
        ServerConfig config = ConfigLoader.load(Map.of("CASTGATE_HTTP_TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/8,fd00::/8 ,::1"),
                Optional.empty());
        assertThat(config.trustedProxies()).extracting(AddressRange::toString)
                .containsExactly("127.0.0.1/32", "10.0.0.0/8", "fd00:0:0:0:0:0:0:0/8", "0:0:0:0:0:0:0:1/128");
    }

    @Test
    void eachBadEntryIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("CASTGATE_HTTP_TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal"),
                Optional.empty())).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                "http.trusted_proxies must be addresses or CIDR ranges separated by commas: "
                        + "'proxy.internal' is not an IPv4 or IPv6 address or range"));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("CASTGATE_HTTP_TRUSTED_PROXIES", "10.0.0.1/8"), Optional.empty()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "http.trusted_proxies must be addresses or CIDR ranges separated by commas: "
                                + "'10.0.0.1/8' has address bits past its prefix (the range would be 10.0.0.0/8)"));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("CASTGATE_HTTP_TRUSTED_PROXIES", "10.0.0.0/8,"), Optional.empty()))
                .isInstanceOf(ConfigException.class);
    }
}
