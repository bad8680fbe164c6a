package dev.scalelab.sweep.platform;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.Map;
import java.util.Properties;

/**
 * What ND4J loaded: backend, native build (classifier), BLAS, instruction-set level, threads and
 * off-heap limits. Calling {@link #describe()} initialises ND4J (about a second).
 */
public final class NativeBackend {
    /**
     * @param backend          ND4J backend class, e.g. CpuBackend
     * @param classifier       the native build in use, e.g. linux-x86_64-onednn-avx512
     * @param blasVendor       BLAS library, e.g. OPENBLAS
     * @param binaryLevel      instruction set the native build targets (generic, AVX2, AVX512)
     * @param optimalLevel     the best instruction set this CPU supports, as ND4J sees it
     * @param onednn           whether the native build includes oneDNN
     * @param ompThreads       OpenMP threads ND4J uses for one op
     * @param maxOffHeapBytes  JavaCPP's off-heap limit (-Dorg.bytedeco.javacpp.maxbytes)
     * @param maxPhysicalBytes JavaCPP's limit on the process's resident memory
     */
    public record Info(String backend, String classifier, String blasVendor,
                       String binaryLevel, String optimalLevel, boolean onednn, int ompThreads,
                       long maxOffHeapBytes, long maxPhysicalBytes) {
    }

    private NativeBackend() {
    }

    public static Info describe() {
        Nd4j.create(1); // forces backend initialisation
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        String buildInfo = ops.buildInfo();
        boolean onednn = buildInfo != null && buildInfo.toUpperCase().contains("ONEDNN");
        return new Info(
                Nd4j.getBackend().getClass().getSimpleName(),
                classifier(),
                String.valueOf(env.getOrDefault("blas.vendor", "unknown")),
                levelName(ops.binaryLevel()),
                levelName(ops.optimalLevel()),
                onednn,
                ops.ompGetMaxThreads(),
                Pointer.maxBytes(),
                Pointer.maxPhysicalBytes());
    }

    /** libnd4j's levels: 0 not x86-64, 1 generic x86-64, 2 AVX2, 3 AVX-512. */
    static String levelName(int level) {
        return switch (level) {
            case 0 -> "generic";
            case 1 -> "x86-64";
            case 2 -> "AVX2";
            case 3 -> "AVX512";
            default -> "level-" + level;
        };
    }

    /** The classifier is the folder the native library was unpacked from: .../bindings/CLASSIFIER/lib... */
    private static String classifier() {
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            String path = e.getValue();
            if (path != null && (path.contains("nd4jcpu") || path.contains("nd4jcuda"))) {
                int at = path.indexOf("/bindings/");
                if (at >= 0) {
                    int end = path.indexOf('/', at + "/bindings/".length());
                    return path.substring(at + "/bindings/".length(), end < 0 ? path.length() : end);
                }
            }
        }
        return Loader.getPlatform() + String.valueOf(System.getProperty("org.bytedeco.javacpp.platform.extension", ""));
    }
}
