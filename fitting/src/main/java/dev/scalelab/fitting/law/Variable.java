package dev.scalelab.fitting.law;

import java.util.Locale;

/** The variable a one-variable law is a function of. */
public enum Variable {
    PARAMS("N"), TOKENS("D"), FLOPS("C");

    private final String symbol;

    Variable(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public double of(Point p) {
        return switch (this) {
            case PARAMS -> p.params();
            case TOKENS -> p.tokens();
            case FLOPS -> p.flops();
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The variable of this id (a card's {@code variable}), or null for null or an unknown id. */
    public static Variable of(String id) {
        for (Variable v : values()) {
            if (v.id().equals(id)) {
                return v;
            }
        }
        return null;
    }
}
