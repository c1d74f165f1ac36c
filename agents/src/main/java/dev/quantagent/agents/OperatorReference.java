package dev.quantagent.agents;

import dev.quantagent.sandbox.Op;
import dev.quantagent.sandbox.Operators;

/**
 * The operator reference as text, generated from the registry: {@code quantagent ops} prints it and the LLM Writer's
 * prompt carries it, so neither can drift from what the parser accepts.
 */
public final class OperatorReference {

    private OperatorReference() {
    }

    public static String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("QuantAgent factor language\n\n");
        sb.append("Fields: any numeric column of the data (open high low close volume vwap cap funding_rate ...),\n")
                .append("  written plain or Qlib-style ($close); derived when absent: returns = close/delay(close,1)-1,\n")
                .append("  vwap = (high+low+close)/3, adv{d} = ts_mean(volume*vwap, d). Names are case-insensitive.\n")
                .append("Windows d count today and the d-1 rows before; fractional d is floored; a window with a\n")
                .append("  missing value gives a missing result. NaN is missing; results are never infinite.\n")
                .append("Infix: + - * / ^, < <= > >= == !=, && || (also & |), !x, unary minus, c ? a : b.\n\n");
        for (Op.Category c : Op.Category.values()) {
            sb.append(c.title()).append('\n');
            for (Op op : Operators.all()) {
                if (op.category() != c) {
                    continue;
                }
                String sig = op.infix() != null && op.params().size() == 2
                        ? op.signature() + "  [a " + op.infix() + " b]" : op.signature();
                sb.append(String.format("  %-34s %s", sig, op.doc()));
                if (!op.aliases().isEmpty()) {
                    sb.append("  (also: ").append(String.join(", ", op.aliases())).append(')');
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        sb.append("Overloads: min/max(x, <number>) are ts_min/ts_max; min/max(x, y) are element-wise;\n")
                .append("  rank(x) is cross-sectional, Rank(x, d) (Qlib) is ts_rank. Ref/delay with a negative lag\n")
                .append("  (look-ahead) is rejected.\n");
        return sb.toString();
    }
}
