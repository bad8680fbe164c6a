package dev.scalelab.sweep.model;

import dev.scalelab.core.run.Precision;
import dev.scalelab.sweep.tensor.OneDnnMatmul;
import dev.scalelab.sweep.tensor.MatrixProduct;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Buffers shared by all layers of a model. Intermediate results that a layer hands on and never
 * reads again (a LayerNorm's output, a projection's output before the residual add, every
 * gradient that flows backwards) are needed by one layer at a time, since layers run one after
 * another; sharing them by name and size keeps the resident memory to what backward truly needs
 * (layer inputs, attention probabilities, GELU slopes). At d=256, 4 layers, it halved the memory.
 * It also holds the precision every matrix multiply of the model is bound in, and owns the model's
 * native memory (ND4J matrices, oneDNN products and bf16 copies), which {@link #close()} frees.
 */
final class Workspace implements AutoCloseable {
    private final Map<String, float[]> arrays = new HashMap<>();
    private final Map<String, NativeMatrix> matrices = new HashMap<>();
    private final List<NativeMatrix> ownMatrices = new ArrayList<>();
    private final List<MatrixProduct> products = new ArrayList<>();
    private final Precision precision;

    /** Float32 matrix multiplies. */
    Workspace() {
        this(Precision.FP32);
    }

    Workspace(Precision precision) {
        this.precision = precision;
    }

    /**
     * c = op(a)·op(b) bound in the model's precision. In bf16 it reads a and b as last written
     * ({@link NativeMatrix#hostWritten()} rounds them), so a matrix read by several products is rounded once.
     */
    MatrixProduct product(NativeMatrix a, boolean transposeA, NativeMatrix b, boolean transposeB, NativeMatrix c) {
        MatrixProduct p = MatrixProduct.of(a.productInput(precision), transposeA, b.productInput(precision),
                transposeB, c.array());
        products.add(p);
        return p;
    }

    /**
     * Batched c = a·b over strided views (offset in elements, dims, element strides) of three
     * matrices, bound in the model's precision; in bf16 it reads a and b as last written.
     */
    MatrixProduct batched(NativeMatrix a, long aOffset, long[] aDims, long[] aStrides,
                          NativeMatrix b, long bOffset, long[] bDims, long[] bStrides,
                          NativeMatrix c, long cOffset, long[] cDims, long[] cStrides) {
        MatrixProduct p = OneDnnMatmul.batched(new OneDnnMatmul.View(a.productInput(precision), aOffset, aDims, aStrides),
                new OneDnnMatmul.View(b.productInput(precision), bOffset, bDims, bStrides),
                c.array(), cOffset, cDims, cStrides);
        products.add(p);
        return p;
    }

    /** A Java array shared by every caller asking for the same name and size. */
    float[] array(String name, int size) {
        return arrays.computeIfAbsent(name + "#" + size, k -> new float[size]);
    }

    /** An ND4J matrix shared by every caller asking for the same name and shape. */
    NativeMatrix matrix(String name, int rows, int cols) {
        return matrices.computeIfAbsent(name + "#" + rows + "x" + cols, k -> new NativeMatrix(rows, cols));
    }

    /** An ND4J matrix of one layer's own (a weight mirror, a saved input), freed with the workspace. */
    NativeMatrix ownMatrix(int rows, int cols) {
        NativeMatrix m = new NativeMatrix(rows, cols);
        ownMatrices.add(m);
        return m;
    }

    /** Frees the products, then the matrices they read and wrote. */
    @Override
    public void close() {
        products.forEach(MatrixProduct::close);
        products.clear();
        ownMatrices.forEach(NativeMatrix::close);
        ownMatrices.clear();
        matrices.values().forEach(NativeMatrix::close);
        matrices.clear();
    }
}
