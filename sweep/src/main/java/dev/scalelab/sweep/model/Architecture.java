package dev.scalelab.sweep.model;

/**
 * What may differ from GPT-2 in a model: the MLP's nonlinearity and width, and whether there are
 * LayerNorms (pre-norm in each block and a final one). The grokking models of Nanda et al. (2023)
 * use ReLU, an MLP of 4·d_model and no LayerNorm.
 *
 * @param activation "gelu" (GPT-2's tanh approximation) or "relu"
 * @param layerNorm  whether the blocks and the output have LayerNorms
 * @param mlpWidth   the MLP's hidden width; 0 for 4·d_model
 */
public record Architecture(String activation, boolean layerNorm, int mlpWidth) {
    public static final Architecture GPT2 = new Architecture("gelu", true, 0);

    public Architecture {
        if (!activation.equals("gelu") && !activation.equals("relu")) {
            throw new IllegalArgumentException("activation must be gelu or relu, got " + activation);
        }
        if (mlpWidth < 0) {
            throw new IllegalArgumentException("mlpWidth must not be negative, got " + mlpWidth);
        }
    }

    int mlpWidth(int dModel) {
        return mlpWidth > 0 ? mlpWidth : 4 * dModel;
    }

    Activation activation(Workspace ws, Parallel parallel, int rows, int width) {
        return activation.equals("relu") ? new Relu(ws, parallel, rows, width) : new Gelu(ws, parallel, rows, width);
    }
}
