package dev.scalelab.cli;

import dev.scalelab.fitting.Fitter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code --law}'s values and help, from the law registry ({@link Fitter.Law}). */
final class LawOption {
    private LawOption() {
    }

    /** The registry's laws by id (case-insensitive, as for other options' choices). */
    static final class Converter implements CommandLine.ITypeConverter<Fitter.Law>, Iterable<String> {
        @Override
        public Fitter.Law convert(String value) {
            Fitter.Law law = Fitter.Law.of(value.toLowerCase(Locale.ROOT));
            if (law == null) {
                throw new CommandLine.TypeConversionException("expected one of " + Fitter.Law.ids()
                        + " (case-insensitive) but was '" + value + "'");
            }
            return law;
        }

        @Override
        public java.util.Iterator<String> iterator() {
            return Fitter.Law.ids().iterator();
        }
    }

    /** The help's list of laws, each with its formula and source from the law registry ({@link Fitter.Law}). */
    static final class Help implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            java.util.function.Function<Fitter.Law, String> entry = l -> l.id() + " " + l.summary();
            List<String> joint = Arrays.stream(Fitter.Law.values()).filter(l -> !l.oneVariable()).map(entry).toList();
            List<String> one = Arrays.stream(Fitter.Law.values()).filter(Fitter.Law::oneVariable).map(entry).toList();
            String laws = "Laws: " + String.join(", ", joint) + (one.isEmpty() ? "" : ", and in one variable --x: "
                    + (one.size() == 1 ? one.get(0) : String.join(", ", one.subList(0, one.size() - 1)) + " and "
                    + one.get(one.size() - 1))) + ".";
            String[] description = spec.usageMessage().description();
            for (int i = 0; i < description.length; i++) {
                if (description[i].startsWith("Laws:")) {
                    description[i] = laws;
                }
            }
            spec.usageMessage().description(description);
            return spec;
        }
    }

}
