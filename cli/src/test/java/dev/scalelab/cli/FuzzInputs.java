package dev.scalelab.cli;

import dev.scalelab.core.ExitCode;
import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.ScalelabException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the fuzz tests share: the fuzzer's bytes written to a file (the readers under test read
 * files, BOMs and encodings included), and the one kind of failure a reader may answer bad input
 * with: a {@link ScalelabException} with exit 3 (or 4 for data no law fits) whose message names the
 * file. Anything else escapes to Jazzer as a finding.
 */
final class FuzzInputs {
    private static Path dir;

    private FuzzInputs() {
    }

    static synchronized Path write(String name, byte[] bytes) {
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("scalelab-fuzz");
                dir.toFile().deleteOnExit();
            }
            Path file = dir.resolve(name);
            Files.write(file, bytes);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Passes a documented input error, rethrows anything else; {@code file} (if not null) must be named. */
    static void expectDocumented(ScalelabException e, Path file) {
        boolean documented = e.exitCode() == ExitCode.INVALID_INPUT || e.exitCode() == ExitCode.NO_USABLE_FIT;
        if (!documented) {
            throw new AssertionError("exit " + e.exitCode().code() + " for bad input: " + e.getMessage(), e);
        }
        if (file != null && e instanceof InvalidInputException && !e.getMessage().contains(file.getFileName().toString())) {
            throw new AssertionError("the error does not name the file: " + e.getMessage(), e);
        }
    }
}
