package dev.scalelab.plots;

import dev.scalelab.core.ExitCode;
import dev.scalelab.core.ScalelabException;
import dev.scalelab.core.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Writes a chart as PNG or SVG (by the file's extension), atomically. */
public final class ChartFiles {
    private ChartFiles() {
    }

    public static void write(XYChart chart, Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".png")) {
                AtomicFiles.writeBytes(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
            } else if (name.endsWith(".svg")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
                AtomicFiles.writeBytes(file, out.toByteArray());
            } else {
                throw new ScalelabException(ExitCode.USAGE, "cannot write " + file + ": the name must end in .png or .svg");
            }
        } catch (IOException e) {
            throw new ScalelabException(ExitCode.INVALID_INPUT, "cannot render " + file + ": " + e.getMessage(), e);
        }
    }
}
