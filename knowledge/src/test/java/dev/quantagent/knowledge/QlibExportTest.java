package dev.quantagent.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.PublishedFormulas;
import dev.quantagent.sandbox.Sandbox;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The Qlib export is loadable by Qlib: every line parses under the rules of Qlib's expression loader, and what it
 * computes is what the factor computes.
 */
class QlibExportTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);
    private static final Panel PANEL = randomWalks(12, 260, 7L);

    /** Every operator the export translates, and the derived fields. */
    private static final List<String> COVERING = List.of(
            "-ts_sum(returns, 5)", "(close - open) / (high - low) * volume / ts_mean(volume, 20)",
            "-stddev(returns, 20)", "delay(close, 3) / close", "delay(close, 0) - open", "delta(log(close), 2)",
            "ts_var(returns, 10)", "ts_skew(returns, 10)", "ts_kurt(returns, 10)", "ts_min(low, 5) / ts_max(high, 5)",
            "ts_argmin(close, 10) - ts_argmax(close, 10)", "ts_rank(volume, 10)", "ts_median(returns, 9)",
            "ts_mad(returns, 9)", "ts_quantile(close, 10, 0.8) / close", "ts_count(returns, 5)", "ema(close, 10) / close",
            "ts_slope(close, 10) / close", "ts_rsquare(close, 10)", "ts_resi(close, 10) / close",
            "correlation(close, volume, 10)", "covariance(returns, volume / adv20, 10)", "abs(returns) * sign(returns)",
            "max(close, open) / min(close, open)", "close > open ? returns : -returns",
            "(close > open) && (volume > delay(volume, 1)) ? 1 : 0", "!(close < open) || (high == low)",
            "sqrt(volume) / ts_mean(sqrt(volume), 10)", "returns ^ 2", "signedpower(returns, 0.5)",
            "ts_zscore(close, 20)", "regbeta(returns, delay(returns, 1), 20)", "regresi(returns, delay(returns, 1), 20)",
            "decay_linear(returns, 5)", "decay_linear(close / open, 10) * 0.25 + vwap / close");

    /** Daily bars of {@code assets} random walks: open, high, low, close, volume and a vwap inside the range. */
    private static Panel randomWalks(int assets, int dates, long seed) {
        Random rnd = new Random(seed);
        long[] days = new long[dates];
        for (int t = 0; t < dates; t++) {
            days[t] = 1_600_000_000L + 86_400L * t;
        }
        String[] symbols = new String[assets];
        int cells = assets * dates;
        double[] open = new double[cells];
        double[] high = new double[cells];
        double[] low = new double[cells];
        double[] close = new double[cells];
        double[] volume = new double[cells];
        double[] vwap = new double[cells];
        for (int a = 0; a < assets; a++) {
            symbols[a] = "S" + a;
            double previous = 50 + 100 * rnd.nextDouble();
            for (int t = 0; t < dates; t++) {
                int i = a * dates + t;
                open[i] = previous * Math.exp(0.005 * rnd.nextGaussian());
                close[i] = previous * Math.exp(0.02 * rnd.nextGaussian());
                high[i] = Math.max(open[i], close[i]) * (1 + 0.01 * rnd.nextDouble());
                low[i] = Math.min(open[i], close[i]) * (1 - 0.01 * rnd.nextDouble());
                vwap[i] = low[i] + (high[i] - low[i]) * rnd.nextDouble();
                volume[i] = 1000 + rnd.nextInt(100_000);
                previous = close[i];
            }
        }
        return Panel.builder(days, symbols).field("open", open).field("high", high).field("low", low)
                .field("close", close).field("volume", volume).field("vwap", vwap).build();
    }

    @Test
    void everyExportedLineParsesUnderQlibsExpressionRules() {
        List<String> formulas = new ArrayList<>(COVERING);
        PublishedFormulas.alpha101().forEach(f -> formulas.add(f.formula()));
        PublishedFormulas.alpha158().forEach(f -> formulas.add(f.formula()));
        int translated = 0;
        for (String formula : formulas) {
            QlibExport.Translation t = QlibExport.translate(SANDBOX, formula);
            if (t.expression() != null) {
                QlibGrammar.parse(t.expression());
                translated++;
            } else {
                assertNotNull(t.whyNot(), formula);
            }
        }
        // all of Alpha158 is per instrument; most of Alpha101 ranks across instruments
        assertTrue(translated >= COVERING.size() + 158, "translated " + translated + " of " + formulas.size());
    }

    @Test
    void anExportedExpressionComputesWhatTheFactorComputes() {
        List<String> formulas = new ArrayList<>(COVERING);
        PublishedFormulas.alpha158().forEach(f -> formulas.add(f.formula()));
        for (String formula : formulas) {
            QlibExport.Translation t = QlibExport.translate(SANDBOX, formula);
            assertNotNull(t.expression(), formula + ": " + t.whyNot());
            // QuantAgent reads Qlib's dialect with Qlib's operator semantics on full windows
            double[] expected = SANDBOX.evaluator(PANEL).evaluate(SANDBOX.parse(formula)).clone();
            double[] actual = SANDBOX.evaluator(PANEL).evaluate(SANDBOX.parse(t.expression()));
            int compared = 0;
            for (int i = 0; i < expected.length; i++) {
                if (expected[i] == expected[i] && actual[i] == actual[i]) {
                    assertEquals(expected[i], actual[i], 1e-9 * Math.max(1, Math.abs(expected[i])),
                            formula + " as " + t.expression() + " at cell " + i);
                    compared++;
                } else {
                    assertEquals(expected[i] != expected[i], actual[i] != actual[i],
                            formula + " as " + t.expression() + ": missing in one only at cell " + i);
                }
            }
            assertTrue(compared > 0, formula);
        }
    }

    @Test
    void whatQlibCannotExpressIsLeftOutWithTheReason() {
        assertTrue(QlibExport.translate(SANDBOX, "rank(volume)").whyNot().startsWith("rank is cross-sectional"));
        assertTrue(QlibExport.translate(SANDBOX, "indneutralize(returns, IndClass.sector)").whyNot()
                .startsWith("indneutralize is cross-sectional"));
        assertEquals("exp has no Qlib operator", QlibExport.translate(SANDBOX, "exp(returns)").whyNot());
        assertTrue(QlibExport.translate(SANDBOX, "(close ^ returns)").whyNot().startsWith("a power whose exponent"));
        assertTrue(QlibExport.translate(SANDBOX, "returns && volume").whyNot().startsWith("and of numbers"));
        assertNull(QlibExport.translate(SANDBOX, "ts_mean(returns, 5)").whyNot());
    }

    @Test
    void theFileListsEveryFactorOnceAsALineOrACommentWithItsReason() throws Exception {
        List<FactorRecord> all = List.of(record(1, "short-term reversal, smoothed", "-ts_sum(returns, 5)"),
                record(2, "short-term reversal, smoothed", "rank(-ts_sum(returns, 5))"),
                record(3, null, "Mean($close, 5) / $close"));
        StringWriter out = new StringWriter();
        QlibExport.write(all, out);
        String[] lines = out.toString().split("\n");
        assertEquals(4, lines.length, out.toString());
        assertTrue(lines[0].startsWith("# QuantAgent factors as Qlib expressions, name<TAB>expression: 2 of 3 "
                + "translated"), lines[0]);
        assertEquals("short_term_reversal_smoothed\t(-1 * Sum((($close / Ref($close, 1)) - 1), 5))", lines[1]);
        assertTrue(lines[2].startsWith("# short_term_reversal_smoothed_2 (#2): not exported: rank is "
                + "cross-sectional"), lines[2]);
        assertTrue(lines[2].endsWith("; in QuantAgent: rank(-ts_sum(returns, 5))"), lines[2]);
        assertEquals("factor_3\t(Mean($close, 5) / $close)", lines[3]);
        for (String l : lines) {
            if (!l.startsWith("#")) {
                QlibGrammar.parse(l.split("\t")[1]);
            }
        }
    }

    private static FactorRecord record(long id, String name, String formula) {
        return FactorRecord.builder(SANDBOX.parse(formula)).id(id).name(name).build();
    }

    /**
     * The rules an expression must follow for Qlib's loader ({@code qlib.utils.parse_field} rewrites {@code $x} as
     * {@code Feature("x")} and {@code Name(} as {@code Operators.Name(}, then Python evaluates it over the operator
     * classes of {@code qlib.data.ops}): only Qlib's operators, with their arities; integer windows (Skew at least 3,
     * Kurt at least 4); a feature, never a bare number, where an operator loads its argument; an infix operation
     * always in parentheses with an expression on at least one side (Python would otherwise compare or combine two
     * numbers, and its precedence puts {@code &} above comparisons); no unary minus but on a number.
     */
    static final class QlibGrammar {
        /** Argument kinds: F a feature expression, E any expression, N an integer window, Q a number. */
        private static final Map<String, String> OPS = Map.ofEntries(Map.entry("Ref", "FN"), Map.entry("Max", "FN"),
                Map.entry("Min", "FN"), Map.entry("Sum", "FN"), Map.entry("Mean", "FN"), Map.entry("Std", "FN"),
                Map.entry("Var", "FN"), Map.entry("Skew", "FN"), Map.entry("Kurt", "FN"), Map.entry("Med", "FN"),
                Map.entry("Mad", "FN"), Map.entry("Slope", "FN"), Map.entry("Rsquare", "FN"),
                Map.entry("Resi", "FN"), Map.entry("Rank", "FN"), Map.entry("Quantile", "FNQ"),
                Map.entry("Count", "FN"), Map.entry("EMA", "FN"), Map.entry("WMA", "FN"), Map.entry("Corr", "FFN"),
                Map.entry("Cov", "FFN"), Map.entry("Delta", "FN"), Map.entry("Abs", "F"), Map.entry("Sign", "F"),
                Map.entry("Log", "F"), Map.entry("Power", "FQ"), Map.entry("Greater", "EE"),
                Map.entry("Less", "EE"), Map.entry("Not", "F"), Map.entry("IdxMax", "FN"),
                Map.entry("IdxMin", "FN"), Map.entry("If", "FEE"));
        private static final Pattern TOKEN = Pattern.compile(
                "\\s*(\\$\\w+|[A-Za-z_]\\w*\\(|-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?|<=|>=|==|!=|[()+\\-*/<>&|,])");

        private final List<String> tokens = new ArrayList<>();
        private int at;

        private QlibGrammar(String text) {
            Matcher m = TOKEN.matcher(text);
            int end = 0;
            while (m.lookingAt()) {
                tokens.add(m.group(1));
                end = m.end();
                m.region(end, text.length());
            }
            if (end != text.length()) {
                throw new AssertionError("not a Qlib token at " + end + " in " + text);
            }
        }

        static void parse(String text) {
            QlibGrammar g = new QlibGrammar(text);
            g.expression();
            if (g.at != g.tokens.size()) {
                throw new AssertionError("trailing tokens in " + text);
            }
        }

        /** Parses one expression; returns whether it is a bare number. */
        private boolean expression() {
            String t = next();
            if (t.startsWith("$")) {
                return false;
            }
            if (t.matches("-?\\d.*")) {
                return true;
            }
            if (t.length() > 1 && t.endsWith("(")) {
                call(t.substring(0, t.length() - 1));
                return false;
            }
            if (t.equals("(")) {
                boolean leftNumber = expression();
                String op = next();
                if (!op.matches("[+\\-*/<>&|]|<=|>=|==|!=")) {
                    throw new AssertionError("expected an infix operator, got " + op);
                }
                boolean rightNumber = expression();
                expect(")");
                if (leftNumber && rightNumber) {
                    throw new AssertionError("an infix operation of two numbers");
                }
                return false;
            }
            throw new AssertionError("unexpected " + t);
        }

        private void call(String name) {
            String kinds = OPS.get(name);
            if (kinds == null) {
                throw new AssertionError("Qlib has no operator " + name);
            }
            for (int i = 0; i < kinds.length(); i++) {
                if (i > 0) {
                    expect(",");
                }
                char k = kinds.charAt(i);
                if (k == 'N' || k == 'Q') {
                    String n = next();
                    if (k == 'N' && !n.matches("\\d+")) {
                        throw new AssertionError(name + " needs an integer window, got " + n);
                    }
                    if (k == 'N') {
                        int w = Integer.parseInt(n);
                        int least = name.equals("Skew") ? 3 : name.equals("Kurt") ? 4 : 1;
                        if (w < least) {
                            throw new AssertionError(name + " window " + w + " below " + least);
                        }
                    } else if (!n.matches("-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?")) {
                        throw new AssertionError(name + " needs a number, got " + n);
                    }
                } else if (expression() && k == 'F') {
                    throw new AssertionError(name + " loads its argument " + i + ", which is a bare number");
                }
            }
            expect(")");
        }

        private String next() {
            if (at >= tokens.size()) {
                throw new AssertionError("the expression ends early");
            }
            return tokens.get(at++);
        }

        private void expect(String t) {
            String got = next();
            if (!got.equals(t)) {
                throw new AssertionError("expected " + t + ", got " + got);
            }
        }
    }
}
