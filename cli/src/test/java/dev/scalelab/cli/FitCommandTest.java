package dev.scalelab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalelab.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** scalelab fit and predict on CSVs a user brings. */
class FitCommandTest {
    @TempDir
    Path dir;

    private static Cli.Result run(String... args) {
        return Cli.run(args);
    }

    /** An IsoFLOP table from L = 1.69 + 406.4/N^0.34 + 410.7/D^0.28 with 1% noise, tokens derived (C = 6ND). */
    private Path table() throws Exception {
        StringBuilder csv = new StringBuilder("N,C,L,note\n");
        Random rng = new Random(1);
        double g = Math.pow(0.34 * 406.4 / (0.28 * 410.7), 1 / 0.62);
        for (int i = 0; i < 6; i++) {
            double c = Math.pow(10, 18 + 0.6 * i);
            double centre = g * Math.pow(c / 6, 0.28 / 0.62);
            for (int j = 0; j < 12; j++) {
                double n = centre * Math.pow(20, j / 11.0 - 0.5);
                double d = c / (6 * n);
                double l = (1.69 + 406.4 / Math.pow(n, 0.34) + 410.7 / Math.pow(d, 0.28)) * Math.exp(0.01 * rng.nextGaussian());
                csv.append(String.format(Locale.ROOT, "%.17g,%.17g,%.17g,run %d\n", n, c, l, j));
            }
        }
        Path file = dir.resolve("isoflop.csv");
        Files.writeString(file, csv.toString());
        return file;
    }

    /**
     * fit on a 6N+attention sweep's runs.csv (or its folder) allocates with the sweep's own count, read
     * from plan.json: the card records it, and predict's N* and D* spend the budget as the sweep counts
     * it. --flops-per-param-token, given, overrides it. (fit used C = 6·N·D for every table.)
     */
    @Test
    void aSweepsRunsAreFittedWithTheSweepsFlopCount() throws Exception {
        Path sweep = Files.createDirectories(dir.resolve("sweep"));
        Cli.Result plan = run("plan", SweepCommandTest.config("attention-isoflop.yaml").toString(), "--no-calibrate",
                "--format", "json");
        assertThat(plan.code()).as(plan.err()).isZero();
        Files.writeString(sweep.resolve("plan.json"), plan.out());
        StringBuilder csv = new StringBuilder("run,budget,params,tokens,flops,loss\n");
        for (JsonNode r : Json.mapper().readTree(plan.out()).path("runs")) {
            double n = r.path("params").asDouble();
            JsonNode spec = r.path("spec");
            double d = spec.path("steps").asDouble() * spec.path("batch").asDouble() * spec.path("shape").path("context").asDouble();
            double l = 1.69 + 406.4 / Math.pow(n, 0.34) + 410.7 / Math.pow(d, 0.28);
            csv.append(String.format(Locale.ROOT, "%s,%.17g,%.17g,%.17g,%.17g,%.17g\n", r.path("runId").asText(),
                    r.path("budget").asDouble(), n, d, r.path("flops").asDouble(), l));
        }
        Files.writeString(sweep.resolve("runs.csv"), csv.toString());
        for (String input : new String[] {sweep.resolve("runs.csv").toString(), sweep.toString()}) {
            Path card = dir.resolve("card.json");
            Cli.Result fit = run("fit", input, "--law", "chinchilla", "--bootstrap", "0", "--out", card.toString());
            assertThat(fit.code()).as(fit.err()).isZero();
            JsonNode flops = Json.mapper().readTree(card.toFile()).path("flops");
            assertThat(flops.path("convention").asText()).isEqualTo("6N+attention");
            assertThat(flops.path("family").path("layers").asInt()).isEqualTo(2);
            Cli.Result predict = run("predict", card.toString(), "--flops", "1e14", "--format", "json");
            assertThat(predict.code()).as(predict.err()).isZero();
            JsonNode out = Json.mapper().readTree(predict.out()).get(0).path("outputs");
            double n = out.path("params").path("value").asDouble();
            double d = out.path("tokens").path("value").asDouble();
            // a 2-layer member of n parameters has width w: n = 2(12w² + 13w) + 2w; C = (6n + 6·2·128·w)·D
            double w = (-28 + Math.sqrt(28 * 28 + 4 * 24 * n)) / (2 * 24);
            assertThat(d * (6 * n + 6.0 * 2 * 128 * w)).isCloseTo(1e14, within(1e14 * 1e-6));
        }
        Path card = dir.resolve("k6.json");
        Cli.Result sixN = run("fit", sweep.resolve("runs.csv").toString(), "--law", "chinchilla", "--bootstrap", "0",
                "--flops-per-param-token", "6", "--out", card.toString());
        assertThat(sixN.code()).as(sixN.err()).isZero();
        assertThat(Json.mapper().readTree(card.toFile()).path("flops").path("convention").asText()).isEqualTo("6N");
    }

