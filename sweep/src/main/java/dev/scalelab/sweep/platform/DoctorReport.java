package dev.scalelab.sweep.platform;

import java.util.List;

/**
 * What {@code scalelab doctor} found about this machine and the native stack. Field names carry
 * units; the JSON form is this record as is.
 */
public record DoctorReport(String scalelabVersion, Java java, String os, Cpu cpu, NativeBackend.Info nd4j,
                           Threads threads, Memory memory, Gemm gemm, List<String> warnings) {

    public record Java(String version, String vendor, String vm) {
    }

    public record Cpu(String model, int logicalCpus, List<String> features) {
    }

    /**
     * @param ompNumThreads  the OMP_NUM_THREADS variable, or null if unset
     * @param ompWaitPolicy  the OMP_WAIT_POLICY variable, or null if unset (PASSIVE is advised)
     */
    public record Threads(int availableProcessors, int nd4jOmpThreads, String ompNumThreads, String ompWaitPolicy) {
    }

    /** @param cgroupLimitBytes the container's memory limit, or null if none */
    public record Memory(long heapMaxBytes, long offHeapMaxBytes, long physicalBytes, Long cgroupLimitBytes) {
    }

    /** Single-precision GEMM rates through the trainer's path; peak is the best shape's median. */
    public record Gemm(String dataType, int threads, List<GemmBenchmark.Rate> rates, double peakGflopsPerSecond) {
    }
}
