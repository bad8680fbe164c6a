package dev.scalelab.sweep.run;

import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.core.run.RunLayout;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scalelab.core.io.Json;
import dev.scalelab.sweep.plan.Plan;
import dev.scalelab.sweep.plan.PlannedRun;
import dev.scalelab.sweep.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A sweep's runs into DIR/runs/ID: each trained once, finished ones skipped, failures recorded. */
class SweepRunnerTest {
    @TempDir
    Path dir;

    @Test
    void shardsSplitThePlanIntoDisjointInterleavedShares() {
        Plan plan = TinyPlan.plan(7);
        List<PlannedRun> all = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            all.addAll(new Shard(k, 3).of(plan.runs()));
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(plan.runs());
        assertThat(new Shard(1, 3).of(plan.runs())).containsExactly(plan.runs().get(0), plan.runs().get(3), plan.runs().get(6));
        assertThat(new Shard(3, 3).of(plan.runs())).containsExactly(plan.runs().get(2), plan.runs().get(5));
        assertThat(Shard.ALL.of(plan.runs())).isEqualTo(plan.runs());
        assertThat(SweepLayout.runDir(dir, "abc")).isEqualTo(dir.resolve("runs").resolve("abc"));
    }

    @Test
    void everyRunIsTrainedOnceAndAFinishedSweepIsOnlyRead() throws IOException {
        Plan plan = TinyPlan.plan(3);
        List<String> started = new ArrayList<>();
        List<String> ended = new ArrayList<>();
        RunPool.Summary first = TinyPlan.sweep(plan, dir, Instant.now(), started, ended);
        assertThat(first.completed()).isEqualTo(3);
        assertThat(first.failures()).isEmpty();
        assertThat(List.of(first.diverged(), first.skippedDone(), first.skippedClaimed())).containsOnly(0);
        assertThat(started).containsExactly(plan.runs().get(0).runId(), plan.runs().get(1).runId(),
                plan.runs().get(2).runId());
        assertThat(ended).allSatisfy(o -> assertThat(o).startsWith("completed, validation loss "));
        List<byte[]> metrics = new ArrayList<>();
        for (PlannedRun r : plan.runs()) {
            Path run = SweepLayout.runDir(dir, r.runId());
            JsonNode result = Json.mapper().readTree(run.resolve(RunLayout.RESULT).toFile());
            assertThat(result.path("status").asText()).isEqualTo("COMPLETED");
            assertThat(result.path("steps").asLong()).isEqualTo(4);
            assertThat(run.resolve(RunLayout.CLAIM)).as("released").doesNotExist();
            metrics.add(Files.readAllBytes(run.resolve("metrics.csv")));
        }
        assertThat(Json.mapper().readValue(dir.resolve(SweepLayout.PLAN).toFile(), Plan.class)).isEqualTo(plan);

        started.clear();
        RunPool.Summary again = TinyPlan.sweep(plan, dir, Instant.now(), started, ended);
        assertThat(again.skippedDone()).isEqualTo(3);
        assertThat(again.completed()).isZero();
        assertThat(started).isEmpty();
        for (int i = 0; i < 3; i++) {
            assertThat(Files.readAllBytes(SweepLayout.runDir(dir, plan.runs().get(i).runId()).resolve("metrics.csv")))
                    .isEqualTo(metrics.get(i));
        }
    }

    @Test
    void aRunClaimedByAnotherLiveProcessIsLeftToIt() throws IOException {
        Plan plan = TinyPlan.plan(2);
        Path taken = SweepLayout.runDir(dir, plan.runs().get(0).runId());
        Files.createDirectories(taken);
        Files.writeString(taken.resolve(RunLayout.CLAIM), "4242@another-host\n");
        RunPool.Summary s = TinyPlan.sweep(plan, dir, Instant.now());
        assertThat(s.skippedClaimed()).isEqualTo(1);
        assertThat(s.completed()).isEqualTo(1);
        assertThat(taken.resolve(RunLayout.RESULT)).doesNotExist();
        assertThat(Files.readString(taken.resolve(RunLayout.CLAIM))).isEqualTo("4242@another-host\n");
        assertThat(SweepLayout.runDir(dir, plan.runs().get(1).runId()).resolve(RunLayout.RESULT)).exists();
    }

    @Test
    void aFailingRunIsRecordedTheSweepGoesOnAndItIsNotRetriedWithinTheSameSweep() throws IOException {
        PlannedRun bad = TinyPlan.run("text:" + dir.resolve("no-such.txt"), 8, 4, null);
        Plan plan = TinyPlan.plan(0, bad, TinyPlan.run("markov", 8, 4, null));
        Instant started = Instant.now().minusSeconds(1);
        RunPool.Summary s = TinyPlan.sweep(plan, dir, started);
        assertThat(s.completed()).isEqualTo(1);
        assertThat(s.failed()).isEqualTo(1);
        RunPool.Failure f = s.failures().get(0);
        Path badDir = SweepLayout.runDir(dir, bad.runId());
        assertThat(f.runDir()).isEqualTo(badDir);
        assertThat(f.inputError()).as("a missing corpus file is the input's error").isTrue();
        assertThat(f.message()).contains("no-such.txt");
        JsonNode failed = Json.mapper().readTree(badDir.resolve(RunLayout.FAILED).toFile());
        assertThat(failed.path("runId").asText()).isEqualTo(bad.runId());
        assertThat(failed.path("error").asText()).isEqualTo(f.message());
        assertThat(badDir.resolve(RunLayout.CLAIM)).doesNotExist();
        assertThat(badDir.resolve(RunLayout.RESULT)).doesNotExist();

        // another process of the same sweep (same start) leaves it; a new sweep tries it again
        RunPool.Summary sameSweep = TinyPlan.sweep(plan, dir, started);
        assertThat(sameSweep.failures()).isEmpty();
        assertThat(sameSweep.skippedClaimed()).isEqualTo(1);
        assertThat(sameSweep.skippedDone()).isEqualTo(1);
        RunPool.Summary newSweep = TinyPlan.sweep(plan, dir, Instant.now().plusSeconds(1));
        assertThat(newSweep.failed()).isEqualTo(1);
    }
}