    /**
     * Every law's card, as fit writes it, reads back: predict answers for it, and each chart kind either
     * draws it or refuses it with exit 3 (never an internal error).
     */
    @Test
    void everyLawsCardReadsBackIntoPredictAndPlot() throws Exception {
        Path table = table();
        String[][] laws = {{"chinchilla", "params"}, {"kaplan", "params"}, {"isoflop", "params"}, {"power", "params"},
                {"power", "flops"}, {"saturating", "tokens"}, {"broken", "params"}};
        for (String[] law : laws) {
            Path card = dir.resolve(law[0] + "-" + law[1] + ".json");
            Cli.Result fit = run("fit", table.toString(), "--law", law[0], "--x", law[1], "--bootstrap", "5",
                    "--out", card.toString());
            assertThat(fit.code()).as(law[0] + ": " + fit.err()).isZero();
            boolean allocates = law[0].equals("isoflop");
            boolean ofFlops = law[1].equals("flops");
            Cli.Result predict = allocates || ofFlops ? run("predict", card.toString(), "--flops", "1e21")
                    : run("predict", card.toString(), "--params", "1e9", "--tokens", "2e10");
            assertThat(predict.code()).as(law[0] + " predict: " + predict.err()).isZero();
            assertThat(predict.out()).as(law[0]).contains("->");
            boolean chinchilla = law[0].equals("chinchilla");
            // which chart kinds draw which card: compute needs a chinchilla card or a law of flops; isoflop
            // an isoflop card; allocation a card that allocates compute; residuals a card that predicts a
            // model's loss (anything but isoflop and laws of flops)
            java.util.Map<String, Boolean> draws = java.util.Map.of("compute", chinchilla || ofFlops, "isoflop", allocates,
                    "allocation", chinchilla || allocates, "residuals", !allocates && !ofFlops);
            for (String kind : new String[] {"compute", "isoflop", "allocation", "residuals"}) {
                Path png = dir.resolve(law[0] + "-" + law[1] + "-" + kind + ".png");
                Cli.Result plot = kind.equals("allocation")
                        ? run("plot", kind, card.toString(), "--out", png.toString())
                        : run("plot", kind, table.toString(), "--fit", card.toString(), "--out", png.toString());
                String what = law[0] + " " + law[1] + " plot " + kind + ": " + plot.err();
                if (draws.get(kind)) {
                    assertThat(plot.code()).as(what).isZero();
                    assertThat(png).isRegularFile();
                } else {
                    assertThat(plot.code()).as(what).isEqualTo(3);
                    assertThat(plot.err()).as(kind).startsWith("scalelab: error: " + card)
                            .contains("a " + law[0] + " card cannot").hasLineCount(1);
                    assertThat(png).doesNotExist();
                }
            }
        }
    }

