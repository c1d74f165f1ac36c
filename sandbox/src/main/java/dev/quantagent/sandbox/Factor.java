package dev.quantagent.sandbox;

import java.util.List;

/**
 * A parsed and validated formula, ready to evaluate over any panel that has its fields.
 *
 * @param formula    the text as written
 * @param expr       the resolved syntax tree as written (constants folded, windows floored)
 * @param canonical  the canonical form: one spelling for every way of writing the same factor
 * @param hash       16 hex digits of the SHA-256 of the canonical form
 * @param complexity size figures of the canonical form
 * @param fields     fields the formula reads, sorted (derived ones such as {@code returns} included)
 * @param lookback   rows of history needed before the first value can exist (sum of windows and lags along the
 *                   longest path, minus one per window)
 */
public record Factor(String formula, Expr expr, String canonical, String hash, Complexity complexity,
                     List<String> fields, int lookback) {

    public Factor {
        fields = List.copyOf(fields);
    }
}
