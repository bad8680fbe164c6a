package dev.scalelab.sweep.platform;

import org.bytedeco.javacpp.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Examines the machine and the native stack, and measures the GEMM rate, for {@code scalelab doctor}. */
public final class Doctor {
    private Doctor() {
    }

    /**
     * @param version         scalelab's version
     * @param secondsPerShape timed seconds per GEMM shape (the default five shapes at 0.4 s take ~2.5 s)
     */
    public static DoctorReport examine(String version, double secondsPerShape) {
        CpuInfo cpu = CpuInfo.read();
        NativeBackend.Info nd4j = NativeBackend.describe();
        List<GemmBenchmark.Rate> rates = GemmBenchmark.run(GemmBenchmark.DEFAULT_SHAPES, secondsPerShape);
        double peak = rates.stream().mapToDouble(GemmBenchmark.Rate::gflopsPerSecond).max().orElse(0);
        DoctorReport.Threads threads = new DoctorReport.Threads(Runtime.getRuntime().availableProcessors(),
                nd4j.ompThreads(), System.getenv("OMP_NUM_THREADS"), System.getenv("OMP_WAIT_POLICY"));
        return new DoctorReport(
                version,
                new DoctorReport.Java(System.getProperty("java.version"), System.getProperty("java.vendor"),
                        System.getProperty("java.vm.name")),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                new DoctorReport.Cpu(cpu.model(), Runtime.getRuntime().availableProcessors(), cpu.features()),
                nd4j,
                threads,
                new DoctorReport.Memory(Runtime.getRuntime().maxMemory(), Pointer.maxBytes(),
                        Pointer.totalPhysicalBytes(), cgroupMemoryLimit()),
                new DoctorReport.Gemm("float32", nd4j.ompThreads(), rates, peak),
                warnings(cpu, nd4j, threads));
    }

    static List<String> warnings(CpuInfo cpu, NativeBackend.Info nd4j, DoctorReport.Threads threads) {
        List<String> warnings = new ArrayList<>();
        if (!"PASSIVE".equalsIgnoreCase(String.valueOf(threads.ompWaitPolicy()))) {
            warnings.add("OMP_WAIT_POLICY is " + (threads.ompWaitPolicy() == null ? "unset" : threads.ompWaitPolicy())
                    + ": spin-waiting OpenMP threads made training 3-6x slower on a shared machine; "
                    + "export OMP_WAIT_POLICY=PASSIVE (the ./scalelab launcher does this)");
        }
        if (cpu.has("avx512f") && !nd4j.classifier().contains("avx512")) {
            warnings.add("this CPU has AVX-512 but the native build is " + nd4j.classifier()
                    + "; the default build (linux-x86_64-onednn-avx512) is faster");
        } else if (!cpu.has("avx512f") && cpu.has("avx2") && !nd4j.classifier().contains("avx2")) {
            warnings.add("this CPU has AVX2 but not AVX-512; build with 'mvn -Pavx2 package' for a faster native build");
        }
        return warnings;
    }

    /** cgroup v2 memory.max, else v1 memory.limit_in_bytes; null when unlimited or unknown. */
    static Long cgroupMemoryLimit() {
        for (String file : List.of("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
            try {
                String text = Files.readString(Path.of(file)).trim();
                if (text.equals("max")) {
                    return null;
                }
                long bytes = Long.parseLong(text);
                return bytes >= Long.MAX_VALUE / 2 ? null : bytes;
            } catch (IOException | NumberFormatException e) {
                // try the next layout
            }
        }
        return null;
    }
}