    @Test
    void fitsTheChinchillaSurfaceWritesACardAndPredictsFromIt() throws Exception {
        Path card = dir.resolve("fits/chinchilla.json");
        Cli.Result fit = run("fit", table().toString(), "--bootstrap", "200", "--out", card.toString(), "--format", "json");
        assertThat(fit.code()).as(fit.err()).isZero();
        JsonNode c = Json.mapper().readTree(Files.readString(card));
        assertThat(Json.mapper().readTree(fit.out())).isEqualTo(c);
        assertThat(c.path("law").asText()).isEqualTo("chinchilla");
        assertThat(c.path("status").asText()).isEqualTo("CONVERGED");
        assertThat(c.path("points").asInt()).isEqualTo(72);
        assertThat(c.path("starts").path("count").asInt()).isEqualTo(4500);
        assertThat(c.path("flops").path("convention").asText()).isEqualTo("6N");
        assertThat(c.path("flops").path("flopsPerParamToken").asDouble()).isEqualTo(6.0);
        assertThat(c.path("dataHash").asText()).hasSize(64);
        JsonNode alpha = c.path("parameters").path("alpha");
        assertThat(alpha.path("value").asDouble()).isCloseTo(0.34, within(0.05));
        assertThat(alpha.path("lo").asDouble()).isLessThan(alpha.path("value").asDouble());
        assertThat(alpha.path("hi").asDouble()).isGreaterThan(alpha.path("value").asDouble());
        assertThat(c.path("parameters").path("a").path("value").asDouble()).isCloseTo(0.4516, within(0.03));
        assertThat(c.path("command").asText()).startsWith("scalelab fit ");

        Cli.Result predict = run("predict", card.toString(), "--flops", "1e22", "--params", "1e9", "--tokens", "2e10",
                "--format", "json");
        assertThat(predict.code()).as(predict.err()).isZero();
        JsonNode p = Json.mapper().readTree(predict.out());
        JsonNode atBudget = p.get(0).path("outputs");
        double n = atBudget.path("params").path("value").asDouble();
        double d = atBudget.path("tokens").path("value").asDouble();
        assertThat(6 * n * d).isCloseTo(1e22, within(1e22 * 1e-9));
        assertThat(atBudget.path("params").path("lo").asDouble()).isLessThan(n);
        double loss = p.get(1).path("outputs").path("loss").path("value").asDouble();
        assertThat(loss).isCloseTo(1.69 + 406.4 / Math.pow(1e9, 0.34) + 410.7 / Math.pow(2e10, 0.28), within(0.05));
        // a card of version 3 keeps one log residual per row used, and the fitted parameter count
        assertThat(c.path("cardVersion").asInt()).isEqualTo(3);
        assertThat(c.path("residuals").path("log")).hasSize(72);
        assertThat(c.path("residuals").path("parameters").asInt()).isEqualTo(5);
        // a loss has both intervals, named, at the card's level; lo and hi stay the confidence interval; an
        // allocation has no prediction interval; no field is null
        for (JsonNode prediction : p) {
            JsonNode l = prediction.path("outputs").path("loss");
            assertThat(l.path("confidence").get(0).asDouble()).isEqualTo(l.path("lo").asDouble());
            assertThat(l.path("confidence").get(1).asDouble()).isEqualTo(l.path("hi").asDouble());
            assertThat(l.path("level").asDouble()).isEqualTo(0.95);
            assertThat(l.path("prediction").get(0).asDouble()).isLessThan(l.path("lo").asDouble());
            assertThat(l.path("prediction").get(1).asDouble()).isGreaterThan(l.path("hi").asDouble());
        }
        assertThat(atBudget.path("params").has("prediction")).isFalse();
        assertThat(predict.out()).doesNotContain("null");
        Cli.Result text = run("predict", card.toString(), "--flops", "1e22");
        assertThat(text.out()).contains("(95% confidence [").contains(", prediction [");
    }

