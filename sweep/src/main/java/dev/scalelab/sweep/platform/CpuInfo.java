package dev.scalelab.sweep.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The CPU as Linux describes it in /proc/cpuinfo: the model and the vector-instruction features
 * that decide which native ND4J build runs fastest (or at all). Pure Java; loads no native code.
 *
 * @param model    the model name, or "unknown"
 * @param features the relevant feature flags present, in a fixed order
 */
public record CpuInfo(String model, List<String> features) {
    /** Flags that matter for the native builds, in the order they are reported. */
    static final List<String> RELEVANT = List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw",
            "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16");

    public boolean has(String feature) {
        return features.contains(feature);
    }

    public static CpuInfo read() {
        return read(Path.of("/proc/cpuinfo"));
    }

    static CpuInfo read(Path cpuinfo) {
        try {
            return parse(Files.readAllLines(cpuinfo));
        } catch (IOException e) {
            return new CpuInfo("unknown (" + cpuinfo + " unreadable)", List.of());
        }
    }

    static CpuInfo parse(List<String> lines) {
        String model = "unknown";
        Set<String> flags = new HashSet<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("model name") && model.equals("unknown")) {
                model = value;
            } else if (key.equals("flags") && flags.isEmpty()) {
                flags.addAll(Arrays.asList(value.split("\\s+")));
            }
        }
        List<String> present = new ArrayList<>();
        for (String f : RELEVANT) {
            if (flags.contains(f)) {
                present.add(f);
            }
        }
        return new CpuInfo(model, List.copyOf(present));
    }
}
