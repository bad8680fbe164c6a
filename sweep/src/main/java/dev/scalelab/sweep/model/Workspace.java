package dev.scalelab.sweep.model;

import dev.scalelab.core.run.Precision;
import dev.scalelab.sweep.tensor.MatrixProduct;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.Map;

/**
 * Buffers shared by all layers of a model. Intermediate results that a layer hands on and never
 * reads again (a LayerNorm's output, a projection's output before the residual add, every
 * gradient that flows backwards) are needed by one layer at a time, since layers run one after
 * another; sharing them by name and size keeps the resident memory to what backward truly needs
 * (layer inputs, attention probabilities, GELU slopes). At d=256, 4 layers, it halved the memory.
 * It also holds the precision every matrix multiply of the model is bound in.
 */
final class Workspace {
    private final Map<String, float[]> arrays = new HashMap<>();
    private final Map<String, NativeMatrix> matrices = new HashMap<>();
    private final Precision precision;

    /** Float32 matrix multiplies. */
    Workspace() {
        this(Precision.FP32);
    }

    Workspace(Precision precision) {
        this.precision = precision;
    }

    /** c = op(a)·op(b) bound in the model's precision. */
    MatrixProduct product(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c) {
        return MatrixProduct.of(a, transposeA, b, transposeB, c, precision);
    }

    /** A Java array shared by every caller asking for the same name and size. */
    float[] array(String name, int size) {
        return arrays.computeIfAbsent(name + "#" + size, k -> new float[size]);
    }

    /** An ND4J matrix shared by every caller asking for the same name and shape. */
    NativeMatrix matrix(String name, int rows, int cols) {
        return matrices.computeIfAbsent(name + "#" + rows + "x" + cols, k -> new NativeMatrix(rows, cols));
    }
}
