package dev.scalelab.fitting;

import dev.scalelab.core.ExitCode;
import dev.scalelab.core.ScalelabException;
import dev.scalelab.fitting.law.Variable;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A prediction a card's law does not make, e.g. the loss of a given model from an allocation law
 * (exit 3). It names what was given and what the law takes in the library's words ("a budget",
 * "params and tokens"); a caller with its own names for them (command-line options) may rephrase it.
 */
public final class NotPredictable extends ScalelabException {
    /** What a prediction is asked at. */
    public enum Input {
        BUDGET("a budget"), PARAMS("params"), TOKENS("tokens"), MODEL("params and tokens"),
        /** A model's params and tokens with the unique tokens among them (a law of repeated data). */
        REPEATED("params, tokens and unique tokens"),
        /** Values of the law's own input columns (a loss, for a law of accuracy against loss). */
        COLUMNS("values of the law's input columns");

        private final String words;

        Input(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }

        /** The input of a one-variable law in {@code x}: a budget for flops. */
        public static Input of(Variable x) {
            return switch (x) {
                case PARAMS -> PARAMS;
                case TOKENS -> TOKENS;
                case FLOPS -> BUDGET;
            };
        }
    }

    private final Input given;
    private final String problem;
    private final List<Input> wanted;

    /**
     * @param given   what the prediction was asked at
     * @param problem why the law cannot answer it
     * @param wanted  what it can answer at, in order of preference
     */
    public NotPredictable(Input given, String problem, Input... wanted) {
        super(ExitCode.INVALID_INPUT, problem + "; give " + Arrays.stream(wanted).map(Input::words)
                .collect(Collectors.joining(", or ")));
        this.given = given;
        this.problem = problem;
        this.wanted = List.of(wanted);
    }

    public Input given() {
        return given;
    }

    public String problem() {
        return problem;
    }

    public List<Input> wanted() {
        return wanted;
    }
}
