package dev.scalelab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ReportCommandTest {
    @TempDir
    Path dir;

    @Test
    void reportsASweepAndPlotsItsCharts() throws Exception {
        Path out = dir.resolve("sweep");
        Cli.Result sweep = Cli.run("sweep", SweepCommandTest.config("tiny.yaml").toString(), "--out", out.toString(),
                "--jobs", "1", "--no-calibrate");
        assertThat(sweep.code()).as(sweep.err()).isZero();
        Cli.Result report = Cli.run("report", out.toString(), "--bootstrap", "10");
        assertThat(report.code()).as(report.err()).isZero();
        Path index = out.resolve("report/index.html");
        String html = Files.readString(index);
        assertThat(html).contains("Scaling study: tiny", "Warnings", "scalelab sweep ");
        // a sweep this small allows no fit: the report says so instead of failing
        assertThat(html).contains("no usable fit");
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            assertThat(index.getParent().resolve(m.group(1)).normalize()).as(m.group(1)).exists();
        }
        assertThat(ImageIO.read(out.resolve("report/loss-vs-compute.png").toFile()).getWidth()).isEqualTo(1200);

        Cli.Result plot = Cli.run("plot", "params", out.toString(), "--out", dir.resolve("p.png").toString(),
                "--width", "640", "--height", "480");
        assertThat(plot.code()).as(plot.err()).isZero();
        assertThat(ImageIO.read(dir.resolve("p.png").toFile()).getHeight()).isEqualTo(480);
        Cli.Result bad = Cli.run("plot", "params", out.toString(), "--out", dir.resolve("p.gif").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("must end in .png or .svg");
        Cli.Result noCard = Cli.run("plot", "residuals", out.toString(), "--out", dir.resolve("r.png").toString());
        assertThat(noCard.code()).isEqualTo(3);
        assertThat(noCard.err()).contains("residuals need a fit card");
    }
}
