package dev.scalelab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PlotCommandTest {
    @TempDir
    Path dir;

    private Cli.Result heatmap(String name, String table) throws Exception {
        Path csv = Files.createDirectories(dir.resolve(name)).resolve("phase.csv");   // the file name is the title
        Files.writeString(csv, table);
        return Cli.run("plot", "heatmap", csv.toString(), "--x", "train_fraction", "--y", "weight_decay", "--class",
                "phase", "--out", dir.resolve(name).resolve("phase.png").toString());
    }

    @Test
    void aHeatmapReadsItsColumnsByNameWhateverTheirOrderAndQuoting() throws Exception {
        Cli.Result a = heatmap("a", "train_fraction,weight_decay,phase,steps_run\n0.3,0,memorisation,60\n"
                + "0.5,1,\"grokking, late\",60\n");
        assertThat(a.code()).as(a.err()).isZero();
        Cli.Result b = heatmap("b", "\uFEFFphase,steps_run,weight_decay,train_fraction\r\nmemorisation,60,0,0.3\r\n"
                + "\"grokking, late\",60,1,0.5\r\n");
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(Files.size(dir.resolve("a/phase.png"))).isGreaterThan(1_000);
        assertThat(Files.readAllBytes(dir.resolve("b/phase.png"))).isEqualTo(Files.readAllBytes(dir.resolve("a/phase.png")));
    }

    @Test
    void aHeatmapTableWithAMissingColumnOrAShortRowIsExitThreeNamingIt() throws Exception {
        Cli.Result missing = heatmap("m", "train_fraction,decay,phase\n0.3,0,memorisation\n");
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).contains("phase.csv line 1, field \"weight_decay\": missing column").hasLineCount(1);
        Cli.Result cut = heatmap("s", "train_fraction,weight_decay,phase\n0.3,0,memorisation\n0.5,1\n");
        assertThat(cut.code()).isEqualTo(3);
        assertThat(cut.err()).contains("phase.csv line 3, field \"phase\": the row has 2 of the header's 3 fields")
                .hasLineCount(1);
        Cli.Result text = heatmap("t", "train_fraction,weight_decay,phase\nhalf,0,memorisation\n");
        assertThat(text.code()).isEqualTo(3);
        assertThat(text.err()).contains("phase.csv line 2, field \"train_fraction\": \"half\" is not a number");
    }

    @Test
    void dynamicsReadsARunFoldersMetricsByName() throws Exception {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        String header = "step,tokens,flops_6N,flops_6N+attention,flops_chinchilla,train_loss,val_loss,lr,grad_norm,"
                + "tokens_per_second,wall_seconds\n";
        Files.writeString(run.resolve("metrics.csv"), header + "0,0,0.0,0.0,0.0,5.6,5.5,0.0,0.0,0.0,0.000\n"
                + "5,320,1.0E9,1.1E9,1.2E9,4.0,4.2,0.003,0.5,1000.0,1.000\n"
                + "10,640,2.0E9,2.2E9,2.4E9,3.0,3.4,0.003,0.5,1000.0,2.000\n");
        Path png = dir.resolve("dynamics.png");
        Cli.Result ok = Cli.run("plot", "dynamics", run.toString(), "--out", png.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(Files.size(png)).isGreaterThan(1_000);

        Files.writeString(run.resolve("metrics.csv"), header + "0,0,0.0,0.0,0.0,5.6,5.5,0.0,0.0,0.0,0.000\n"
                + "5,320,1.0E9,1.1E9,1.2E9,4.0,lost,0.003,0.5,1000.0,1.000\n");
        Cli.Result bad = Cli.run("plot", "dynamics", run.toString(), "--out", png.toString());
        assertThat(bad.code()).isEqualTo(3);
        assertThat(bad.err()).contains(run.resolve("metrics.csv") + " line 3, field \"val_loss\": \"lost\" is not a number")
                .contains("give a run folder or its metrics.csv").hasLineCount(1);
    }
}
