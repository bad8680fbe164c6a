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

class BacktestCommandTest {
    @TempDir
    Path dir;

    /** A small start grid around Hoffmann et al.'s surface, so the bootstrap's refits stay quick. */
    private static final String[] GRID = {"--grid-alpha", "0.3:0.4:0.1", "--grid-beta", "0.25:0.35:0.1", "--grid-e", "0.5:0.5:1",
            "--grid-a", "6:6:1", "--grid-b", "6:6:1", "--bootstrap", "40"};

    /** 5 budgets from 1e18, a factor 3 apart, 9 sizes each over a factor 16 around the optimum, 1% noise. */
    private Path table() throws Exception {
        StringBuilder csv = new StringBuilder("N,C,L,config_id\n");
        Random rng = new Random(3);
        double g = Math.pow(0.34 * 406.4 / (0.28 * 410.7), 1 / 0.62);
        for (int i = 0; i < 5; i++) {
            double c = 1e18 * Math.pow(3, i);
            double centre = g * Math.pow(c / 6, 0.28 / 0.62);
            for (int j = 0; j < 9; j++) {
                double n = centre * Math.pow(16, j / 8.0 - 0.5);
                double d = c / (6 * n);
                double l = (1.69 + 406.4 / Math.pow(n, 0.34) + 410.7 / Math.pow(d, 0.28)) * Math.exp(0.01 * rng.nextGaussian());
                csv.append(String.format(Locale.ROOT, "%.17g,%.17g,%.17g,%d\n", n, c, l, i % 2));
            }
        }
        Path file = dir.resolve("isoflop.csv");
        Files.writeString(file, csv.toString());
        return file;
    }

