package dev.scalelab.study;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.core.run.SweepLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The finished run that checks a prediction: a run folder, or a one-run sweep folder holding it. */
public final class CheckRun {
    private CheckRun() {
    }

    public static RunResult read(Path dir) {
        Path result = RunLayout.result(dir);
        if (!Files.isRegularFile(result) && Files.isDirectory(SweepLayout.runs(dir))) {
            try (Stream<Path> runs = Files.list(SweepLayout.runs(dir))) {
                List<Path> done = runs.map(r -> RunLayout.result(r)).filter(Files::isRegularFile).toList();
                if (done.size() == 1) {
                    result = done.get(0);
                }
            } catch (IOException e) {
                throw new InvalidInputException(dir, 0, "--check", "cannot be listed (" + e.getMessage() + ")",
                        "give a run folder with result.json");
            }
        }
        if (!Files.isRegularFile(result)) {
            throw new InvalidInputException(dir, 0, "--check", "holds no finished run (no result.json)",
                    "give a run folder that 'scalelab train' finished");
        }
        try {
            return Json.mapper().readValue(result.toFile(), RunResult.class);
        } catch (IOException e) {
            throw new InvalidInputException(result, 0, null, "cannot be read (" + e.getMessage() + ")",
                    "train the check run again");
        }
    }
}
