/** Charts (XChart; PNG and SVG) and the HTML report that gathers them. */
package dev.scalelab.plots;
