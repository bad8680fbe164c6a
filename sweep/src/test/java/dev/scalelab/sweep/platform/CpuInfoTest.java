package dev.scalelab.sweep.platform;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CpuInfoTest {
    @Test
    void readsModelAndRelevantFlagsInAFixedOrder() {
        CpuInfo info = CpuInfo.parse(List.of(
                "processor\t: 0",
                "model name\t: Example CPU @ 2.10GHz",
                "flags\t\t: fpu avx512f sse4_2 avx2 fma avx amx_tile avx512_vnni",
                "processor\t: 1",
                "model name\t: Other",
                "flags\t\t: fpu"));
        assertThat(info.model()).isEqualTo("Example CPU @ 2.10GHz");
        assertThat(info.features()).containsExactly("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_vnni", "amx_tile");
        assertThat(info.has("avx512f")).isTrue();
        assertThat(info.has("avx512bw")).isFalse();
    }

    @Test
    void anUnreadableFileGivesAnUnknownCpu() {
        CpuInfo info = CpuInfo.read(java.nio.file.Path.of("/nonexistent/cpuinfo"));
        assertThat(info.model()).startsWith("unknown");
        assertThat(info.features()).isEmpty();
    }

    @Test
    void warnsAboutSpinWaitingAndAMismatchedNativeBuild() {
        CpuInfo avx512 = new CpuInfo("x", List.of("avx2", "avx512f"));
        CpuInfo avx2 = new CpuInfo("x", List.of("avx2"));
        NativeBackend.Info generic = new NativeBackend.Info("CpuBackend", "linux-x86_64", "OPENBLAS", "generic",
                "AVX512", false, 2, 1, 1);
        NativeBackend.Info fast = new NativeBackend.Info("CpuBackend", "linux-x86_64-onednn-avx512", "OPENBLAS",
                "AVX512", "AVX512", true, 2, 1, 1);
        DoctorReport.Threads passive = new DoctorReport.Threads(2, 2, null, "PASSIVE");
        DoctorReport.Threads spinning = new DoctorReport.Threads(2, 2, null, null);

        assertThat(Doctor.warnings(avx512, fast, passive)).isEmpty();
        assertThat(Doctor.warnings(avx512, fast, spinning)).singleElement().asString().contains("OMP_WAIT_POLICY is unset");
        assertThat(Doctor.warnings(avx512, generic, passive)).singleElement().asString()
                .contains("has AVX-512 but the native build is linux-x86_64");
        assertThat(Doctor.warnings(avx2, generic, passive)).singleElement().asString().contains("-Pavx2");
    }
}
