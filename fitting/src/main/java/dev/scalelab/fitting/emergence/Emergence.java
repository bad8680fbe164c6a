package dev.scalelab.fitting.emergence;

import dev.scalelab.core.data.EvalRow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Emergence analysis of evaluation results against model size. Each (family, task, metric) series,
 * sorted by params, gets:
 * <ul>
 * <li>total improvement, linearity and breakthroughness ({@link Breakthrough});
 * <li>a {@link Sigmoid} and a {@link SaturatingPower} fitted in log10(params), compared by AICc
 * (7 sizes or more); the sigmoid's midpoint is the emergence
 * threshold, with a parametric bootstrap interval (each value redrawn as Binomial(n, value)/n) when
 * the metric is a proportion and every point has its n;
 * <li>a verdict: <b>flat</b> when the whole change is within sampling noise (proportions with n);
 * <b>unresolved</b> with fewer than 7 sizes (AICc cannot weigh a four-parameter sigmoid on fewer);
 * <b>emergent</b> when the sigmoid wins by at least 2, its midpoint lies within the sizes measured,
 * its 10-90% rise spans at most half of their decades, and the rise is at least half of the
 * series' range; otherwise <b>smooth</b>.
 * </ul>
 * Per (family, task), a discontinuous metric is checked against the continuous ones (the mirage
 * question of Schaeffer et al. 2023): a <b>mirage</b> when it looks emergent and some continuous
 * metric of the same answers changes smoothly (the jump is in the metric, not in the model);
 * <b>emergent under every metric</b> when every continuous one is abrupt too; and exact match is predicted from per-token accuracy p as p^L for answers of L
 * tokens (exact match requires all L tokens right; independence across tokens assumed).
 */
public final class Emergence {
    /** One model's value; n = 0 when unknown. */
    public record Point(double params, double value, int n, String model) {
    }

    public record Series(String family, String task, String metric, List<Point> points, int answerTokens) {
    }

    /** A percentile interval from bootstrap resamples. */
    public record Interval(double lo, double hi, double level, int resamples, String method) {
    }

    public record SigmoidSummary(double midpointParams, Interval midpointInterval, double widthDecades,
                                 double transitionDecades, double floor, double ceiling, double criterion) {
    }

    public record PowerSummary(double limit, double coefficient, double exponent, double criterion) {
    }

    public record PowerOfL(double params, double tokenAccuracy, double predicted, double observed) {
    }

    public record Mirage(String continuous, String verdict, Integer answerTokens, List<PowerOfL> exactFromTokens,
                         Double meanAbsoluteError) {
    }

    /**
     * The analysis of one series. Linearity and breakthroughness are numbers, "inf" or "-inf", or
     * null with {@code undefined} saying why; {@code error} is set (and the rest null) when the series
     * cannot be analysed.
     */
    public record Result(String family, String task, String metric, String kind, List<Point> points,
                         Double totalImprovement, Object linearity, Object breakthroughness, String undefined,
                         SigmoidSummary sigmoid, PowerSummary powerLaw, String criterion, String bestModel,
                         String verdict, String reason, Mirage mirage, String error) {
        Result withMirage(Mirage m) {
            return new Result(family, task, metric, kind, points, totalImprovement, linearity, breakthroughness,
                    undefined, sigmoid, powerLaw, criterion, bestModel, verdict, reason, m, error);
        }
    }

    public record Options(int bootstrap, long seed, double level) {
        public static Options defaults() {
            return new Options(200, 0, 0.95);
        }
    }

    public static final String EMERGENT = "emergent";
    public static final String SMOOTH = "smooth";
    public static final String UNDEFINED = "undefined";
    public static final String FLAT = "flat";
    public static final String UNRESOLVED = "unresolved";
    /** AICc needs n &gt; k + 1 with k = 5 for the sigmoid (four parameters and the error variance). */
    static final int MIN_POINTS_FOR_CURVES = 7;

    private Emergence() {
    }