    private static String[] args(String... head) {
        String[] out = new String[head.length + GRID.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(GRID, 0, out, head.length, GRID.length);
        return out;
    }

    @Test
    void predictsTheHeldOutBudgetsAndSummarisesTheErrorAndCoverage() throws Exception {
        Path t = table();
        Path saved = dir.resolve("out/backtest.json");
        Cli.Result r = Cli.run(args("backtest", t.toString(), "--holdout", "largest-budget=2", "--format", "json",
                "--out", saved.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = Json.mapper().readTree(r.out());
        assertThat(Json.mapper().readTree(saved.toFile())).isEqualTo(j);
        assertThat(j.path("law").asText()).isEqualTo("chinchilla");
        assertThat(j.path("holdout").asText()).isEqualTo("largest-budget=2");
        JsonNode rows = j.path("rows");
        assertThat(rows).hasSize(18);
        int inside = 0;
        for (JsonNode row : rows) {
            assertThat(row.path("flops").asDouble()).isGreaterThanOrEqualTo(9e18 * (1 - 1e-12));
            double actual = row.path("actual").asDouble();
            double lo = row.path("prediction").get(0).asDouble();
            double hi = row.path("prediction").get(1).asDouble();
            assertThat(row.path("insidePrediction").asBoolean()).isEqualTo(actual >= lo && actual <= hi);
            inside += actual >= lo && actual <= hi ? 1 : 0;
            // the true surface, 3x and 9x beyond the fitted budgets: the law recovered it to about 1%
            double n = row.path("params").asDouble();
            double d = row.path("tokens").asDouble();
            double truth = 1.69 + 406.4 / Math.pow(n, 0.34) + 410.7 / Math.pow(d, 0.28);
            assertThat(row.path("predicted").asDouble()).isCloseTo(truth, within(0.02 * truth));
        }
        JsonNode s = j.path("summary");
        assertThat(s.path("n").asInt()).isEqualTo(18);
        assertThat(s.path("coverage").asDouble()).isEqualTo(inside / 18.0);
        // measured on this one table: ARE 1.51% (mean error -1.29%), log RMSE 0.0201, 13 of 18 inside prediction
        // intervals 4.9% wide (CoverageTest measures coverage over 1,000 studies; one table shows the mechanics)
        assertThat(s.path("meanAbsRelativeError").asDouble()).isLessThan(0.025);
        assertThat(s.path("coverage").asDouble()).isGreaterThan(0.5);
        assertThat(s.path("logRmse").asDouble()).isGreaterThan(0).isLessThan(0.03);

        Cli.Result text = Cli.run(args("backtest", t.toString(), "--holdout", "budget>=9e18"));
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("holdout budget>=9e+18", "prediction interval", "summary    n 27, ARE ",
                "coverage   prediction ");
    }

    @Test
    void rankSeveralLawsByHeldOutErrorAndFilterRowsFirst() throws Exception {
        Path t = table();
        Cli.Result r = Cli.run(args("backtest", t.toString(), "--law", "chinchilla,power,isoflop", "--x", "flops",
                "--holdout", "largest-budget", "--format", "json"));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = Json.mapper().readTree(r.out());
        assertThat(j.path("laws")).hasSize(3);
        assertThat(j.path("laws").get(2).path("rows").get(0).path("quantity").asText()).isEqualTo("params");
        // one loss per budget (a power law in compute) cannot follow the sizes of a budget: chinchilla ranks first
        assertThat(j.path("ranking").toString()).isEqualTo("[\"chinchilla\",\"power\"]");

        Cli.Result lobo = Cli.run(args("backtest", t.toString(), "--holdout", "leave-one-budget-out", "--where",
                "config_id=0", "--format", "json"));
        assertThat(lobo.code()).as(lobo.err()).isZero();
        JsonNode rows = Json.mapper().readTree(lobo.out()).path("rows");
        // config_id 0 keeps the 1st, 3rd and 5th budgets: 27 rows, each fitted from the other two
        assertThat(rows).hasSize(27);
        java.util.Set<String> folds = new java.util.HashSet<>();
        rows.forEach(row -> folds.add(row.path("fold").asText()));
        assertThat(folds).containsExactlyInAnyOrder("budget=1e+18", "budget=9e+18", "budget=8.1e+19");
    }

    @Test
    void badHoldoutsAreOneLineErrorsWithTheirExitCodes() throws Exception {
        Path t = table();
        Cli.Result unknown = Cli.run("backtest", t.toString(), "--holdout", "smallest");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown holdout 'smallest'", "leave-one-budget-out");
        Cli.Result nothing = Cli.run(args("backtest", t.toString(), "--holdout", "params>=1e30"));
        assertThat(nothing.code()).isEqualTo(3);
        assertThat(nothing.err()).contains("no rows are held out by params>=1e+30");
        Cli.Result few = Cli.run(args("backtest", t.toString(), "--holdout", "budget>=1e18"));
        assertThat(few.code()).isEqualTo(4);
        assertThat(few.err().strip()).doesNotContain("\n").contains("isoflop.csv", "keeps 0 rows, fewer than the 5 "
                + "parameters chinchilla fits");
        Cli.Result envelope = Cli.run("backtest", t.toString(), "--law", "envelope", "--holdout", "largest-budget");
        assertThat(envelope.code()).isEqualTo(3);
        assertThat(envelope.err()).contains("envelope fit predicts allocations");
        Cli.Result missing = Cli.run("backtest", t.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--holdout");
    }

    @Test
    void aTablesOwnSplitIsAHoldoutAndEachGroupIsBacktestedOnItsOwn() throws Exception {
        // two curves of L = E + A·D^-alpha, each with its last three points marked split=test
        StringBuilder csv = new StringBuilder("run,params,seen,loss,split\n");
        double[][] laws = {{1.5, 40, 0.30}, {2.0, 25, 0.25}};
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < 12; i++) {
                double d = 1e6 * Math.pow(2, i);
                csv.append(String.format(Locale.ROOT, "curve %d,1e8,%.6g,%.10f,%s%n", r, d,
                        laws[r][0] + laws[r][1] * Math.pow(d, -laws[r][2]), i >= 9 ? "test" : "train"));
            }
        }
        csv.append("short,1e8,1e6,3.0,train\nshort,1e8,2e6,2.9,test\n");
        Path table = dir.resolve("curves.csv");
        Files.writeString(table, csv);
        Cli.Result one = Cli.run("backtest", table.toString(), "--where", "run=curve 0", "--law", "saturating", "--x",
                "tokens", "--tokens-col", "seen", "--holdout", "split=test", "--bootstrap", "0", "--format", "json");
        assertThat(one.code()).as(one.err()).isZero();
        JsonNode result = Json.mapper().readTree(one.out());
        assertThat(result.get("holdout").asText()).isEqualTo("split=test");
        assertThat(result.at("/summary/n").asInt()).isEqualTo(3);
        // noiseless data of the law itself: the held-out points are predicted exactly
        assertThat(result.at("/summary/meanAbsRelativeError").asDouble()).isLessThan(1e-6);
        assertThat(result.at("/rows/0/tokens").asDouble()).isEqualTo(1e6 * Math.pow(2, 9));

        Cli.Result groups = Cli.run("backtest", table.toString(), "--law", "saturating,power", "--x", "tokens",
                "--tokens-col", "seen", "--holdout", "split=test", "--group-by", "run", "--bootstrap", "0");
        assertThat(groups.code()).as(groups.err()).isZero();
        String[] lines = groups.out().split("\n");
        assertThat(lines[0]).isEqualTo("run\tlaw\tn\tARE\tmean error\tlog RMSE\tprediction coverage\tprediction width");
        assertThat(lines[1]).startsWith("curve 0\tsaturating\t3\t0.0000");
        assertThat(lines[2]).startsWith("curve 0\tpower\t3\t");
        assertThat(lines[3]).startsWith("curve 1\tsaturating\t3\t0.0000");
        // a power law without the floor runs low on every held-out point of a saturating curve
        assertThat(Double.parseDouble(lines[2].split("\t")[4])).isNegative();
        assertThat(lines[5]).startsWith("short\tskipped: ");

        Cli.Result nothing = Cli.run("backtest", table.toString(), "--x", "tokens", "--law", "saturating",
                "--tokens-col", "seen", "--holdout", "split=validation");
        assertThat(nothing.code()).isEqualTo(3);
        assertThat(nothing.err().strip()).doesNotContain("\n").contains("'split=validation' holds out no row");
    }
}
