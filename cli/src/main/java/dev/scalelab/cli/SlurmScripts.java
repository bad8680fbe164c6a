package dev.scalelab.cli;

import dev.scalelab.core.io.AtomicFiles;
import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.sweep.plan.Plan;

import java.nio.file.Path;
import java.util.Locale;

/** sbatch scripts for a sweep: a job array of shards and a follow-up job that collects and fits. */
final class SlurmScripts {
    private SlurmScripts() {
    }

    static Path followup(Path script) {
        return script.resolveSibling(script.getFileName() + ".followup");
    }

    /** The launcher to call from the scripts: this distribution's bin/scalelab, else scalelab on the PATH. */
    static String launcher() {
        String home = System.getProperty("scalelab.home");
        return home == null ? "scalelab" : Path.of(home, "bin", "scalelab").toAbsolutePath().normalize().toString();
    }

    /**
     * @param threads   threads per run as the plan resolved them; forwarded to every task, so a node with
     *                  another core count trains the runs (and run ids) this plan printed
     * @param precision the matrix-product precision the plan resolved (never auto: a task on another CPU
     *                  must not choose differently)
     */
    static void write(Path script, Plan plan, Path config, Path out, int shards, int threads, String precision,
                      String mem, double checkpointMinutes) {
        String cfg = quote(config.toAbsolutePath().normalize().toString());
        String dir = out.toAbsolutePath().normalize().toString();
        String q = quote(dir);
        String run = quote(launcher());
        String array = String.join("\n",
                "#!/bin/bash",
                "#SBATCH --job-name=scalelab-" + plan.name(),
                "#SBATCH --array=0-" + (shards - 1),
                "#SBATCH --cpus-per-task=" + threads,
                "#SBATCH --mem=" + mem,
                "#SBATCH --output=" + dir + "/" + SweepLayout.SLURM_LOGS + "/%A_%a.log",
                "# One shard of the sweep per array task. The shard total is written here, not read from",
                "# $SLURM_ARRAY_TASK_COUNT: that is the size of the submitted array, wrong on a partial resubmit",
                "# (sbatch --array=2,5 THIS_FILE runs only the missing shards; finished runs are skipped anyway).",
                "SHARDS=" + shards,
                "mkdir -p " + q + "/" + SweepLayout.SLURM_LOGS,
                "exec " + run + " sweep " + cfg + " --out " + q + " --shard $((SLURM_ARRAY_TASK_ID + 1))/$SHARDS --jobs 1"
                        + " --threads " + threads + " --precision " + precision
                        + " --no-calibrate --checkpoint-minutes " + checkpointMinutes,
                "");
        String follow = String.join("\n",
                "#!/bin/bash",
                "#SBATCH --job-name=scalelab-" + plan.name() + "-collect",
                "#SBATCH --cpus-per-task=" + Math.max(1, threads),
                "#SBATCH --mem=" + mem,
                "#SBATCH --output=" + dir + "/" + SweepLayout.SLURM_LOGS + "/followup-%j.log",
                "# Runs after every array task (afterany): tables for fits, the fits, then the HTML report.",
                "set -u",
                run + " status " + q,
                run + " collect " + q + " || exit 1",
                fits(run, q, plan),
                run + " report " + q,
                "");
        try {
            java.nio.file.Files.createDirectories(SweepLayout.slurmLogs(out)); // Slurm opens the logs before the script runs
        } catch (java.io.IOException e) {
            throw new dev.scalelab.core.ScalelabException(dev.scalelab.core.ExitCode.INVALID_INPUT,
                    "cannot create " + SweepLayout.slurmLogs(out) + ": " + e.getMessage(), e);
        }
        AtomicFiles.writeString(script, array);
        AtomicFiles.writeString(followup(script), follow);
        script.toFile().setExecutable(true);
        followup(script).toFile().setExecutable(true);
    }

    private static String fits(String run, String q, Plan plan) {
        boolean isoflop = plan.runs().stream().anyMatch(r -> r.budget() != null);
        String chinchilla = run + " fit " + q + "/" + SweepLayout.RUNS_CSV + " --law chinchilla --bootstrap " + BootstrapOption.DEFAULT + " --out " + q
                + "/" + SweepLayout.FITS + "/" + SweepLayout.CHINCHILLA_CARD;
        return isoflop ? String.format(Locale.ROOT, "%s%n%s fit %s/%s --law isoflop --bootstrap " + BootstrapOption.DEFAULT + " --out %s/%s/%s",
                chinchilla, run, q, SweepLayout.RUNS_CSV, q, SweepLayout.FITS, SweepLayout.ISOFLOP_CARD) : chinchilla;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
