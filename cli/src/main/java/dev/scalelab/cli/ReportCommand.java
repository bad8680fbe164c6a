package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationCsv;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.emergence.Emergence;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.law.Variable;
import dev.scalelab.plots.Report;
import dev.scalelab.sweep.plan.Plan;
import dev.scalelab.sweep.run.SweepFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** Collects, fits and writes the HTML report of a sweep folder. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        header = "Write DIR/report/index.html: charts, fits with intervals, the prediction, warnings.",
        descriptionHeading = "%n",
        description = "Collects the sweep's runs (runs.csv, curves.csv), fits the Chinchilla surface with E held at the "
                + "corpus's exact floor and with E free, and approach 2 when the sweep has budgets (fit cards in "
                + "DIR/fits/), then writes one self-contained page with PNG and SVG charts beside it: loss vs compute "
                + "with the extrapolation to --target, IsoFLOP curves, the compute-optimal allocation, loss vs "
                + "parameters and tokens, residuals, and the commands that made it.")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "A sweep folder.")
    Path dir;

    @Option(names = "--target", paramLabel = "C", description = "Budget to predict (default: 10x the largest budget).")
    Double target;

    @Option(names = "--bootstrap", defaultValue = "200", paramLabel = "N", description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--check", paramLabel = "RUN", description = "A run folder trained at the target budget: its loss "
            + "is drawn beside the prediction (scalelab quickstart passes its check run).")
    Path check;

    @Override
    public Integer call() {
        Study study = fitStudy(dir, bootstrap, target);
        RunResult checked = check == null ? null : CheckRun.read(check);
        Path index = write(study, checked, List.of("scalelab report " + dir + (target == null ? "" : " --target " + target)
                + " --bootstrap " + bootstrap + (check == null ? "" : " --check " + check)));
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%s%n", index);
        w.flush();
        return 0;
    }

    /** A collected sweep and its fits, ready for the page. */
    record Study(Path dir, Plan plan, SweepFolder folder, List<Observation> runs, List<Observation> curves, double floor,
                 double targetFlops, Map<String, FitCard> fits, List<String> warnings, List<String> commands) {
    }

    /** Collects DIR and fits chinchilla (E at the floor, E free) and, with budgets, approach 2; cards in DIR/fits/. */
    static Study fitStudy(Path dir, int bootstrap, Double target) {
        SweepFolder folder = SweepFolder.open(dir);
        folder.collect();
        Plan plan = folder.plan();
        List<Observation> runs = read(dir.resolve("runs.csv"));
        if (runs.isEmpty()) {
            throw new NoUsableFitException("no completed runs in " + dir + " yet; run 'scalelab sweep' first");
        }
        List<Observation> curves = read(dir.resolve("curves.csv"));
        double floor = floor(dir.resolve("runs.csv"));
        double largest = runs.stream().mapToDouble(o -> o.budget() != null ? o.budget() : o.flops()).max().orElse(1);
        double targetFlops = target != null ? target : 10 * largest;
        List<String> warnings = new ArrayList<>(plan.warnings());
        List<String> commands = new ArrayList<>(List.of("scalelab sweep " + plan.config() + " --out " + dir));
        Map<String, FitCard> fits = new LinkedHashMap<>();
        if (!Double.isNaN(floor)) {
            fit(dir, plan, bootstrap, fits, warnings, commands, "runs.csv", "chinchilla (E fixed at the corpus floor)",
                    Fitter.Law.CHINCHILLA, Map.of("E", floor), "chinchilla-fixed-e.json");
        }
        fit(dir, plan, bootstrap, fits, warnings, commands, "runs.csv", "chinchilla (E free)", Fitter.Law.CHINCHILLA, Map.of(),
                "chinchilla.json");
        if (runs.stream().anyMatch(o -> o.budget() != null)) {
            fit(dir, plan, bootstrap, fits, warnings, commands, "runs.csv", "isoflop (approach 2)", Fitter.Law.ISOFLOP, Map.of(),
                    "isoflop.json");
        }
        return new Study(dir, plan, folder, runs, curves, floor, targetFlops, fits, warnings, commands);
    }

    /** Writes DIR/report/index.html and its charts; returns the page. */
    static Path write(Study s, RunResult check, List<String> extraCommands) {
        Path out = s.dir().resolve("report");
        Map<String, List<dev.scalelab.plots.Charts.ProbePoint>> probes = new LinkedHashMap<>();
        for (String skill : s.folder().skills()) {
            probes.put(skill, s.folder().probes(skill).stream()
                    .map(e -> new dev.scalelab.plots.Charts.ProbePoint(e.getKey(), e.getValue())).toList());
        }
        List<String> commands = new ArrayList<>(s.commands());
        commands.addAll(extraCommands);
        double[] checkPoint = check == null ? null : new double[] {s.targetFlops(), check.finalValLoss()};
        Map<String, String> notes = emergenceNotes(s, out);
        List<String> files = new ArrayList<>(List.of("../runs.csv", "../curves.csv"));
        if (!notes.isEmpty()) {
            files.add("emergence.json");
            commands.add("scalelab emergence " + s.dir() + " --format json");
        }
        Report.write(new Report.Input("Scaling study: " + s.plan().name(), s.runs(), s.curves(), s.fits(),
                s.targetFlops(), s.floor(), s.plan().corpus(), s.plan().flopConvention().id(), s.warnings(), commands,
                files, probes, checkPoint, notes), out);
        return out.resolve("index.html");
    }

    /**
     * The emergence analysis of the sweep's probes (scalelab emergence), written to report/emergence.json,
     * and per skill a sentence for its chart: each family's exact-match verdict and mirage check.
     */
    private static Map<String, String> emergenceNotes(Study s, Path out) {
        List<dev.scalelab.core.data.EvalRow> rows = s.folder().evalRows();
        Map<String, String> notes = new LinkedHashMap<>();
        if (rows.isEmpty()) {
            return notes;
        }
        List<Emergence.Result> results = Emergence.analyse(Emergence.series(rows, Map.of()),
                new Emergence.Options(0, 0, 0.95));
        dev.scalelab.core.io.AtomicFiles.writeString(out.resolve("emergence.json"), Json.toText(results));
        Map<String, List<String>> parts = new LinkedHashMap<>();
        for (Emergence.Result r : results) {
            if (r.error() == null && r.metric().equals("exact_match")) {
                String part = r.family() + ": exact match " + r.verdict()
                        + (r.breakthroughness() == null ? "" : " (B = " + (r.breakthroughness() instanceof Double d
                        ? String.format(Locale.ROOT, "%.3g", d) : r.breakthroughness()) + ")")
                        + (r.mirage() == null ? "" : "; " + r.mirage().verdict());
                parts.computeIfAbsent(r.task(), k -> new ArrayList<>()).add(part);
            }
        }
        parts.forEach((skill, p) -> notes.put(skill, "Emergence analysis (emergence.json): " + String.join(". ", p) + "."));
        return notes;
    }

    /** Fits DIR/{@code input} with one law into DIR/fits/{@code file}; a failed fit becomes a warning. */
    static void fit(Path dir, Plan plan, int bootstrap, Map<String, FitCard> fits, List<String> warnings, List<String> commands,
                    String input, String title, Fitter.Law law, Map<String, Double> fixed, String file) {
        String command = "scalelab fit " + dir.resolve(input) + " --law " + law.id() + " --bootstrap " + bootstrap
                + (fixed.isEmpty() ? "" : " --fix E=" + fixed.get("E")) + " --out " + dir.resolve("fits").resolve(file);
        try {
            FitCard card = Fitter.fit(ObservationCsv.standard().read(dir.resolve(input)), new Fitter.Options(law, Variable.PARAMS, bootstrap, 0, 0.95, fixed,
                    Approach3.Options.defaults(), 3, plan.flops(), VersionProvider.version(), command, null));
            Json.write(dir.resolve("fits").resolve(file), card);
            fits.put(title, card);
            commands.add(command);
            if (card.status() != dev.scalelab.fitting.fit.FitStatus.CONVERGED) {
                warnings.add(title + ": the fit ended " + card.status());
            }
        } catch (NoUsableFitException e) {
            warnings.add(title + ": no usable fit (" + e.getMessage() + ")");
        }
    }

    private static List<Observation> read(Path csv) {
        if (!Files.isRegularFile(csv)) {
            return List.of();
        }
        try {
            return ObservationCsv.standard().read(csv).observations();
        } catch (InvalidInputException e) {
            if (e.getMessage().contains("has a header but no rows")) {
                return List.of();
            }
            throw e;
        }
    }

    /** The corpus floor recorded in runs.csv (the corpus_floor column), or NaN. */
    private static double floor(Path csv) {
        try {
            List<String> lines = Files.readAllLines(csv);
            List<String> header = List.of(lines.get(0).split(","));
            int i = header.indexOf("corpus_floor");
            if (i < 0 || lines.size() < 2) {
                return Double.NaN;
            }
            double v = Double.parseDouble(lines.get(1).split(",")[i]);
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
