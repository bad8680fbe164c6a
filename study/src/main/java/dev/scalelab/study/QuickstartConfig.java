package dev.scalelab.study;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The quickstart's sweep config: a built-in size (tiny, default, large) or a config file, kept as DIR/quickstart.yaml. */
public final class QuickstartConfig {
    /** The built-in designs, in src/main/resources/quickstart/. */
    public enum Size { TINY, DEFAULT, LARGE }

    private QuickstartConfig() {
    }

    /**
     * Writes the size's built-in config (or {@code file}'s text) to DIR/quickstart.yaml and returns
     * it; a folder started with another size or config is refused, not mixed.
     */
    public static Path write(Path out, Size size, Path file) {
        String text;
        try {
            if (file != null) {
                if (!Files.isRegularFile(file)) {
                    throw new InvalidInputException(file, 0, "--config", "no such file",
                            "give a sweep config, e.g. configs/chinchilla-mini.yaml");
                }
                text = Files.readString(file);
            } else {
                String name = size.name().toLowerCase(Locale.ROOT);
                try (InputStream in = QuickstartConfig.class.getResourceAsStream("/quickstart/" + name + ".yaml")) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            Path config = out.resolve("quickstart.yaml");
            if (Files.isRegularFile(config) && !Files.readString(config).equals(text)) {
                throw new InvalidInputException(config, 0, file != null ? "--config" : "--size",
                        "this folder was started with another --size or --config (or its config was edited)",
                        "use the same --size or --config, or another --out");
            }
            if (!Files.isRegularFile(config)) {
                AtomicFiles.writeString(config, text);
            }
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
