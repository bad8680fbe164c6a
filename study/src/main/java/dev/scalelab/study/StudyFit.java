package dev.scalelab.study;

import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.ObservationCsv;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.core.model.ParamCount;
import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.fit.FitStatus;
import dev.scalelab.fitting.fit.IsoFlop;
import dev.scalelab.fitting.law.Variable;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One study's fits: each law fitted with the study's FLOP count and bootstrap into DIR/fits/, with the
 * {@code scalelab fit} command that reproduces its card; a fit the data do not allow becomes a warning.
 */
final class StudyFit {
    private final Path dir;
    private final FlopCount flops;
    private final ParamCount params;
    private final int bootstrap;
    private final String version;
    private final Map<String, FitCard> fits;
    private final List<String> warnings;
    private final List<String> commands;

    StudyFit(Path dir, FlopCount flops, ParamCount params, int bootstrap, String version, Map<String, FitCard> fits, List<String> warnings,
             List<String> commands) {
        this.dir = dir;
        this.flops = flops;
        this.params = params;
        this.bootstrap = bootstrap;
        this.version = version;
        this.fits = fits;
        this.warnings = warnings;
        this.commands = commands;
    }

    /** Fits {@code input} with one law into DIR/fits/{@code file}. */
    void fit(Path input, String title, Fitter.Law law, Map<String, Double> fixed, String file) {
        Path card = SweepLayout.fitCard(dir, file);
        String command = "scalelab fit " + input + " --law " + law.id() + " --bootstrap " + bootstrap
                + (fixed.isEmpty() ? "" : " --fix E=" + fixed.get("E"))
                + (params == ParamCount.NON_EMBEDDING ? "" : " --param-count " + params.id()) + " --out " + card;
        try {
            FitCard c = fit(ObservationCsv.standard().withParams(params).read(input), law, fixed, command);
            Json.write(card, c);
            fits.put(title, c);
            commands.add(command);
            if (c.status() != FitStatus.CONVERGED) {
                warnings.add(title + ": the fit ended " + c.status());
            }
            if (c.bootstrap() != null && c.bootstrap().failed() > 0) {
                warnings.add(title + ": " + c.bootstrap().failed() + " of " + c.bootstrap().resamples()
                        + " bootstrap refits failed and are left out of its intervals");
            }
        } catch (NoUsableFitException e) {
            warnings.add(title + ": no usable fit (" + e.getMessage() + ")");
        }
    }

    /** The card of one law on a table, as {@code scalelab fit} with the same options makes it. */
    FitCard fit(ObservationTable table, Fitter.Law law, Map<String, Double> fixed, String command) {
        return Fitter.fit(table, new Fitter.Options(law, Variable.PARAMS, bootstrap, 0, 0.95, fixed,
                Approach3.Options.defaults(), IsoFlop.DEFAULT_WINDOW, flops, version, command, null));
    }
}
