package dev.scalelab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.sweep.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** plan, sweep, status and collect on a tiny sweep, in process. */
class SweepCommandTest {
    @TempDir
    Path dir;

    static Path config(String name) {
        try {
            return Path.of(SweepCommandTest.class.getResource("/sweeps/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> runIds(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void plansAListOfRunsWithEstimates() throws Exception {
        Cli.Result r = Cli.run("plan", config("tiny.yaml").toString(), "--no-calibrate", "--format", "json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode plan = Json.mapper().readTree(r.out());
        assertThat(plan.path("name").asText()).isEqualTo("tiny");
        assertThat(plan.path("runs").size()).isBetween(4, 6);
        for (JsonNode run : plan.path("runs")) {
            assertThat(run.path("estimatedSeconds").asDouble()).isPositive();
            assertThat(run.path("spec").path("threads").asInt()).isEqualTo(1);
            double tokens = run.path("spec").path("batch").asInt() * 16.0 * run.path("spec").path("steps").asLong();
            assertThat(tokens * 6 * run.path("params").asDouble() / run.path("budget").asDouble()).isBetween(0.8, 1.25);
        }
        Cli.Result text = Cli.run("plan", config("tiny.yaml").toString(), "--no-calibrate");
        assertThat(text.out()).contains("sweep tiny:", "total ", "warning: ");
        Cli.Result csv = Cli.run("plan", config("tiny.yaml").toString(), "--no-calibrate", "--format", "csv");
        assertThat(csv.out()).startsWith("run,budget,layers,heads,d_model,params,tokens,flops,steps,lr,estimated_seconds\n");
    }

    @Test
    void slurmTasksTrainWithThePlansThreadsAndPrecision() throws Exception {
        Path script = dir.resolve("s.sbatch");
        Cli.Result r = Cli.run("sweep", config("tiny.yaml").toString(), "--out", dir.resolve("out").toString(),
                "--emit-slurm", script.toString(), "--threads", "2", "--precision", "fp32", "--no-calibrate");
        assertThat(r.code()).as(r.err()).isZero();
        String task = Files.readString(script);
        assertThat(task).contains("#SBATCH --cpus-per-task=2", " --threads 2 --precision fp32 ");
        // without the options, the tasks still get what the plan resolved (tiny.yaml: training.threads 1)
        Cli.Result d = Cli.run("sweep", config("tiny.yaml").toString(), "--out", dir.resolve("out2").toString(),
                "--emit-slurm", script.toString(), "--no-calibrate");
        assertThat(d.code()).as(d.err()).isZero();
        assertThat(Files.readString(script)).contains(" --threads 1 --precision fp32 ");
    }

    @Test
    void runsResumesShardsAndCollectsASweep() throws Exception {
        Path out = dir.resolve("sweep");
        Cli.Result first = Cli.run("sweep", config("tiny.yaml").toString(), "--out", out.toString(), "--jobs", "1",
                "--no-calibrate", "--shard", "1/2");
        assertThat(first.code()).as(first.err()).isZero();
        Cli.Result status = Cli.run("status", out.toString(), "--format", "json");
        JsonNode s = Json.mapper().readTree(status.out());
        int total = s.path("runs").asInt();
        int done = s.path("totals").path("DONE").asInt();
        assertThat(done).isEqualTo((total + 1) / 2);
        assertThat(s.path("totals").path("PENDING").asInt()).isEqualTo(total - done);

        Cli.Result second = Cli.run("sweep", config("tiny.yaml").toString(), "--out", out.toString(), "--jobs", "1",
                "--no-calibrate", "--shard", "2/2");
        assertThat(second.code()).as(second.err()).isZero();
        List<String> ids = runIds(out);
        assertThat(ids).hasSize(total);
        FileTime before = Files.getLastModifiedTime(out.resolve("runs").resolve(ids.get(0)).resolve("result.json"));

        Cli.Result again = Cli.run("sweep", config("tiny.yaml").toString(), "--out", out.toString(), "--jobs", "1",
                "--no-calibrate");
        assertThat(again.err()).contains("0 completed", total + " already done");
        assertThat(Files.getLastModifiedTime(out.resolve("runs").resolve(ids.get(0)).resolve("result.json")))
                .isEqualTo(before);

        Cli.Result collect = Cli.run("collect", out.toString());
        assertThat(collect.code()).as(collect.err()).isZero();
        List<String> runs = Files.readAllLines(out.resolve("runs.csv"));
        assertThat(runs).hasSize(total + 1);
        assertThat(runs.get(0)).startsWith("run,budget,params,tokens,flops,loss,");
        assertThat(Files.readAllLines(out.resolve("curves.csv")).size()).isGreaterThan(total);
        for (String id : ids) {
            assertThat(out.resolve("runs").resolve(id).resolve("probes.csv")).exists();
            assertThat(out.resolve("runs").resolve(id).resolve("claim")).doesNotExist();
        }
        Cli.Result fit = Cli.run("fit", out.resolve("runs.csv").toString(), "--bootstrap", "0", "--law", "power", "--x", "params");
        assertThat(fit.code()).as(fit.err()).isZero();
        Cli.Result fitDir = Cli.run("fit", out.toString(), "--bootstrap", "0", "--law", "power", "--x", "tokens");
        assertThat(fitDir.code()).as(fitDir.err()).isZero();

        // a diverged run stays in runs.csv with its status; fits leave it out and say so in the card
        Path result = out.resolve("runs").resolve(ids.get(0)).resolve("result.json");
        Files.writeString(result, Files.readString(result).replace("\"COMPLETED\"", "\"DIVERGED\""));
        assertThat(Cli.run("collect", out.toString()).code()).isZero();
        List<String> withDiverged = Files.readAllLines(out.resolve("runs.csv"));
        assertThat(withDiverged).hasSize(total + 1);
        assertThat(withDiverged).filteredOn(l -> l.startsWith(ids.get(0))).singleElement().asString().endsWith(",DIVERGED");
        assertThat(Files.readAllLines(out.resolve("curves.csv"))).noneMatch(l -> l.startsWith(ids.get(0)));
        Path card = dir.resolve("power.json");
        Cli.Result refit = Cli.run("fit", out.resolve("runs.csv").toString(), "--bootstrap", "0", "--law", "power", "--x", "params",
                "--out", card.toString());
        assertThat(refit.code()).as(refit.err()).isZero();
        JsonNode excluded = Json.mapper().readTree(card.toFile()).path("excluded");
        assertThat(excluded).hasSize(1);
        assertThat(excluded.get(0).path("reason").asText()).contains("DIVERGED");
        assertThat(Json.mapper().readTree(card.toFile()).path("points").asInt()).isEqualTo(total - 1);

        // a run folder whose metrics.csv was cut mid-line: collect names the file, and writes nothing
        Path metrics = out.resolve("runs").resolve(ids.get(1)).resolve("metrics.csv");
        String text = Files.readString(metrics);
        Files.writeString(metrics, text.substring(0, text.lastIndexOf(',', text.length() - 2)));
        String collected = Files.readString(out.resolve("runs.csv"));
        Cli.Result cut = Cli.run("collect", out.toString());
        assertThat(cut.code()).isEqualTo(3);
        long cutLine = text.lines().count();
        assertThat(cut.err()).startsWith("scalelab: error: ").contains(metrics + " line " + cutLine + ", field \"wall_seconds\"")
                .contains("delete the run folder").hasLineCount(1).doesNotContain("Exception");
        assertThat(Files.readString(out.resolve("runs.csv"))).isEqualTo(collected);
    }

    @Test
    void aRunFolderWithAForeignCheckpointFailsThatRunAndTheSweepExitsThreeAfterTheOthers() throws Exception {
        Path out = dir.resolve("sweep");
        Cli.Result first = Cli.run("sweep", config("tiny.yaml").toString(), "--out", out.toString(), "--jobs", "1",
                "--no-calibrate", "--shard", "1/2");
        assertThat(first.code()).as(first.err()).isZero();
        List<String> done = runIds(out);
        List<String> pending = new java.util.ArrayList<>();
        Json.mapper().readTree(out.resolve("plan.json").toFile()).path("runs")
                .forEach(r -> pending.add(r.path("runId").asText()));
        pending.removeAll(done);
        assertThat(pending).hasSizeGreaterThanOrEqualTo(2);
        // one pending run holds a checkpoint of its own id but another shape, one a finished run's checkpoint
        Path shape = out.resolve("runs").resolve(pending.get(0));
        new Checkpoint(pending.get(0), 1, new float[10], new float[10], new float[10], 1, 5, 5, 0, 0.1, 5, 1).write(shape);
        Path foreign = out.resolve("runs").resolve(pending.get(1));
        Files.createDirectories(foreign.resolve("checkpoint"));
        Files.copy(out.resolve("runs").resolve(done.get(0)).resolve(RunLayout.CHECKPOINT), foreign.resolve(RunLayout.CHECKPOINT));

        Cli.Result rest = Cli.run("sweep", config("tiny.yaml").toString(), "--out", out.toString(), "--jobs", "1",
                "--no-calibrate");
        assertThat(rest.code()).as(rest.err()).isEqualTo(3);
        List<String> errors = rest.err().lines().filter(l -> l.startsWith("scalelab: error: ")).toList();
        assertThat(errors).singleElement().asString().contains("2 runs failed", shape.resolve(RunLayout.CHECKPOINT).toString(),
                "another shape", "rerun the sweep").doesNotContain("Exception");
        assertThat(rest.err()).contains("belongs to run " + done.get(0));
        assertThat(shape.resolve("failed.json")).exists();
        assertThat(foreign.resolve("failed.json")).exists();
        assertThat(shape.resolve("result.json")).doesNotExist();
        for (String id : pending.subList(2, pending.size())) { // the other runs were trained all the same
            assertThat(out.resolve("runs").resolve(id).resolve("result.json")).exists();
        }

        // with the damaged checkpoints removed, a rerun trains those two and exits 0
        for (Path p : List.of(shape, foreign)) {
            Files.delete(p.resolve(RunLayout.CHECKPOINT));
        }
        Cli.Result again = Cli.run("sweep", config("tiny.yaml").toString(), "--out", out.toString(), "--jobs", "1",
                "--no-calibrate");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("2 completed");
        assertThat(shape.resolve("failed.json")).doesNotExist();
    }

    @Test
    void withJobsAFailedRunIsTriedOnceNotByEveryWorker() throws Exception {
        Path out = dir.resolve("jobs");
        assertThat(Cli.run("sweep", config("tiny.yaml").toString(), "--out", out.toString(), "--jobs", "1",
                "--no-calibrate", "--shard", "1/2").code()).isZero();
        List<String> done = runIds(out);
        List<String> pending = new java.util.ArrayList<>();
        Json.mapper().readTree(out.resolve("plan.json").toFile()).path("runs")
                .forEach(r -> pending.add(r.path("runId").asText()));
        pending.removeAll(done);
        Path foreign = out.resolve("runs").resolve(pending.get(0));
        Files.createDirectories(foreign.resolve("checkpoint"));
        Files.copy(out.resolve("runs").resolve(done.get(0)).resolve(RunLayout.CHECKPOINT), foreign.resolve(RunLayout.CHECKPOINT));
        Cli.Result r = Cli.run("sweep", config("tiny.yaml").toString(), "--out", out.toString(), "--jobs", "2",
                "--no-calibrate");
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(r.err().lines().filter(l -> l.contains("run " + pending.get(0)) && l.contains(": failed: ")))
                .as(r.err()).hasSize(1);
        assertThat(r.err().lines().filter(l -> l.startsWith("scalelab: error: "))).singleElement().asString()
                .contains("1 run failed", foreign.toString());
        for (String id : pending.subList(1, pending.size())) {
            assertThat(out.resolve("runs").resolve(id).resolve("result.json")).exists();
        }
    }

    @Test
    void aLiveClaimIsLeftAloneAndAStaleOneIsTakenOver() throws Exception {
        Path out = dir.resolve("sweep");
        Cli.Result plan = Cli.run("plan", config("tiny.yaml").toString(), "--no-calibrate", "--format", "json");
        JsonNode runs = Json.mapper().readTree(plan.out()).path("runs");
        String live = runs.get(0).path("runId").asText();
        String stale = runs.get(1).path("runId").asText();
        Path liveClaim = out.resolve("runs").resolve(live).resolve("claim");
        Path staleClaim = out.resolve("runs").resolve(stale).resolve("claim");
        Files.createDirectories(liveClaim.getParent());
        Files.createDirectories(staleClaim.getParent());
        Files.writeString(liveClaim, "4242@another-host\n");
        Files.writeString(staleClaim, "4343@a-dead-host\n");
        Files.setLastModifiedTime(staleClaim, FileTime.from(Instant.now().minusSeconds(3600)));
        // a claim with a fresh heartbeat whose owner, a process on this host, was killed
        String orphan = runs.get(2).path("runId").asText();
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path orphanClaim = out.resolve("runs").resolve(orphan).resolve("claim");
        Files.createDirectories(orphanClaim.getParent());
        Files.writeString(orphanClaim, dead.pid() + "@" + java.net.InetAddress.getLocalHost().getHostName() + "\n");

        Cli.Result r = Cli.run("sweep", config("tiny.yaml").toString(), "--out", out.toString(), "--jobs", "1",
                "--no-calibrate", "--claim-timeout", "600");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("1 claimed by others");
        assertThat(out.resolve("runs").resolve(stale).resolve("result.json")).exists();
        assertThat(out.resolve("runs").resolve(orphan).resolve("result.json")).exists();
        assertThat(out.resolve("runs").resolve(live).resolve("result.json")).doesNotExist();
        assertThat(Files.readString(liveClaim)).isEqualTo("4242@another-host\n");
        JsonNode s = Json.mapper().readTree(Cli.run("status", out.toString(), "--format", "json").out());
        assertThat(s.path("totals").path("RUNNING").asInt()).isEqualTo(1);
    }

    @Test
    void twoProcessesShareOneFolderAndRunEveryRunOnce() throws Exception {
        Path out = dir.resolve("sweep");
        Cli.Result r = Cli.run("sweep", config("tiny.yaml").toString(), "--out", out.toString(), "--jobs", "2",
                "--no-calibrate");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode s = Json.mapper().readTree(Cli.run("status", out.toString(), "--format", "json").out());
        assertThat(s.path("totals").path("DONE").asInt()).isEqualTo(s.path("runs").asInt());
        // every run trained exactly once: one metrics.csv each, one step-0 row each
        for (String id : runIds(out)) {
            List<String> metrics = Files.readAllLines(out.resolve("runs").resolve(id).resolve("metrics.csv"));
            assertThat(metrics.stream().filter(l -> l.startsWith("0,")).count()).isEqualTo(1);
        }
    }

    @Test
    void badConfigsNameTheFileLineAndField() {
        Cli.Result unknown = Cli.run("plan", config("unknown-key.yaml").toString(), "--no-calibrate");
        assertThat(unknown.code()).isEqualTo(3);
        assertThat(unknown.err()).contains("unknown-key.yaml line 5, field \"family.headsize\": unknown key 'headsize'")
                .hasLineCount(1);
        Cli.Result width = Cli.run("plan", config("bad-width.yaml").toString(), "--no-calibrate");
        assertThat(width.code()).isEqualTo(3);
        assertThat(width.err()).contains("bad-width.yaml line 3, field \"family.widths[1]\": width 12 is not a positive "
                + "multiple of the head size 8");
        Cli.Result budget = Cli.run("plan", config("tiny-budget.yaml").toString(), "--no-calibrate");
        assertThat(budget.code()).isEqualTo(3);
        assertThat(budget.err()).contains("tiny-budget.yaml line 9, field \"grid.budgets[1]\": budget 10.0 is too small for any size");
        Cli.Result type = Cli.run("plan", config("wrong-type.yaml").toString(), "--no-calibrate");
        assertThat(type.code()).isEqualTo(3);
        assertThat(type.err()).contains("wrong-type.yaml line 3, field \"family.widths[1]\": wrong type").hasLineCount(1);
        Cli.Result shard = Cli.run("sweep", config("tiny.yaml").toString(), "--out", "x", "--shard", "3/2");
        assertThat(shard.code()).isEqualTo(3);
        assertThat(shard.err()).contains("cannot read shard '3/2'");
    }
}
