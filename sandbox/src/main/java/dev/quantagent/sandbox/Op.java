package dev.quantagent.sandbox;

import java.util.List;

/**
 * One operator of the language, as listed in the {@link Operators} registry: the single source of truth for the
 * parser, the validator, the evaluator, the {@code ops} reference and the Writer's prompt.
 *
 * @param name        canonical name, used in canonical forms (lower case)
 * @param aliases     other accepted spellings (matched case-insensitively), e.g. Qlib's {@code Mean}
 * @param category    where the operator sits in the reference
 * @param params      parameter kinds, in order; trailing parameters with a default may be omitted
 * @param kernel      how the evaluator computes it (element-wise kernels also fold constants)
 * @param units       how its result's unit follows from its operands' ({@link AssetScale})
 * @param scaling     what multiplying an operand by a positive number does to its result ({@link Canonical})
 * @param minWindow   smallest allowed window for window parameters (e.g. 2 for a sample standard deviation)
 * @param commutative whether operands may be reordered in the canonical form
 * @param infix       the infix symbol used when printing ({@code null} for function syntax)
 * @param doc         one-line description for the reference
 */
public record Op(String name, List<String> aliases, Category category, List<Param> params, Kernel kernel,
                 AssetScale.Units units, Canonical.Scaling scaling, int minWindow, boolean commutative, String infix,
                 String doc) {

    public Op {
        aliases = List.copyOf(aliases);
        params = List.copyOf(params);
    }

    /** Operator families, as users browse them. */
    public enum Category {
        ARITHMETIC("Arithmetic and element-wise functions"),
        LOGIC("Comparisons and logic (1.0 true, 0.0 false, NaN if an operand is NaN)"),
        TIME_SERIES("Time-series operators (per asset, over the last d rows including today)"),
        CROSS_SECTION("Cross-sectional operators (per date, across assets)"),
        GROUP("Group operators (per date, within groups such as sectors)");

        private final String title;

        Category(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** What a parameter accepts. */
    public enum Kind {
        /** Any expression over the panel. */
        SERIES,
        /** A constant window length in rows; fractional values are floored. */
        WINDOW,
        /** A constant lag in rows, at least 0; negative lags would read the future and are rejected. */
        LAG,
        /** A constant number. */
        NUMBER,
        /** A grouping such as {@code IndClass.sector}. */
        GROUP
    }

    /**
     * A parameter.
     *
     * @param name         name shown in the reference
     * @param kind         what it accepts
     * @param defaultValue value used when omitted, or NaN when required
     */
    public record Param(String name, Kind kind, double defaultValue) {
        boolean optional() {
            return !Double.isNaN(defaultValue);
        }
    }

    /** Number of parameters that must be given. */
    int requiredArity() {
        int n = 0;
        for (Param p : params) {
            if (!p.optional()) {
                n++;
            }
        }
        return n;
    }

    /** The signature as users write it, e.g. {@code ts_mean(x, d)}. */
    public String signature() {
        StringBuilder sb = new StringBuilder(name).append('(');
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            if (i > 0) {
                sb.append(", ");
            }
            if (p.optional()) {
                sb.append('[').append(p.name()).append('=').append(Canonical.number(p.defaultValue())).append(']');
            } else {
                sb.append(p.name());
            }
        }
        return sb.append(')').toString();
    }
}