    /**
     * Groups rows into series by (family, task, metric), in first-seen order, sorted by params.
     * {@code answerTokens} gives answer lengths by task where the rows do not.
     */
    public static List<Series> series(List<EvalRow> rows, Map<String, Integer> answerTokens) {
        Map<List<String>, List<EvalRow>> groups = new LinkedHashMap<>();
        for (EvalRow r : rows) {
            groups.computeIfAbsent(List.of(r.family(), r.task(), r.metric()), k -> new ArrayList<>()).add(r);
        }
        List<Series> out = new ArrayList<>();
        for (Map.Entry<List<String>, List<EvalRow>> g : groups.entrySet()) {
            List<EvalRow> rs = new ArrayList<>(g.getValue());
            rs.sort(Comparator.comparingDouble(EvalRow::params));
            int length = answerTokens.getOrDefault(g.getKey().get(1), 0);
            List<Point> points = new ArrayList<>();
            for (EvalRow r : rs) {
                points.add(new Point(r.params(), r.value(), r.n(), r.model() == null || r.model().isEmpty() ? null : r.model()));
                length = length > 0 ? length : r.answerTokens();
            }
            out.add(new Series(g.getKey().get(0), g.getKey().get(1), g.getKey().get(2), points, length));
        }
        return out;
    }

