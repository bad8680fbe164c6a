package dev.scalelab.sweep.tensor;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;

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

    /** A pointer {@code bytes} past {@code base}'s address, for a view that starts inside a buffer. */
    static Pointer at(Pointer base, long bytes) {
        if (base.position() != 0) {
            throw new IllegalArgumentException("a buffer pointer with a position: pass its address");
        }
        return bytes == 0 ? base : new Offset(base, bytes);
    }

    private static final class Offset extends Pointer {
        Offset(Pointer base, long bytes) {
            super(base);
            this.address = base.address() + bytes;
        }
    }
}
