package dev.scalelab.fitting.law;

import java.util.Map;

/**
 * A fitted law that predicts the loss of a model from its size, data and compute. Its name, fitter and
 * predictions from a card are its entry in {@link dev.scalelab.fitting.Fitter.Law}.
 */
public interface ScalingLaw {
    /** The formula with the fitted values, e.g. {@code L = 1.69 + 406.4/N^0.34 + 410.7/D^0.28}. */
    String formula();

    /** Parameter values by name, in a fixed order. */
    Map<String, Double> parameters();

    /** Predicted loss (nats/token) at a point. */
    double predict(Point point);
}