    /** Analyses every series, then adds the mirage check to each discontinuous one. */
    public static List<Result> analyse(List<Series> all, Options options) {
        List<Result> results = new ArrayList<>();
        for (Series s : all) {
            results.add(analyse(s, options));
        }
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            if (r.error() == null && MetricKind.of(r.metric()) == MetricKind.DISCONTINUOUS) {
                Mirage m = mirage(r, all.get(i), results, all);
                if (m != null) {
                    results.set(i, r.withMirage(m));
                }
            }
        }
        return results;
    }

    public static Result analyse(Series s, Options options) {
        String kind = MetricKind.of(s.metric()).name().toLowerCase(Locale.ROOT);
        List<Point> p = s.points();
        for (int i = 1; i < p.size(); i++) {
            if (p.get(i).params() == p.get(i - 1).params()) {
                return error(s, kind, "two rows have params " + p.get(i).params()
                        + ": give each model once per family, task and metric");
            }
        }
        if (p.size() < 3) {
            return error(s, kind, "only " + p.size() + " point(s): needs at least 3 model sizes");
        }
        double[] x = p.stream().mapToDouble(q -> Math.log10(q.params())).toArray();
        double[] y = p.stream().mapToDouble(Point::value).toArray();
        Breakthrough b = Breakthrough.of(y);
        if (b.undefined() != null) {
            return new Result(s.family(), s.task(), s.metric(), kind, p, b.totalImprovement(), null, null, b.undefined(),
                    null, null, null, null, UNDEFINED, "the series is constant: nothing changes with scale", null, null);
        }
        boolean enough = p.size() >= MIN_POINTS_FOR_CURVES;
        Sigmoid sig = enough ? Sigmoid.fit(x, y) : null;
        SaturatingPower pow = enough ? SaturatingPower.fit(x, y) : null;
        double mean = Arrays.stream(y).average().orElse(0);
        double tss = Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum();
        String criterion = "AICc";
        SigmoidSummary ss = null;
        PowerSummary ps = null;
        if (sig != null) {
            ss = new SigmoidSummary(sig.midpointParams(), midpointInterval(s, x, y, options), sig.widthDecades(),
                    sig.transitionDecades(), sig.floor(), sig.ceiling(),
                    CurveChoice.criterion(sig.rss(), tss, p.size(), Sigmoid.PARAMETERS));
        }
        if (pow != null) {
            ps = new PowerSummary(pow.limit(), pow.coefficient(), pow.exponent(),
                    CurveChoice.criterion(pow.rss(), tss, p.size(), SaturatingPower.PARAMETERS));
        }
        String best = ss == null || ps == null ? null : ss.criterion() < ps.criterion() ? "sigmoid" : "power law";
        String[] verdict = verdict(s, x, y, sig, ss, ps, criterion);
        return new Result(s.family(), s.task(), s.metric(), kind, p, b.totalImprovement(), number(b.linearity()),
                number(b.breakthroughness()), null, ss, ps, criterion, best, verdict[0], verdict[1], null, null);
    }

    private static Result error(Series s, String kind, String message) {
        return new Result(s.family(), s.task(), s.metric(), kind, s.points(), null, null, null, null, null, null, null,
                null, null, null, null, message);
    }

    /** A finite number as itself, ±infinity as "inf" / "-inf" (JSON has no infinity). */
    private static Object number(double v) {
        return Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : v;
    }

    private static String[] verdict(Series s, double[] x, double[] y, Sigmoid sig, SigmoidSummary ss, PowerSummary ps,
                                    String criterion) {
        double noise = noise(s);
        double range = Arrays.stream(y).max().orElse(0) - Arrays.stream(y).min().orElse(0);
        if (range <= noise) {
            return new String[] {FLAT, String.format(Locale.ROOT, "the whole change (%.3g) is within sampling noise "
                    + "(%.3g: two standard errors of a difference of proportions)", range, noise)};
        }
        if (y.length < MIN_POINTS_FOR_CURVES) {
            return new String[] {UNRESOLVED, "a sigmoid and a power law can be told apart (AICc) from "
                    + MIN_POINTS_FOR_CURVES + " sizes; this series has " + y.length};
        }
        if (ss == null || ps == null) {
            return new String[] {UNRESOLVED, "the " + (ss == null ? "sigmoid" : "power law") + " fit did not converge"};
        }
        double advantage = ps.criterion() - ss.criterion();
        double span = x[x.length - 1] - x[0];
        if (advantage < 0) {
            return new String[] {SMOOTH, String.format(Locale.ROOT, "the power law fits better (the sigmoid's %s is %.1f higher)",
                    criterion, -advantage)};
        }
        if (advantage < 2) {
            return new String[] {SMOOTH, String.format(Locale.ROOT, "the power law fits about as well (the sigmoid's %s "
                    + "is only %.1f lower; 2 is needed)", criterion, advantage)};
        }
        if (sig.midpointLog10() < x[0] || sig.midpointLog10() > x[x.length - 1]) {
            return new String[] {SMOOTH, "the sigmoid's midpoint lies outside the sizes measured"};
        }
        if (sig.transitionDecades() > span / 2) {
            return new String[] {SMOOTH, String.format(Locale.ROOT,
                    "the sigmoid's 10-90%% rise spans %.2g decades, more than half of the %.2g measured", sig.transitionDecades(), span)};
        }
        if (Math.abs(sig.ceiling() - sig.floor()) < range / 2) {
            return new String[] {SMOOTH, "the sigmoid's rise is less than half of the series' range"};
        }
        return new String[] {EMERGENT, String.format(Locale.ROOT,
                "a sigmoid beats the power law by %.1f (%s) and rises within %.2g decades at %.3g params",
                advantage, criterion, sig.transitionDecades(), sig.midpointParams())};
    }

    /**
     * Twice the standard error of the difference of two of the series' proportions at their mean
     * (2·sqrt(2·p(1−p)/n)), when the metric is a proportion and every point has its n; else 0.
     */
    private static double noise(Series s) {
        if (!MetricKind.isProportion(s.metric()) || s.points().stream().anyMatch(q -> q.n() <= 0 || q.value() < 0 || q.value() > 1)) {
            return 0;
        }
        double p = s.points().stream().mapToDouble(Point::value).average().orElse(0);
        double n = s.points().stream().mapToDouble(Point::n).average().orElse(1);
        return 2 * Math.sqrt(2 * p * (1 - p) / n);
    }

    /** The parametric bootstrap interval of the midpoint, or null when the data do not allow one. */
    private static Interval midpointInterval(Series s, double[] x, double[] y, Options options) {
        if (options.bootstrap() <= 0 || !MetricKind.isProportion(s.metric())) {
            return null;
        }
        for (Point p : s.points()) {
            if (p.n() <= 0 || p.value() < 0 || p.value() > 1) {
                return null;
            }
        }
        SplittableRandom rng = new SplittableRandom(options.seed());
        List<Double> mids = new ArrayList<>();
        double[] redrawn = new double[y.length];
        for (int r = 0; r < options.bootstrap(); r++) {
            for (int i = 0; i < y.length; i++) {
                int n = s.points().get(i).n();
                redrawn[i] = binomial(rng, n, y[i]) / (double) n;
            }
            if (Arrays.stream(redrawn).distinct().count() < 2) {
                continue;
            }
            Sigmoid fit = Sigmoid.fit(x, redrawn.clone());
            if (fit != null) {
                mids.add(fit.midpointLog10());
            }
        }
        if (mids.size() < 10) {
            return null;
        }
        double[] m = mids.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double tail = (1 - options.level()) / 2;
        return new Interval(Math.pow(10, quantile(m, tail)), Math.pow(10, quantile(m, 1 - tail)), options.level(),
                m.length, "parametric bootstrap: each value redrawn as Binomial(n, value)/n");
    }

    private static int binomial(SplittableRandom rng, int n, double p) {
        if (n <= 200) {
            int k = 0;
            for (int i = 0; i < n; i++) {
                k += rng.nextDouble() < p ? 1 : 0;
            }
            return k;
        }
        double z = gaussian(rng);  // normal approximation for large n
        long k = Math.round(n * p + z * Math.sqrt(n * p * (1 - p)));
        return (int) Math.max(0, Math.min(n, k));
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static Mirage mirage(Result d, Series ds, List<Result> results, List<Series> all) {
        List<Result> continuous = results.stream().filter(r -> r.family().equals(d.family()) && r.task().equals(d.task())
                && r.error() == null && MetricKind.of(r.metric()) == MetricKind.CONTINUOUS).toList();
        if (continuous.isEmpty()) {
            return null;
        }
        List<String> names = continuous.stream().map(Result::metric).toList();
        List<String> emergent = continuous.stream().filter(r -> EMERGENT.equals(r.verdict())).map(Result::metric).toList();
        List<String> smooth = names.stream().filter(m -> !emergent.contains(m)).toList();
        String verdict;
        if (!EMERGENT.equals(d.verdict())) {
            verdict = "not emergent: " + d.metric() + " changes smoothly with scale";
        } else if (!smooth.isEmpty()) {
            verdict = "mirage: " + d.metric() + " looks emergent while " + String.join(", ", smooth)
                    + (smooth.size() == 1 ? " changes" : " change") + " smoothly"
                    + (emergent.isEmpty() ? "" : " (" + String.join(", ", emergent) + " abrupt too)");
        } else {
            verdict = "emergent under every metric: " + d.metric() + " and " + String.join(", ", emergent);
        }
        List<PowerOfL> predicted = new ArrayList<>();
        Double mae = null;
        int length = ds.answerTokens();
        Series tokenAccuracy = all.stream().filter(s -> s.family().equals(d.family()) && s.task().equals(d.task())
                && MetricKind.isTokenAccuracy(s.metric())).findFirst().orElse(null);
        if (MetricKind.isExactMatch(d.metric()) && tokenAccuracy != null && length > 0) {
            double sum = 0;
            for (Point e : ds.points()) {
                for (Point t : tokenAccuracy.points()) {
                    if (t.params() == e.params()) {
                        double pl = Math.pow(t.value(), length);
                        predicted.add(new PowerOfL(e.params(), t.value(), pl, e.value()));
                        sum += Math.abs(pl - e.value());
                    }
                }
            }
            mae = predicted.isEmpty() ? null : sum / predicted.size();
        }
        return new Mirage(String.join(",", names), verdict, length > 0 ? length : null, predicted, mae);
    }
}
