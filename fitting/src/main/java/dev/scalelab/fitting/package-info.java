/**
 * Scaling laws and their fitters: power laws, the Chinchilla surface, Kaplan's forms, IsoFLOP
 * parabolas (Hoffmann et al. 2022, approaches 1-3), bootstrap intervals and predictions.
 * Pure math on Commons Math: this module never depends on ND4J or XChart.
 *
 * <p>Each law has one entry, a {@link dev.scalelab.fitting.LawSpec} (e.g. {@code KaplanSpec}), listed
 * once in {@link dev.scalelab.fitting.Fitter.Law}: its parameters and which are fixable, whether it is
 * one-variable, its fitter with its bootstrap, its predictions and what they are
 * ({@link dev.scalelab.fitting.Predicts}). Fitting, predicting, card validation and the command line's
 * {@code --law}, help and chart checks read it. Adding a law takes its law class ({@code law/}), its
 * fitter ({@code fit/}), its entry ({@code XSpec.java}) and its line in {@code Fitter.Law}, plus its tests
 * and a sentence in the README.
 */
package dev.scalelab.fitting;
