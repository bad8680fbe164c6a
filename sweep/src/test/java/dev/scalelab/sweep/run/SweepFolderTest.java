package dev.scalelab.sweep.run;

import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.core.run.RunLayout;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.Json;
import dev.scalelab.sweep.plan.Plan;
import dev.scalelab.sweep.plan.PlannedRun;
import dev.scalelab.sweep.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** A sweep folder read back: each run's state, the status by budget, and the tables for fits. */
class SweepFolderTest {
    @TempDir
    Path dir;

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    /** Trains {@code runs} of {@code plan} into the folder, whose plan.json is then the whole plan's. */
    private void sweep(Plan plan, List<PlannedRun> runs) throws java.io.IOException {
        TinyPlan.sweep(new Plan(plan.name(), plan.config(), plan.corpus(), plan.flopConvention(), plan.family(), runs,
                plan.warnings(), plan.estimate()), dir, Instant.now());
        dev.scalelab.core.io.Json.write(SweepLayout.plan(dir), plan);
    }

    @Test
    void aFolderWithoutAPlanIsNotASweepFolder() {
        assertThatThrownBy(() -> SweepFolder.open(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("not a sweep folder (no plan.json)");
    }

    @Test
    void eachRunsStateComesFromItsFolder() throws Exception {
        Plan plan = TinyPlan.plan(4);
        sweep(plan, List.of()); // writes plan.json only
        SweepFolder folder = SweepFolder.open(dir);
        assertThat(folder.plan()).isEqualTo(plan);
        SweepFolder.Status pending = folder.status(TIMEOUT);
        assertThat(pending.runs()).isEqualTo(4);
        assertThat(pending.totals()).containsEntry(SweepFolder.State.PENDING, 4);
        assertThat(pending.etaSeconds()).isCloseTo(4 * 1.5, within(1e-9));
        // widths 8 and 24 at 1e6, 16 and 32 at 2e6
        assertThat(pending.budgets()).extracting(SweepFolder.Counts::budget).containsExactly(1e6, 2e6);
        assertThat(pending.budgets()).allSatisfy(c -> assertThat(c.counts()).containsEntry(SweepFolder.State.PENDING, 2));

        Path[] runs = new Path[4];
        for (int i = 0; i < 4; i++) {
            runs[i] = Files.createDirectories(SweepLayout.runDir(dir, plan.runs().get(i).runId()));
        }
        Files.writeString(runs[0].resolve(RunLayout.CLAIM), "1@host\n");
        Files.writeString(runs[1].resolve(RunLayout.CLAIM), "1@host\n");
        Files.setLastModifiedTime(runs[1].resolve(RunLayout.CLAIM), FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Files.writeString(runs[2].resolve(RunLayout.FAILED), "{}");
        assertThat(folder.state(plan.runs().get(0), TIMEOUT)).isEqualTo(SweepFolder.State.RUNNING);
        assertThat(folder.state(plan.runs().get(1), TIMEOUT)).isEqualTo(SweepFolder.State.STALLED);
        assertThat(folder.state(plan.runs().get(2), TIMEOUT)).isEqualTo(SweepFolder.State.FAILED);
        assertThat(folder.state(plan.runs().get(3), TIMEOUT)).isEqualTo(SweepFolder.State.PENDING);
        SweepFolder.Status mixed = folder.status(TIMEOUT);
        assertThat(mixed.totals()).containsAllEntriesOf(Map.of(SweepFolder.State.RUNNING, 1, SweepFolder.State.STALLED, 1,
                SweepFolder.State.FAILED, 1, SweepFolder.State.PENDING, 1, SweepFolder.State.DONE, 0));
        // three runs left of 1.5 s each, shared by the one running
        assertThat(mixed.etaSeconds()).isCloseTo(3 * 1.5, within(1e-9));
    }

    @Test
    void collectWritesOneRowPerFinishedRunAndItsCurveFromTheRunsOwnFiles() throws Exception {
        Plan plan = TinyPlan.plan(3);
        sweep(plan, plan.runs().subList(0, 2)); // the third is never trained
        SweepFolder folder = SweepFolder.open(dir);
        assertThat(folder.status(TIMEOUT).totals()).containsEntry(SweepFolder.State.DONE, 2)
                .containsEntry(SweepFolder.State.PENDING, 1);
        int[] rows = folder.collect();
        // 4 steps, evaluated every 2: steps 2 and 4 of each finished run (step 0 is left out)
        assertThat(rows).containsExactly(2, 4);
        List<String> runsCsv = Files.readAllLines(dir.resolve("runs.csv"));
        List<String> header = List.of(runsCsv.get(0).split(","));
        assertThat(runsCsv).hasSize(3);
        for (int i = 0; i < 2; i++) {
            PlannedRun r = plan.runs().get(i);
            String[] row = runsCsv.get(1 + i).split(",");
            JsonNode result = Json.mapper().readTree(SweepLayout.runDir(dir, r.runId()).resolve(RunLayout.RESULT).toFile());
            assertThat(row[header.indexOf("run")]).isEqualTo(r.runId());
            assertThat(Double.parseDouble(row[header.indexOf("loss")])).isEqualTo(result.path("finalValLoss").asDouble());
            long n = Long.parseLong(row[header.indexOf("params")]);
            long d = Long.parseLong(row[header.indexOf("tokens")]);
            assertThat(n).isEqualTo(r.params());
            assertThat(d).isEqualTo(4 * 2 * 8); // steps × batch × context
            assertThat(Double.parseDouble(row[header.indexOf("flops")])).isEqualTo(6.0 * n * d); // the 6N convention
            assertThat(row[header.indexOf("status")]).isEqualTo("COMPLETED");
            assertThat(Double.parseDouble(row[header.indexOf("budget")])).isEqualTo(r.budget());
        }
        List<String> curves = Files.readAllLines(dir.resolve("curves.csv"));
        List<String> curveHeader = List.of(curves.get(0).split(","));
        assertThat(curves.subList(1, curves.size())).extracting(l -> l.split(",")[curveHeader.indexOf("step")])
                .containsExactly("2", "4", "2", "4");
        // a curve's last point is the run's final loss
        String[] last = curves.get(2).split(",");
        assertThat(Double.parseDouble(last[curveHeader.indexOf("loss")]))
                .isEqualTo(Double.parseDouble(runsCsv.get(1).split(",")[header.indexOf("loss")]));
    }
}
