package dev.scalelab.sweep.plan;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.model.FlopConvention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Sweep configs turned into runs: the grid's layout, each run's spec, and one-line errors. */
class PlannerTest {
    @TempDir
    Path dir;

    private static final String ISOFLOP = """
            name: iso
            corpus: synthetic
            family:
              widths: [8, 16, 24, 32, 48, 64]
              layers: 1
              headSize: 8
              context: 16
            grid:
              kind: isoflop
              budgets: [2e8, 2e9]
              sizesPerBudget: 3
              spread: 6
              tokensPerParam: 20
            training:
              batch: 4
              evals: 2
            """;

    private Plan plan(String yaml) throws IOException {
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, yaml);
        return Planner.plan(ConfigLoader.load(file), 1, "test-build", Throughput.rough());
    }

    @Test
    void anIsoflopGridSpendsEachBudgetOnSizesAroundTheChinchillaOptimum() throws IOException {
        Plan plan = plan(ISOFLOP);
        assertThat(plan.name()).isEqualTo("iso");
        assertThat(plan.flopConvention()).isEqualTo(dev.scalelab.core.model.FlopConvention.SIX_N);
        Map<Double, List<PlannedRun>> byBudget = new TreeMap<>();
        for (PlannedRun r : plan.runs()) {
            byBudget.computeIfAbsent(r.budget(), b -> new java.util.ArrayList<>()).add(r);
        }
        assertThat(byBudget).containsOnlyKeys(2e8, 2e9);
        for (Map.Entry<Double, List<PlannedRun>> e : byBudget.entrySet()) {
            double c = e.getKey();
            List<PlannedRun> runs = e.getValue();
            assertThat(runs).hasSizeBetween(2, 3);
            assertThat(runs).extracting(PlannedRun::params).isSorted().doesNotHaveDuplicates();
            // D = C / (6N) rounded to whole steps of 4 × 16 tokens: within half a step's FLOPs of the budget
            for (PlannedRun r : runs) {
                double perToken = r.spec().shape().flopsPerToken(FlopConvention.fromId("6N"));
                assertThat(perToken).isEqualTo(6.0 * r.params());
                assertThat(r.flops()).isEqualTo(r.spec().tokens() * perToken);
                assertThat(Math.abs(r.flops() - c)).as(r.runId()).isLessThanOrEqualTo(0.5 * 4 * 16 * perToken);
                assertThat(r.spec().tokens()).isEqualTo(r.spec().steps() * 4 * 16);
            }
            // the sizes bracket N* = sqrt(C / (6 · 20)) (Hoffmann et al. 2022's 20 tokens per parameter)
            double optimum = Math.sqrt(c / 120);
            assertThat((double) runs.get(0).params()).isLessThan(optimum);
            assertThat((double) runs.get(runs.size() - 1).params()).isGreaterThan(optimum);
        }
    }

    @Test
    void eachSpecCarriesTheTrainingSettingsAndItsOwnContentHashAsId() throws IOException {
        Plan plan = plan(ISOFLOP);
        assertThat(new HashSet<>(plan.runs().stream().map(PlannedRun::runId).toList())).hasSameSizeAs(plan.runs());
        for (PlannedRun r : plan.runs()) {
            assertThat(r.runId()).isEqualTo(r.spec().runId()).matches("[0-9a-f]{12}");
            assertThat(r.spec().corpus()).isEqualTo("synthetic");
            assertThat(r.spec().batch()).isEqualTo(4);
            assertThat(r.spec().threads()).isEqualTo(1);
            assertThat(r.spec().classifier()).isEqualTo("test-build");
            assertThat(r.spec().shape().heads()).isEqualTo(r.spec().shape().dModel() / 8);
            // lr = 3e-3 · (128 / d)^0.5 by default: wider models take smaller steps
            assertThat(r.spec().optimizer().learningRate())
                    .isCloseTo(3e-3 * Math.sqrt(128.0 / r.spec().shape().dModel()), within(1e-15));
            assertThat(r.spec().evalInterval()).isEqualTo(Math.max(1, r.spec().steps() / 2));
            assertThat(r.estimatedSeconds()).isPositive();
        }
        // the same config plans the same runs
        assertThat(plan(ISOFLOP).runs()).extracting(PlannedRun::runId)
                .containsExactlyElementsOf(plan.runs().stream().map(PlannedRun::runId).toList());
    }

    @Test
    void aTokenGridIsEveryWidthAtEveryTokenCount() throws IOException {
        Plan plan = plan("""
                family:
                  widths: [16, 32]
                  layers: 2
                  context: 16
                grid:
                  kind: grid
                  tokens: [6.4e3, 1.28e4, 2.56e4]
                training:
                  batch: 4
                """);
        assertThat(plan.name()).isEqualTo("sweep"); // from the file name
        assertThat(plan.runs()).hasSize(6).allSatisfy(r -> assertThat(r.budget()).isNull());
        assertThat(plan.runs()).extracting(r -> r.spec().shape().dModel() + "@" + r.spec().tokens())
                .containsExactlyInAnyOrder("16@6400", "16@12800", "16@25600", "32@6400", "32@12800", "32@25600");
        assertThat(plan.runs()).allSatisfy(r -> assertThat(r.spec().shape().layers()).isEqualTo(2));
    }

    @Test
    void badConfigsAreOneLineNamingTheFileLineAndField() throws IOException {
        assertThatThrownBy(() -> plan(ISOFLOP.replace("[8, 16, 24, 32, 48, 64]", "[8, 12, 16]")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sweep.yaml line 4, field \"family.widths[1]\"")
                .hasMessageContaining("width 12 is not a positive multiple of the head size 8");
        assertThatThrownBy(() -> plan(ISOFLOP.replace("kind: isoflop", "kind: spiral")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("field \"grid.kind\"").hasMessageContaining("unknown grid kind 'spiral'");
        assertThatThrownBy(() -> plan(ISOFLOP.replace("budgets: [2e8, 2e9]", "budgets: [2e3]")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("grid.budgets[0]").hasMessageContaining("too small for any size");
        assertThatThrownBy(() -> plan("grid:\n  kind: grid\n  tokens: [1e4]\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("field \"family\"");
    }

    @Test
    void replicatesTrainEachBudgetsMiddleSizeWithMoreSeedsOnTheSameValidationSample() throws IOException {
        Plan base = plan(ISOFLOP);
        Plan plan = plan(ISOFLOP.replace("  tokensPerParam: 20\n", "  tokensPerParam: 20\n  replicates: 3\n")
                .replace("  evals: 2\n", "  evals: 2\n  seed: 5\n  evalSeed: 9\n"));
        assertThat(plan.runs()).hasSize(base.runs().size() + 2 * 2);
        for (double budget : new double[] {2e8, 2e9}) {
            List<PlannedRun> runs = plan.runs().stream().filter(r -> r.budget() == budget).toList();
            Map<Long, List<Long>> seedsByParams = new TreeMap<>();
            for (PlannedRun r : runs) {
                seedsByParams.computeIfAbsent(r.params(), k -> new java.util.ArrayList<>()).add(r.spec().seed());
                assertThat(r.spec().evalSeed()).isEqualTo(9);
            }
            // one size (nearest the predicted optimum) has seeds 5, 6, 7; the others only 5
            assertThat(seedsByParams.values()).filteredOn(seeds -> seeds.size() == 3).hasSize(1)
                    .allSatisfy(seeds -> assertThat(seeds).containsExactly(5L, 6L, 7L));
            assertThat(seedsByParams.values()).filteredOn(seeds -> seeds.size() == 1).hasSize(seedsByParams.size() - 1)
                    .allSatisfy(seeds -> assertThat(seeds).containsExactly(5L));
            List<PlannedRun> replicated = runs.stream().filter(r -> seedsByParams.get(r.params()).size() == 3).toList();
            assertThat(replicated.stream().map(r -> r.spec().tokens()).distinct()).hasSize(1);
            assertThat(replicated.stream().map(PlannedRun::runId).distinct()).hasSize(3);
        }
        assertThatThrownBy(() -> plan(ISOFLOP.replace("  tokensPerParam: 20\n", "  tokensPerParam: 20\n  replicates: 0\n")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("grid.replicates")
                .hasMessageContaining("0 is below 1");
    }

    @Test
    void aListEntryWithNoValueIsAnErrorNamingItsIndex() {
        assertThatThrownBy(() -> plan(ISOFLOP.replace("budgets: [2e8, 2e9]", "budgets: [&2e8, 2e9]")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("grid.budgets[0]")
                .hasMessageContaining("has no value");
        assertThatThrownBy(() -> plan(ISOFLOP.replace("widths: [8, 16, 24, 32, 48, 64]", "widths: [8, ~, 24]")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("family.widths[1]");
    }

    @Test
    void aFittedLearningRateLawSetsEachRunsLearningRateInPlaceOfTheWidthRule() throws IOException {
        // a card as 'scalelab fit --law lr --out' writes it: lr = 0.5·N^-0.3·D^0.05 over non-embedding N
        Files.createDirectories(dir.resolve("fits"));
        Files.writeString(dir.resolve("fits/lr.json"), """
                {"cardVersion": 3, "law": "lr", "formula": "f", "parameters": {"a": {"value": 0.5},
                 "alpha": {"value": -0.3}, "beta": {"value": 0.05}}, "status": "CONVERGED", "points": 9,
                 "excluded": [], "dataHash": "", "flops": {"convention": "6N", "flopsPerParamToken": 6.0},
                 "version": "v", "command": "c"}
                """);
        Plan plan = plan(ISOFLOP.replace("  batch: 4\n", "  batch: 4\n  lr: law fits/lr.json\n"));
        assertThat(plan.runs()).isNotEmpty();
        for (PlannedRun r : plan.runs()) {
            double expected = 0.5 * Math.pow(r.spec().shape().nonEmbeddingParams(), -0.3)
                    * Math.pow(r.spec().tokens(), 0.05);
            assertThat(r.spec().optimizer().learningRate()).as(r.runId()).isCloseTo(expected, within(1e-12 * expected));
        }
        // the plain number form is unchanged, and so are its run ids: those this planner call gave before
        // training.lr took a law (commit 21072d1)
        Plan plain = plan(ISOFLOP.replace("  batch: 4\n", "  batch: 4\n  lr: 3e-3\n"));
        assertThat(plain.runs()).extracting(PlannedRun::runId).containsExactly("8c9fd4e21b66", "6e729764ded7",
                "08be34ca4e58", "6383bb934d51", "d6897574cbe1");
        // a relative law is read against the config's folder, and a config written elsewhere from it (the
        // quickstart's check run) still finds it
        Path config = dir.resolve("sweep.yaml");
        Files.writeString(config, ISOFLOP.replace("  batch: 4\n", "  batch: 4\n  lr: law fits/lr.json\n"));
        SweepConfig loaded = ConfigLoader.load(config).config();
        assertThat(Path.of(loaded.training().lr().law())).isAbsolute().isEqualTo(dir.resolve("fits/lr.json").toAbsolutePath());
        Path elsewhere = Files.createDirectories(dir.resolve("qs")).resolve("check.yaml");
        CheckRunConfig.write(elsewhere, CheckRunConfig.of(loaded, 2e9, 20, 1));
        assertThat(Planner.plan(ConfigLoader.load(elsewhere), 1, "test-build", Throughput.rough()).runs()).isNotEmpty();
        assertThatThrownBy(() -> plan(ISOFLOP.replace("  batch: 4\n", "  batch: 4\n  lr: law fits/none.json\n")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("training.lr")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> plan(ISOFLOP.replace("  batch: 4\n", "  batch: 4\n  lr: fast\n")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("training.lr");
        assertThatThrownBy(() -> plan(ISOFLOP.replace("  batch: 4\n",
                "  batch: 4\n  lr: law fits/lr.json\n  lrWidth: 64\n"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("replaces the width rule");
        Files.writeString(dir.resolve("fits/other.json"), "{\"law\": \"chinchilla\"}");
        assertThatThrownBy(() -> plan(ISOFLOP.replace("  batch: 4\n", "  batch: 4\n  lr: law fits/other.json\n")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a learning-rate law");
    }
}
