package dev.scalelab.sweep.model;

/** The MLP's nonlinearity: y = f(u) element by element, and the gradient back through it. */
interface Activation {
    /** Returns y, owned by the activation; keeps what {@link #backward} needs. */
    float[] forward(float[] u);

    /** dL/du from dL/dy, owned by the activation. */
    float[] backward(float[] dy);
}
