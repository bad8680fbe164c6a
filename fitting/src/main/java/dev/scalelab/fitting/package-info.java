/**
 * Scaling laws and their fitters: power laws, the Chinchilla surface, Kaplan's forms, IsoFLOP
 * parabolas (Hoffmann et al. 2022, approaches 1-3), bootstrap intervals and predictions.
 * Pure math on Commons Math: this module never depends on ND4J or XChart.
 */
package dev.scalelab.fitting;
