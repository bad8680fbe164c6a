package dev.scalelab.sweep.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every parameter of a model in one flat array, with gradients beside them. One flat array makes
 * the optimizer, clipping and checkpoints single loops, and keeps them independent of the layers.
 */
public final class Params {
    /** What a parameter is, which decides its weight decay. */
    public enum Kind { MATRIX, BIAS, NORM, EMBEDDING }

    /** A named slice [offset, offset + rows·cols) of the flat arrays, row-major. */
    public record Slice(String name, int offset, int rows, int cols, Kind kind) {
        public int size() {
            return rows * cols;
        }
    }

    private final List<Slice> slices = new ArrayList<>();
    private int size;
    private float[] values;
    private float[] grads;

    /** Declares a parameter; all must be declared before {@link #allocate()}. */
    public Slice add(String name, int rows, int cols, Kind kind) {
        if (values != null) {
            throw new IllegalStateException("parameters are already allocated");
        }
        Slice slice = new Slice(name, size, rows, cols, kind);
        slices.add(slice);
        size = Math.addExact(size, rows * cols);
        return slice;
    }

    public void allocate() {
        values = new float[size];
        grads = new float[size];
    }

    public List<Slice> slices() {
        return Collections.unmodifiableList(slices);
    }

    public int size() {
        return size;
    }

    public float[] values() {
        return values;
    }

    public float[] grads() {
        return grads;
    }

    public void zeroGrads() {
        java.util.Arrays.fill(grads, 0f);
    }

    /** Sum of squared gradients, accumulated in double in a fixed order. */
    public double gradNormSquared() {
        double sum = 0;
        for (float g : grads) {
            sum += (double) g * g;
        }
        return sum;
    }
}
