package dev.scalelab.fitting;

/**
 * What a fitted law predicts from its card; each law's entry says which (a one-variable law's answer
 * depends on its variable), and the predictions, backtests and charts that need one of them read it.
 */
public enum Predicts {
    /** The loss at a compute budget: at the budget's compute-optimal allocation, or of a law in flops. */
    LOSS_AT_BUDGET,
    /** A budget's compute-optimal parameters N* and tokens D*. */
    ALLOCATION,
    /** The loss of a given model: of its parameters, its tokens, or both. */
    LOSS_OF_MODEL,
    /** The law's response column (an error, an accuracy, a second loss, a learning rate) at its input columns. */
    RESPONSE
}
