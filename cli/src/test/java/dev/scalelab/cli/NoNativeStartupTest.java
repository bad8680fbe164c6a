package dev.scalelab.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands that do not train must never load ND4J or JavaCPP, so they start in well under a second.
 * Runs the real entry point in a child JVM with class-loading logged.
 */
class NoNativeStartupTest {
    private static List<String> loadedClasses(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output.lines().filter(l -> l.contains("[class,load]")).toList();
    }

    @Test
    void helpVersionAndErrorsLoadNoNativeLibrary() throws Exception {
        for (String[] args : new String[][] {{"--help"}, {"--version"}, {"nosuchcommand"}, {"completion", "bash"},
                {"doctor", "--help"}, {"fit", "--help"}, {"predict", "--help"}, {"train", "--help"}, {"sweep", "--help"},
                {"status", "--help"}, {"collect", "--help"}, {"report", "--help"}, {"plot", "--help"}}) {
            List<String> classes = loadedClasses(args);
            assertThat(classes).as("class loading was logged").isNotEmpty();
            assertThat(classes).as(String.join(" ", args))
                    .noneMatch(l -> l.contains("org.nd4j.") || l.contains("org.bytedeco."));
        }
    }
}
