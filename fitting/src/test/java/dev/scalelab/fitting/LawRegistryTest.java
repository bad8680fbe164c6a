package dev.scalelab.fitting;

import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.fit.FitStatus;
import dev.scalelab.fitting.law.Variable;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each law's entry agrees with itself: what it says it predicts is what its predictions answer. */
class LawRegistryTest {
    /** A card of {@code law} in {@code x} whose parameters are its predictors, each 0.3 (k_N, k_D: 1). */
    private static FitCard card(Fitter.Law law, Variable x) {
        Map<String, FitCard.Estimate> p = new LinkedHashMap<>();
        law.predictors().forEach(name -> p.put(name, new FitCard.Estimate(name.startsWith("k_") ? 1 : 0.3, null, null)));
        return new FitCard(FitCard.CARD_VERSION, law.id(), law.oneVariable() ? x.id() : null, "f", p, null, null,
                FitStatus.CONVERGED, 10, List.of(), "", FlopCount.proportional(6), null, null, null, null, null, "v", "c");
    }

    @Test
    void whatEachLawSaysItPredictsIsWhatItsPredictionsAnswer() {
        for (Fitter.Law law : Fitter.Law.values()) {
            for (Variable x : Variable.values()) {
                Set<Predicts> says = law.predicts(x);
                Predictor p = new Predictor(card(law, x), "card");
                String what = law.id() + " in " + x.id();
                if (says.contains(Predicts.RESPONSE)) {
                    // a law of other columns answers at them, and at a model only when they are params and tokens
                    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> p.atBudget(1e21))).as(what)
                            .isInstanceOf(NotPredictable.class);
                    if (List.of("params", "tokens").containsAll(p.inputs())) {
                        assertThat(p.atModel(1e9, 2e10).outputs()).as(what).containsOnlyKeys(law.response());
                    } else {
                        assertThatThrownBy(() -> p.atModel(1e9, 2e10)).as(what).isInstanceOf(NotPredictable.class);
                        assertThat(p.atInputs(Map.of(p.inputs().get(0), 2.5)).outputs()).as(what)
                                .containsOnlyKeys(law.response());
                    }
                    continue;
                }
                if (says.contains(Predicts.LOSS_AT_BUDGET) || says.contains(Predicts.ALLOCATION)) {
                    Map<String, FitCard.Estimate> out = p.atBudget(1e21).outputs();
                    assertThat(out.containsKey("loss")).as(what).isEqualTo(says.contains(Predicts.LOSS_AT_BUDGET));
                    assertThat(out.containsKey("params") && out.containsKey("tokens")).as(what)
                            .isEqualTo(says.contains(Predicts.ALLOCATION));
                } else {
                    assertThatThrownBy(() -> p.atBudget(1e21)).as(what).isInstanceOf(NotPredictable.class)
                            .hasMessageNotContaining("--");
                }
                if (says.contains(Predicts.LOSS_OF_MODEL)) {
                    // with the unique tokens that a law of repeated data also reads (the others leave them)
                    assertThat(p.atModel(1e9, 2e10, 5e9).outputs()).as(what).containsOnlyKeys("loss");
                } else {
                    assertThatThrownBy(() -> p.atModel(1e9, 2e10)).as(what).isInstanceOf(NotPredictable.class)
                            .hasMessageNotContaining("--");
                }
            }
        }
    }

    @Test
    void idsAreUniqueAndFixableParametersArePredictors() {
        assertThat(Fitter.Law.ids()).doesNotHaveDuplicates().hasSize(Fitter.Law.values().length);
        for (Fitter.Law law : Fitter.Law.values()) {
            assertThat(Fitter.Law.of(law.id())).isSameAs(law);
            assertThat(law.predictors()).as(law.id()).containsAll(law.fixable());
            assertThat(law.summary()).as(law.id()).startsWith("(").endsWith(")");
        }
        assertThat(Fitter.Law.of("nosuch")).isNull();
    }

    @Test
    void chartNeedsAreToldFromTheRegistry() {
        assertThat(Fitter.Law.cardsThatPredict(Predicts.ALLOCATION)).isEqualTo("a chinchilla, isoflop or envelope card");
        assertThat(Fitter.Law.cardsThatPredict(Predicts.LOSS_AT_BUDGET))
                .isEqualTo("a chinchilla card, or a one-variable law of flops");
        assertThat(Arrays.stream(Fitter.Law.values()).filter(l -> l.predictsRows(Variable.PARAMS)).map(Fitter.Law::id))
                .containsExactly("power", "saturating", "broken", "chinchilla", "kaplan", "data-constrained",
                        "overtraining", "error-from-loss", "task", "loss-to-loss", "lr", "batch");
    }

    @Test
    void refusalsNameWhatWasGivenAndWhatTheLawTakes() {
        NotPredictable e = (NotPredictable) org.assertj.core.api.Assertions.catchThrowable(
                () -> new Predictor(card(Fitter.Law.ISOFLOP, Variable.PARAMS), "card").atModel(1e9, 2e10));
        assertThat(e.given()).isEqualTo(NotPredictable.Input.MODEL);
        assertThat(e.wanted()).containsExactly(NotPredictable.Input.BUDGET);
        assertThat(e).hasMessage("an isoflop card predicts allocations, not losses; give a budget");
        NotPredictable tokens = (NotPredictable) org.assertj.core.api.Assertions.catchThrowable(
                () -> new Predictor(card(Fitter.Law.POWER, Variable.TOKENS), "card").atModel(1e9, Double.NaN));
        assertThat(tokens).hasMessage("this power law is a function of tokens; give tokens");
    }
}
