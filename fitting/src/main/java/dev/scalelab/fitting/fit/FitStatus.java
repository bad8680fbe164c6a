package dev.scalelab.fitting.fit;

/** How a fit ended; a soft failure is a status, not an exception (cf. Commons Math, Smile). */
public enum FitStatus {
    /** The best start met the convergence tolerances inside the plausible region. */
    CONVERGED,
    /** The best start ran out of iterations. */
    MAX_ITER,
    /** The optimum sits at the edge of the plausible region: an exponent at 0, or a term that vanished. */
    AT_BOUND
}
