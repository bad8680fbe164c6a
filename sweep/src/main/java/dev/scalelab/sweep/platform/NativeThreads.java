package dev.scalelab.sweep.platform;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** Sets the OpenMP threads ND4J's native ops use; part of a run's spec, since it changes the last digits. */
public final class NativeThreads {
    private NativeThreads() {
    }

    public static void set(int threads) {
        Nd4j.getExecutioner(); // the backend must be loaded before its native ops are reachable
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }
}
