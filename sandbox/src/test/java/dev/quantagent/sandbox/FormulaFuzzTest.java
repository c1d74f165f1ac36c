package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The formula part of the hostile-input campaign, in seconds: random token soup and random well-formed trees over the
 * whole registry, parsed and evaluated on a small panel with gaps, late starters and ties. Whatever a stranger or an
 * LLM writes, the answer is a value array or a {@link FormulaException}: never another exception, never a hang.
 */
class FormulaFuzzTest {

    private static final Panel PANEL = TestPanels.random(90, 11, 5);
    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);
    private static final List<Op> OPS = Operators.all();
    private static final String[] FIELDS = {"close", "open", "high", "low", "volume", "vwap", "returns", "cap",
        "adv20", "$close", "Close", "funding_rate", "IndClass.sector", "IndClass.industry", "IndClass.subindustry",
        "IndClass.nosuch"};
    private static final String[] NUMBERS = {"0", "1", "-1", "2", "5", "0.5", "3.7", "1e308", "-1e308", "1e-320",
        "5000", "5001", "99999999999", "NaN", "inf", "0.0", "-0", "2.5e2", "1e", ".", "1..2"};
    private static final String[] PUNCTUATION = {"(", ")", ",", "?", ":", "+", "-", "*", "/", "^", "<", ">", "<=",
        ">=", "==", "!=", "&&", "||", "&", "|", "!", "=", "@", "#", "\"", "'", "\u2212", "\u0000", "\n", " ", "[",
        "]", "{", "}", ";", "\\", "$", "."};

    @Test
    void tokenSoupIsParsedAndEvaluatedOrRefusedWithAFormulaException() {
        Random r = new Random(25);
        long started = System.nanoTime();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int tokens = 1 + r.nextInt(24);
            for (int k = 0; k < tokens; k++) {
                sb.append(token(r)).append(r.nextInt(4) == 0 ? " " : "");
            }
            check(sb.toString());
        }
        assertTrue(System.nanoTime() - started < 30_000_000_000L, "the token soup took over 30 s");
    }

    @Test
    void randomTreesOverTheWholeRegistryEvaluateOrAreRefusedWithAFormulaException() {
        Random r = new Random(2025);
        long started = System.nanoTime();
        int evaluated = 0;
        for (int i = 0; i < 8000; i++) {
            if (check(tree(r, 1 + r.nextInt(4)))) {
                evaluated++;
            }
        }
        assertTrue(evaluated > 3000, "too few trees were valid to exercise the kernels: " + evaluated);
        assertTrue(System.nanoTime() - started < 60_000_000_000L, "the trees took over 60 s");
    }

    @Test
    void aGroupingOnItsOwnIsRefusedNotEvaluated() {
        for (String g : List.of("IndClass.sector", "indclass.industry", "  IndClass.subindustry ")) {
            FormulaException e = org.junit.jupiter.api.Assertions.assertThrows(FormulaException.class,
                    () -> SANDBOX.parse(g));
            assertEquals(FormulaException.Kind.GROUP, e.kind());
            assertTrue(e.getMessage().contains("a grouping, not a factor"), e.getMessage());
        }
    }

    /**
     * Parses and evaluates a formula; returns whether it evaluated. Anything but a FormulaException fails the test,
     * naming the formula; a value array must cover the panel and hold no infinity.
     */
    private static boolean check(String formula) {
        Factor f;
        try {
            f = SANDBOX.parse(formula);
        } catch (FormulaException e) {
            return false;
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("parsing " + quoted(formula) + " threw " + e, e);
        }
        double[] v;
        try {
            v = SANDBOX.evaluator(PANEL).evaluate(f);
        } catch (FormulaException e) {
            return false;
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("evaluating " + quoted(formula) + " threw " + e, e);
        }
        assertEquals(PANEL.cells(), v.length, formula);
        for (double x : v) {
            if (Double.isInfinite(x)) {
                fail("evaluating " + quoted(formula) + " gave an infinite value");
            }
        }
        return true;
    }

    private static String token(Random r) {
        return switch (r.nextInt(5)) {
            case 0, 1 -> {
                Op op = OPS.get(r.nextInt(OPS.size()));
                List<String> names = new ArrayList<>(op.aliases());
                names.add(op.name());
                yield names.get(r.nextInt(names.size()));
            }
            case 2 -> FIELDS[r.nextInt(FIELDS.length)];
            case 3 -> NUMBERS[r.nextInt(NUMBERS.length)];
            default -> PUNCTUATION[r.nextInt(PUNCTUATION.length)];
        };
    }

    /** A call tree that mostly fits the operators' signatures (windows, lags, groups), sometimes not. */
    private static String tree(Random r, int depth) {
        if (depth == 0 || r.nextInt(6) == 0) {
            return r.nextInt(8) == 0 ? NUMBERS[r.nextInt(NUMBERS.length)] : FIELDS[r.nextInt(9)];
        }
        Op op = OPS.get(r.nextInt(OPS.size()));
        List<String> args = new ArrayList<>();
        int given = op.params().size() - (r.nextInt(3) == 0 ? r.nextInt(op.params().size() + 1) : 0);
        for (int i = 0; i < given; i++) {
            Op.Param p = op.params().get(i);
            args.add(switch (p.kind()) {
                case SERIES -> tree(r, depth - 1);
                case WINDOW -> String.valueOf(r.nextInt(10) == 0 ? r.nextInt(200) - 50 : 1 + r.nextInt(30));
                case LAG -> String.valueOf(r.nextInt(10) == 0 ? -1 - r.nextInt(3) : r.nextInt(12));
                case NUMBER -> r.nextBoolean() ? String.valueOf(r.nextDouble()) : NUMBERS[r.nextInt(NUMBERS.length)];
                case GROUP -> FIELDS[12 + r.nextInt(4)];
            });
        }
        if (op.infix() != null && args.size() == 2 && r.nextBoolean()) {
            return "(" + args.get(0) + " " + op.infix() + " " + args.get(1) + ")";
        }
        if (op.name().equals("if") && args.size() == 3 && r.nextBoolean()) {
            return "(" + args.get(0) + " ? " + args.get(1) + " : " + args.get(2) + ")";
        }
        return op.name() + "(" + String.join(", ", args) + ")";
    }

    private static String quoted(String formula) {
        return "\"" + formula.replace("\n", "\\n") + "\"";
    }
}