    @Test
    void fitsIsoflopAndOneVariableLawsWithFiltersAndFixedParameters() throws Exception {
        Cli.Result iso = run("fit", table().toString(), "--bootstrap", "0", "--law", "isoflop", "--isoflop-window", "0", "--format", "json");
        assertThat(iso.code()).as(iso.err()).isZero();
        JsonNode c = Json.mapper().readTree(iso.out());
        assertThat(c.path("parameters").path("a").path("value").asDouble()).isCloseTo(0.4516, within(0.03));
        assertThat(c.path("isoflop").path("vertices")).hasSize(6);

        Cli.Result sat = run("fit", table().toString(), "--bootstrap", "0", "--law", "saturating", "--x", "flops", "--where", "L<3",
                "--fix", "E=1.69", "--format", "json");
        assertThat(sat.code()).as(sat.err()).isZero();
        JsonNode s = Json.mapper().readTree(sat.out());
        assertThat(s.path("variable").asText()).isEqualTo("flops");
        assertThat(s.path("parameters").path("E").path("value").asDouble()).isEqualTo(1.69);
        assertThat(s.path("excluded").size()).isPositive();
        assertThat(s.path("excluded").get(0).path("reason").asText()).isEqualTo("filtered out by --where 'L<3'");

        Cli.Result text = run("fit", table().toString(), "--bootstrap", "0", "--law", "power", "--x", "params");
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("law        power in params", "formula    L = ").doesNotContain("bootstrap  ");
        // with resamples, how many refits failed is printed (a power law's closed form never fails one)
        Cli.Result boot = run("fit", table().toString(), "--bootstrap", "7", "--seed", "3", "--law", "power", "--x", "params");
        assertThat(boot.code()).as(boot.err()).isZero();
        assertThat(boot.out()).contains("bootstrap  7 resamples (seed 3), 0 refits failed and are left out of the intervals");
    }

    @Test
    void backtestsOnTheLargestBudgetAndFitsTheEnvelopeOfTrainingCurves() throws Exception {
        Cli.Result bt = run("fit", table().toString(), "--bootstrap", "0", "--backtest-largest", "1", "--format", "json");
        assertThat(bt.code()).as(bt.err()).isZero();
        JsonNode b = Json.mapper().readTree(bt.out()).path("backtest");
        assertThat(b.path("split").asText()).isEqualTo("largest-budget held out");
        assertThat(b.path("cases")).hasSize(12);
        assertThat(Json.mapper().readTree(bt.out()).path("points").asInt()).isEqualTo(60);
        assertThat(b.path("meanAbsRelativeError").asDouble()).isLessThan(0.03);
        Cli.Result iso = run("fit", table().toString(), "--bootstrap", "0", "--law", "isoflop", "--backtest-largest", "1");
        assertThat(iso.code()).isEqualTo(3);
        assertThat(iso.err()).contains("an isoflop fit predicts allocations", "scalelab backtest");

        StringBuilder csv = new StringBuilder("run,params,tokens,loss\n");
        for (int j = 0; j < 12; j++) {
            double n = 1e7 * Math.pow(1e4, j / 11.0);
            for (int k = 0; k < 30; k++) {
                double d = n * Math.pow(400, (k + 1) / 30.0) / 10;
                double l = 1.69 + 406.4 / Math.pow(n, 0.34) + 410.7 / Math.pow(d, 0.28);
                csv.append(String.format(Locale.ROOT, "r%d,%.17g,%.17g,%.17g\n", j, n, d, l));
            }
        }
        Path curves = dir.resolve("curves.csv");
        Files.writeString(curves, csv.toString());
        Cli.Result env = run("fit", curves.toString(), "--law", "envelope", "--bootstrap", "50", "--format", "json");
        assertThat(env.code()).as(env.err()).isZero();
        JsonNode e = Json.mapper().readTree(env.out());
        assertThat(e.path("parameters").path("a").path("value").asDouble()).isCloseTo(0.4516, within(0.05));
        assertThat(e.path("envelope").size()).isEqualTo(250);
        Cli.Result noRun = run("fit", table().toString(), "--bootstrap", "0", "--law", "envelope");
        assertThat(noRun.code()).isEqualTo(3);
        assertThat(noRun.err()).contains("approach 1 needs a run column");
    }

