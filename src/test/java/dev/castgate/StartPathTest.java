package dev.castgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The answer given to Jetty without starting JMX is the one JMX would have given. */
class StartPathTest {
    @Test
    void theJvmPropertyTellsWhetherReferencesAreCompressed() {
        boolean compressed = Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("UseCompressedOops").getValue());
        assertThat(System.getProperty("java.vm.compressedOopsMode") != null).isEqualTo(compressed);
    }

    @Test
    void thePropertyIsAbsentWhenReferencesAreNotCompressed() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, "-XX:-UseCompressedOops", "-XshowSettings:properties", "-version")
                .redirectErrorStream(true).start();
        String settings = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isZero();
        assertThat(settings).contains("java.vm.name").doesNotContain("java.vm.compressedOopsMode");
    }

    @Test
    void referencesPerCacheLineAreCountedAsJettyCountsThem() {
        assertThat(StartPath.referencesPerCacheLine(64, true)).isEqualTo(16);
        assertThat(StartPath.referencesPerCacheLine(64, false)).isEqualTo(8);
        assertThat(StartPath.referencesPerCacheLine(128, true)).isEqualTo(32);
        assertThat(StartPath.referencesPerCacheLine(2, false)).as("never zero").isEqualTo(1);
    }
}
