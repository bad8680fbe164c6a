package dev.scalelab.sweep.tensor;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.stream;

/** The one oneDNN CPU engine and stream every scalelab primitive runs on, and its matrix descriptors. */
final class OneDnn {
    private static engine cpu;
    private static stream queue;

    private OneDnn() {
    }

    static synchronized engine engine() {
        if (cpu == null) {
            cpu = new engine(engine.kind.cpu, 0);
            queue = new stream(cpu);
        }
        return cpu;
    }

    static stream queue() {
        engine();
        return queue;
    }

    /** Logical (rows, cols); transposed means the buffer holds the (cols, rows) row-major matrix. */
    static memory.desc desc(long rows, long cols, memory.data_type type, boolean transposed) {
        return new memory.desc(new long[] {rows, cols}, type, transposed ? memory.format_tag.ba : memory.format_tag.ab);
    }
}