    @Test
    void tooFewPointsIsExitFourAndBadInputExitThree() throws Exception {
        Path small = dir.resolve("small.csv");
        Files.writeString(small, "params,tokens,loss\n1e6,1e9,3.0\n2e6,1e9,2.9\n4e6,1e9,2.8\n");
        Cli.Result few = run("fit", small.toString(), "--bootstrap", "0");
        assertThat(few.code()).isEqualTo(4);
        assertThat(few.err()).isEqualTo("scalelab: error: " + small + ": 3 points cannot determine 5 free parameters of "
                + "the chinchilla law; add runs or fix parameters with --fix\n");

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "params,tokens,loss\n1e6,1e9,3.0\n2e6,1e9,-2.9\n");
        Cli.Result negative = run("fit", bad.toString(), "--bootstrap", "0");
        assertThat(negative.code()).isEqualTo(3);
        assertThat(negative.err()).isEqualTo("scalelab: error: " + bad + " line 3, field \"loss\": -2.9 is not positive; "
                + "loss must be greater than zero\n");

        Cli.Result filter = run("fit", table().toString(), "--bootstrap", "0", "--where", "nosuch>3");
        assertThat(filter.code()).isEqualTo(3);
        assertThat(filter.err()).contains("the --where filter 'nosuch>3' names no column").hasLineCount(1);

        Cli.Result fix = run("fit", table().toString(), "--bootstrap", "0", "--law", "isoflop", "--fix", "E=1");
        assertThat(fix.code()).isEqualTo(3);
        assertThat(fix.err()).contains("the isoflop law has no fixable parameter 'E'");

