package dev.scalelab.fitting.law;

/** Where a law is evaluated: parameters, training tokens and training FLOPs. */
public record Point(double params, double tokens, double flops) {
}
