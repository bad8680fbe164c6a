package dev.scalelab.cli;

import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.sweep.corpus.Corpora;
import dev.scalelab.sweep.plan.Plan;
import dev.scalelab.sweep.run.Sweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** Options shared by several commands are declared once, in a mixin, with one meaning and one default. */
class SharedOptionsTest {
    /**
     * The option names that several commands declare, each on its own, by design: their meanings or defaults
     * differ, and one declaration could not say both.
     */
    private static final Map<String, String> SEPARATE = Map.of(
            "--out", "required for sweep and plot, defaulted for train, grok and quickstart, a folder or a file",
            "--x", "fit's variable of a one-variable law, plot's x column of a heatmap",
            "--tokens", "train's budget (one number), predict's models (a list paired with --params)",
            "--target", "report's and quickstart's budget defaults to 10x the largest, plot draws no prediction without one",
            "--law", "fit fits one law into one card, backtest ranks a list of them",
            "--config", "train's YAML of its own options, quickstart's sweep config",
            "--checkpoint-minutes", "a sweep checkpoints every 5 minutes, so a claim taken over loses less; train 10");

    @Test
    void everyOptionThatSeveralCommandsShareIsDeclaredOnceInAMixin() {
        Map<String, Set<String>> commands = new TreeMap<>();
        Map<String, Set<Class<?>>> declaredIn = new TreeMap<>();
        collect(Main.commandLine(), commands, declaredIn);
        assertThat(commands.get("--threads")).contains("fit", "train", "sweep", "plan");
        assertThat(commands.get("--bootstrap")).contains("fit", "report", "emergence", "quickstart");
        assertThat(commands.get("--precision")).contains("train", "sweep", "plan", "quickstart");
        Set<String> shared = new TreeSet<>();
        commands.forEach((name, users) -> {
            if (users.size() > 1) {
                shared.add(name);
            }
        });
        assertThat(shared).contains("--threads", "--bootstrap", "--seed", "--level", "--format", "--jobs", "--shard",
                "--claim-timeout", "--no-calibrate", "--context").containsAll(SEPARATE.keySet());
        for (String name : shared) {
            if (SEPARATE.containsKey(name)) {
                continue;
            }
            Set<Class<?>> classes = declaredIn.get(name);
            Set<Class<?>> outer = new java.util.HashSet<>();
            classes.forEach(c -> outer.add(outermost(c)));
            assertThat(outer).as("%s, used by %s, is declared in %s", name, commands.get(name), classes).hasSize(1);
            for (Class<?> c : classes) {
                assertThat(Callable.class.isAssignableFrom(c)).as("%s is declared in a command, %s, not a mixin", name, c)
                        .isFalse();
            }
        }
    }

    @Test
    void theSharedOptionsHaveOneDefault() {
        for (String command : new String[] {"fit", "report", "emergence", "quickstart"}) {
            assertThat(option(command, "--bootstrap").defaultValue()).as(command).isEqualTo("200");
        }
        for (String command : new String[] {"fit", "emergence", "train"}) {
            assertThat(option(command, "--seed").defaultValue()).as(command).isEqualTo("0");
        }
        for (String command : new String[] {"fit", "emergence"}) {
            assertThat(option(command, "--level").defaultValue()).as(command).isEqualTo("0.95");
        }
        Cli.Result level = Cli.run("emergence", "nothing.csv", "--level", "1");
        assertThat(level.code()).isEqualTo(3);
        assertThat(level.err()).contains("--level", "(0, 1)").hasLineCount(1);
    }

    @Test
    void trainAndASweepEvaluateOnTheSameNumberOfBatches(@TempDir Path dir) throws Exception {
        // a sweep config that names no evaluation batches: the planner's default
        Path config = dir.resolve("sweep.yaml");
        String text = Files.readString(Path.of("..", "configs", "quickstart.yaml"));
        assertThat(text).contains("  evalBatches: 8\n");
        Files.writeString(config, text.replace("  evalBatches: 8\n", ""));
        Plan plan = Sweep.plan(config, null, null, false);
        int sweepBatches = plan.runs().get(0).spec().evalBatches();
        // train with no --eval-batches: its resolved spec
        TrainCommand train = new TrainCommand();
        new CommandLine(train).parseArgs("--d-model", "16", "--layers", "1", "--heads", "2", "--context", "8");
        TrainSpec single = train.resolve(Corpora.open("synthetic", 8));
        assertThat(single.evalBatches()).isEqualTo(sweepBatches).isEqualTo(8);
        // and the AdamW settings they share
        TrainSpec.Optimizer a = single.optimizer();
        TrainSpec.Optimizer b = plan.runs().get(0).spec().optimizer();
        assertThat(new double[] {a.beta1(), a.beta2(), a.epsilon(), a.weightDecay(), a.gradClip(), a.minLrFraction(),
                a.decayFraction()}).containsExactly(b.beta1(), b.beta2(), b.epsilon(), b.weightDecay(), b.gradClip(),
                b.minLrFraction(), b.decayFraction());
        assertThat(new double[] {a.beta1(), a.beta2(), a.epsilon()}).containsExactly(0.9, 0.95, 1e-8);
    }

    @Test
    void precisionIsResolvedBeforeRunIdsAndRecordedInEverySpec(@TempDir Path dir) throws Exception {
        Path config = Path.of("..", "configs", "quickstart.yaml");
        Plan fp32 = Sweep.plan(config, null, null, false);
        Plan explicit = Sweep.plan(config, null, "fp32", false);
        assertThat(explicit.runs().get(0).spec().runId()).isEqualTo(fp32.runs().get(0).spec().runId());
        assertThat(fp32.runs()).allMatch(r -> r.spec().precision() == dev.scalelab.core.run.Precision.FP32);
        // the command line resolves auto on this machine: a spec never says "auto"
        TrainCommand train = new TrainCommand();
        new CommandLine(train).parseArgs("--d-model", "16", "--layers", "1", "--heads", "2", "--context", "8",
                "--precision", "auto");
        assertThat(train.resolve(Corpora.open("synthetic", 8)).precision()).isNotNull();
        assertThat(dev.scalelab.core.io.Json.toText(train.resolve(Corpora.open("synthetic", 8))))
                .doesNotContain("auto");
        Cli.Result bad = Cli.run("plan", config.toString(), "--no-calibrate", "--precision", "fp16");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--precision", "fp16", "fp32, bf16 or auto");
    }

    private static OptionSpec option(String command, String name) {
        return Main.commandLine().getSubcommands().get(command).getCommandSpec().findOption(name);
    }

    private static void collect(CommandLine cl, Map<String, Set<String>> commands, Map<String, Set<Class<?>>> declaredIn) {
        for (OptionSpec o : cl.getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp() || o.inherited() || !(o.userObject() instanceof Field f)) {
                continue;
            }
            for (String name : o.names()) {
                commands.computeIfAbsent(name, k -> new TreeSet<>()).add(cl.getCommandName());
                declaredIn.computeIfAbsent(name, k -> new java.util.HashSet<>()).add(f.getDeclaringClass());
            }
        }
        cl.getSubcommands().values().forEach(sub -> collect(sub, commands, declaredIn));
    }

    private static Class<?> outermost(Class<?> c) {
        while (c.getEnclosingClass() != null) {
            c = c.getEnclosingClass();
        }
        return c;
    }
}
