package dev.scalelab.core.io;

import dev.scalelab.core.ExitCode;
import dev.scalelab.core.ScalelabException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplacesWholeFilesCreatingFolders() throws IOException {
        Path target = dir.resolve("fits/law.json");
        AtomicFiles.writeString(target, "first");
        AtomicFiles.writeString(target, "second");
        assertThat(Files.readString(target)).isEqualTo("second");
        assertThat(names()).containsExactly("fits");
    }

    @Test
    void aWriterThatFailsMidwayLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("runs.csv");
        AtomicFiles.writeString(target, "complete\n");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half a resu".getBytes());
            throw new IOException("No space left on device");
        })).isInstanceOf(ScalelabException.class)
                .hasMessageContaining("cannot write " + target + ": the disk is full; earlier results are unchanged");
        assertThat(Files.readString(target)).isEqualTo("complete\n");
        assertThat(names()).containsExactly("runs.csv");
    }

    @Test
    void aReadOnlyFolderGivesExitThreeAndKeepsEarlierResults() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path out = Files.createDirectory(dir.resolve("out"));
        Path target = out.resolve("result.json");
        AtomicFiles.writeString(target, "{}");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // root ignores permission bits; only assert the refusal where the OS enforces it
            assumeTrue(!Files.isWritable(out), "running as a user who can write anywhere");
            assertThatThrownBy(() -> AtomicFiles.writeString(target, "{\"new\":1}"))
                    .isInstanceOf(ScalelabException.class)
                    .satisfies(e -> assertThat(((ScalelabException) e).exitCode()).isEqualTo(ExitCode.INVALID_INPUT))
                    .hasMessageContaining("permission denied");
            assertThat(Files.readString(target)).isEqualTo("{}");
        } finally {
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /**
     * A write that cannot land, whoever runs it (root included, unlike the read-only folder above): the
     * target's name is taken by a folder, so the rename over it fails after the whole new content was
     * written to the temporary file. Exit 3 names the file; the earlier results beside it and in that
     * folder are unchanged, and the temporary file is gone.
     */
    @Test
    void aWriteWhoseRenameFailsKeepsEarlierResultsAndLeavesNoTemporary() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        AtomicFiles.writeString(out.resolve("runs.csv"), "complete\n");
        Path target = out.resolve("result.json");
        Files.createDirectory(target);
        Files.writeString(target.resolve("kept.txt"), "inside");
        assertThatThrownBy(() -> AtomicFiles.writeString(target, "{\"new\":1}"))
                .isInstanceOf(ScalelabException.class)
                .satisfies(e -> assertThat(((ScalelabException) e).exitCode()).isEqualTo(ExitCode.INVALID_INPUT))
                .hasMessageStartingWith("cannot write " + target + ": ")
                .hasMessageEndingWith("; earlier results are unchanged");
        assertThat(Files.readString(out.resolve("runs.csv"))).isEqualTo("complete\n");
        assertThat(Files.readString(target.resolve("kept.txt"))).isEqualTo("inside");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("result.json", "runs.csv");
        }
    }

    @Test
    void aFileWhereAFolderShouldBeIsReportedAsBadOutput() throws IOException {
        Files.writeString(dir.resolve("blocker"), "x");
        assertThatThrownBy(() -> AtomicFiles.writeString(dir.resolve("blocker/result.json"), "{}"))
                .isInstanceOf(ScalelabException.class)
                .hasMessageContaining("cannot write " + dir.resolve("blocker/result.json"));
    }

    @Test
    void jsonIsPrettyAndRoundTrips() throws IOException {
        record Point(String name, double lossNats, long tokens) {
        }
        Path target = dir.resolve("p.json");
        Json.write(target, new Point("a", 2.5, 7));
        String text = Files.readString(target);
        assertThat(text).contains("\"lossNats\" : 2.5").endsWith("}\n");
        assertThat(Json.mapper().readValue(text, Point.class)).isEqualTo(new Point("a", 2.5, 7));
        assertThatThrownBy(() -> Json.mapper().readValue("{\"name\":\"a\",\"lossNats\":1,\"tokens\":1,\"typo\":2}", Point.class))
                .hasMessageContaining("typo");
        assertThat(Json.toText(Map.of("x", Double.NaN))).contains("\"NaN\"");
    }
}