        Path card = dir.resolve("card.json");
        Files.writeString(card, "{\"cardVersion\": 1, \"law\": \"chin");
        Cli.Result truncated = run("predict", card.toString(), "--flops", "1e20");
        assertThat(truncated.code()).isEqualTo(3);
        assertThat(truncated.err()).startsWith("scalelab: error: " + card).contains("not a valid fit card").hasLineCount(1);
    }

    @Test
    void dataConstrainedFitsRepeatedDataAndPredictsWithTheUniqueTokens() throws Exception {
        // a study of repeated data from a known law (Muennighoff et al. 2023's form), 0.05% log-normal noise
        dev.scalelab.fitting.law.DataConstrainedLaw truth = new dev.scalelab.fitting.law.DataConstrainedLaw(1.8, 400,
                1200, 0.34, 0.30, 8, 3);
        StringBuilder csv = new StringBuilder("params,tokens,loss,epochs\n");
        Random rng = new Random(3);
        for (double u : new double[] {3e8, 1e9, 3e9}) {
            for (double scale : new double[] {0.1, 1, 10}) {
                for (double epochs : new double[] {1, 4, 16, 64}) {
                    double n = truth.paramsForTokens(u) * scale;
                    double loss = truth.loss(n, u * epochs, u) * Math.exp(0.0005 * rng.nextGaussian());
                    csv.append(String.format(Locale.ROOT, "%.6g,%.6g,%.8f,%s%n", n, u * epochs, loss, epochs));
                }
            }
        }
        Path table = dir.resolve("repeats.csv");
        Files.writeString(table, csv);
        Path card = dir.resolve("dc.json");
        Cli.Result fit = run("fit", table.toString(), "--law", "data-constrained", "--bootstrap", "0", "--out",
                card.toString());
        assertThat(fit.code()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("R_D_star", "R_N_star");
        // a model four times past the largest unique set's optimum, on 100 epochs of it: held out of the table
        double n = 4 * truth.paramsForTokens(3e9);
        Cli.Result p = run("predict", card.toString(), "--params", String.valueOf(n), "--tokens", "3e11",
                "--unique-tokens", "3e9", "--format", "json");
        assertThat(p.code()).as(p.err()).isZero();
        double predicted = Json.mapper().readTree(p.out()).get(0).at("/outputs/loss/value").asDouble();
        assertThat(predicted / truth.loss(n, 3e11, 3e9) - 1).isCloseTo(0, within(0.005));
        // without the unique tokens the card cannot say: one line naming the option
        Cli.Result missing = run("predict", card.toString(), "--params", "1e9", "--tokens", "3e11");
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("--unique-tokens");
    }

    @Test
    void columnsCanBeChosenByNameAndTheFitSaysWhichItRead() throws Exception {
        Path table = dir.resolve("export.csv");
        StringBuilder csv = new StringBuilder("run,model_size,seen,final_loss,loss\n");
        for (int i = 0; i < 12; i++) {
            double d = 1e6 * Math.pow(2, i);
            csv.append(String.format(Locale.ROOT, "r%d,1e8,%.6g,%.8f,9%n", i, d, 1.5 + 40 * Math.pow(d, -0.3)));
        }
        Files.writeString(table, csv);
        Cli.Result r = run("fit", table.toString(), "--law", "saturating", "--x", "tokens", "--params-col", "model_size",
                "--tokens-col", "seen", "--loss-col", "final_loss", "--bootstrap", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("columns    params <- model_size, tokens <- seen, flops <- derived, loss <- final_loss");
        // the law recovered from the chosen loss column, not from the constant 'loss' column beside it
        assertThat(r.out()).containsPattern("alpha +0\\.30");
        Cli.Result both = run("fit", table.toString(), "--params-col", "model_size", "--param-count", "total");
        assertThat(both.code()).isEqualTo(3);
        assertThat(both.err()).contains("--params-col");
    }

    @Test
    void groupByFitsOneCardPerGroupAndListsTheGroupsItCannotFit() throws Exception {
        Path table = dir.resolve("families.csv");
        StringBuilder csv = new StringBuilder("source,tokens,loss,params\n");
        double[][] laws = {{1.5, 40, 0.30}, {2.0, 25, 0.25}}; // E, A, alpha of L = E + A·D^-alpha per source
        String[] sources = {"epoch ai", "marin"};
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < 10; i++) {
                double d = 1e6 * Math.pow(2, i);
                csv.append(String.format(Locale.ROOT, "%s,%.6g,%.8f,1e8%n", sources[s], d,
                        laws[s][0] + laws[s][1] * Math.pow(d, -laws[s][2])));
            }
        }
        csv.append("tiny,1e6,3.0,1e8\ntiny,2e6,2.9,1e8\n");
        Files.writeString(table, csv);
        Path cards = dir.resolve("cards");
        Cli.Result r = run("fit", table.toString(), "--law", "saturating", "--x", "tokens", "--group-by", "source",
                "--bootstrap", "0", "--out", cards.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).isEqualTo("source\tpoints\tstatus\tE\tA\talpha");
        assertThat(lines[1]).startsWith("epoch ai\t10\tCONVERGED\t1.50000\t40.0000\t0.300000");
        assertThat(lines[2]).startsWith("marin\t10\tCONVERGED\t2.00000\t25.0000\t0.250000");
        assertThat(lines[3]).startsWith("tiny\t-\tskipped: ");
        assertThat(cards.resolve("epoch_ai.json")).exists();
        assertThat(cards.resolve("marin.json")).exists();
        assertThat(cards.resolve("tiny.json")).doesNotExist();
        JsonNode json = Json.mapper().readTree(run("fit", table.toString(), "--law", "saturating", "--x", "tokens",
                "--group-by", "source", "--bootstrap", "0", "--format", "json").out());
        assertThat(json.at("/groups/1/group/source").asText()).isEqualTo("marin");
        assertThat(json.at("/groups/1/card/parameters/alpha/value").asDouble()).isCloseTo(0.25, within(1e-6));
        assertThat(json.at("/groups/2/skipped").asText()).isNotEmpty();
        Cli.Result missing = run("fit", table.toString(), "--group-by", "family");
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).contains("family", "--group-by names no column");
    }
}
