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

    @Test
    void aLawIsDrawnOverItsTableAndGroupsAreDrawnTogether() throws Exception {
        Path table = dir.resolve("curves.csv");
        StringBuilder t = new StringBuilder("run,seen_examples,loss\n");
        for (String run : new String[] {"curve-one", "curve-two", "curve-short"}) {
            int points = run.equals("curve-short") ? 2 : 10;
            for (int i = 0; i < points; i++) {
                double x = 1e4 * Math.pow(2, i);
                double e = run.equals("curve-one") ? 0.5 : 0.8;
                t.append(run).append(',').append(x).append(',').append(e + 30 * Math.pow(x, -0.4)).append('\n');
            }
        }
        Files.writeString(table, t);
        Path cards = dir.resolve("cards");
        Cli.Result fit = Cli.run("fit", table.toString(), "--law", "saturating", "--x", "seen_examples", "--group-by",
                "run", "--bootstrap", "20", "--out", cards.toString());
        assertThat(fit.code()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("skipped").contains("curve-short");
        Path svg = dir.resolve("groups.svg");
        Cli.Result plot = Cli.run("plot", "law", table.toString(), "--fit", cards.toString(), "--group-by", "run",
                "--out", svg.toString());
        assertThat(plot.code()).as(plot.err()).isZero();
        assertThat(Files.readString(svg)).startsWith("<?xml").contains("</svg>"); // LawChartsTest checks what is drawn
        Cli.Result single = Cli.run("plot", "law", table.toString(), "--fit", cards.resolve("curve-one.json").toString(),
                "--out", dir.resolve("one.png").toString());
        assertThat(single.code()).as(single.err()).isZero();
        assertThat(Files.size(dir.resolve("one.png"))).isGreaterThan(1_000);
        Cli.Result noFit = Cli.run("plot", "law", table.toString(), "--out", dir.resolve("x.png").toString());
        assertThat(noFit.code()).isEqualTo(3);
        assertThat(noFit.err()).contains("--fit");
        Cli.Result elsewhere = Cli.run("plot", "params", table.toString(), "--group-by", "run", "--out",
                dir.resolve("y.png").toString());
        assertThat(elsewhere.code()).isEqualTo(3);
        assertThat(elsewhere.err()).contains("only 'plot law' draws groups");
    }
}
