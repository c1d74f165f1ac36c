package dev.quantagent.agents;

import dev.quantagent.sandbox.AssetScale;
import dev.quantagent.sandbox.Expr;
import dev.quantagent.sandbox.Expr.Call;
import dev.quantagent.sandbox.Expr.Field;
import dev.quantagent.sandbox.Expr.Num;
import dev.quantagent.sandbox.Expressions;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Op;
import dev.quantagent.sandbox.PublishedFormulas;
import dev.quantagent.sandbox.Sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Writer that needs no network: an evolutionary search over formula trees. It starts as a quant would, with the
 * classic anomalies ({@link Concepts}: the run's first ideas are each one of them, plain); later fresh ideas come from
 * those concepts transformed or combined (smoothed, ranked in time, multiplied), from a library of building blocks
 * (every small operator sub-tree of the 101 Formulaic Alphas and of Alpha158 that the data can compute) and from the
 * knowledge base's best factors, mutated or crossed. Every idea is named and explained from what it was built of
 * ("short-term reversal over 5 days, smoothed over 10 days"). It never proposes what the Judge's rules refuse on
 * sight: a formula in price or volume units ({@link AssetScale}) or beyond its size. Refinements answer the Judge:
 * a reversed signal is negated, high turnover is smoothed, redundancy gets a structural change (crossover, operator
 * or field swap) rather than a parameter tweak, complexity and overfitting are simplified, low coverage gets shorter
 * windows, and a weak signal gets a random mutation. Deterministic for a seed: the same seed, verdicts and context
 * give the same formulas.
 */
public final class OfflineWriter implements Writer {

    private static final int[] WINDOWS = {2, 3, 5, 10, 15, 20, 30, 40, 60};
    private static final int MAX_NODES = 30;
    private static final int ATTEMPTS = 24;
    /** Operators that can stand in for each other (same arguments, related meaning). */
    private static final List<List<String>> SWAPS = List.of(
            List.of("ts_mean", "decay_linear", "ema", "ts_median"),
            List.of("ts_max", "ts_min", "ts_median"),
            List.of("ts_argmax", "ts_argmin"),
            List.of("stddev", "ts_mad", "ts_var"),
            List.of("rank", "zscore"),
            List.of("delta", "ts_zscore"),
            List.of("ts_rank", "ts_zscore"),
            List.of("correlation", "covariance"),
            List.of("add", "sub"),
            List.of("mul", "div"),
            List.of("greater", "less"));

    private final Sandbox sandbox;
    private final SplittableRandom random;
    private final List<String> library;
    private final List<Concepts.Concept> concepts;
    /** The idea's number in its run: the first ideas are the classic concepts in turn (-1: none). */
    private final int idea;
    private final String unit;

    /**
     * @param sandbox parses and validates every candidate
     * @param seed    the search is deterministic for a seed
     * @param fields  fields the data offers (building blocks using others are left out)
     */
    public OfflineWriter(Sandbox sandbox, long seed, List<String> fields) {
        this(sandbox, seed, buildingBlocks(sandbox, fields), concepts(sandbox, fields), -1, "daily");
    }

    /**
     * With a library and concepts built once and shared (a run makes one writer per candidate, each with its own seed
     * and idea number).
     */
    OfflineWriter(Sandbox sandbox, long seed, List<String> library, List<Concepts.Concept> concepts, int idea,
                  String frequency) {
        this.sandbox = sandbox;
        this.random = new SplittableRandom(seed);
        this.library = List.copyOf(library);
        this.concepts = List.copyOf(concepts);
        this.idea = idea;
        this.unit = frequency.equals("daily") ? "days" : "bars";
        if (library.isEmpty()) {
            throw new IllegalArgumentException("no building block can be computed from the data's fields");
        }
    }

    /** The concepts whose fields the data has. */
    static List<Concepts.Concept> concepts(Sandbox sandbox, List<String> fields) {
        List<Concepts.Concept> out = new ArrayList<>();
        for (Concepts.Concept c : Concepts.ALL) {
            int w = c.windows().length == 0 ? 0 : c.windows()[0];
            try {
                if (fields.containsAll(sandbox.parse(c.formula(w)).fields())) {
                    out.add(c);
                }
            } catch (FormulaException e) {
                throw new IllegalStateException("concept " + c.name() + " does not parse: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The building blocks, in a stable order. */
    public List<String> library() {
        return library;
    }

    @Override
    public Draft draft(WriterContext context) {
        if (idea >= 0 && idea < concepts.size()) {
            // the run's first ideas: each classic concept once, as it is
            Concepts.Concept c = concepts.get(idea);
            int w = window(c);
            Draft d = accept(parse(c.formula(w)), c.title(w, unit), capitalised(c.story()), null);
            if (d != null) {
                return d;
            }
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Expr tree;
            String name;
            String story;
            double u = random.nextDouble();
            if (!context.successes().isEmpty() && u < 0.25) {
                String base = context.successes().get(random.nextInt(context.successes().size()));
                tree = mutate(parse(base), context);
                name = "variation of an accepted factor";
                story = "A mutation of the accepted factor " + base + ", to find a better or a different version of "
                        + "what worked";
            } else if (u < 0.6 && !concepts.isEmpty()) {
                Concepts.Concept c = concepts.get(random.nextInt(concepts.size()));
                int w = window(c);
                tree = parse(c.formula(w));
                name = c.title(w, unit);
                story = capitalised(c.story());
                switch (random.nextInt(4)) {
                    case 0 -> {
                        int n = WINDOWS[3 + random.nextInt(4)];
                        boolean linear = random.nextBoolean();
                        tree = Expressions.call(linear ? "decay_linear" : "ts_mean", tree, new Num(n, 0));
                        name += String.format(Locale.ROOT, ", smoothed over %d %s", n, unit);
                        story += String.format(Locale.ROOT, "; smoothed over %d %s%s, to trade less", n, unit,
                                linear ? " with linearly decaying weights" : "");
                    }
                    case 1 -> {
                        int n = WINDOWS[4 + random.nextInt(5)];
                        tree = Expressions.call("ts_rank", tree, new Num(n, 0));
                        name += String.format(Locale.ROOT, ", against its own last %d %s", n, unit);
                        story += String.format(Locale.ROOT, "; measured against the stock's own last %d %s, so "
                                + "that each stock is compared with its own history", n, unit);
                    }
                    case 2 -> {
                        Concepts.Concept d = concepts.get(random.nextInt(concepts.size()));
                        int wd = window(d);
                        if (d != c) {
                            boolean product = random.nextBoolean();
                            Expr other = parse(d.formula(wd));
                            tree = product ? Expressions.call("mul", tree, other)
                                    : Expressions.call("add", Expressions.call("rank", tree),
                                    Expressions.call("rank", other));
                            name += (product ? " times " : " plus ") + d.title(wd, unit);
                            story += "; " + (product ? "confirmed by " : "together with ") + d.name() + ": "
                                    + d.story();
                        }
                    }
                    default -> {
                        // as it is
                    }
                }
            } else if (u < 0.82) {
                tree = mutate(parse(pick(library)), context);
                name = "mutated building block";
                story = "A mutation of a building block of the published formula libraries";
            } else {
                tree = combine(parse(pick(library)), parse(pick(library)));
                name = "two building blocks combined";
                story = "A combination of two building blocks of the published formula libraries";
            }
            Draft d = accept(tree, name, story, null);
            if (d != null) {
                return d;
            }
        }
        return accept(parse(library.get(0)), "building block", "A building block of the published formula libraries",
                null);
    }

    private int window(Concepts.Concept c) {
        return c.windows().length == 0 ? 0 : c.windows()[random.nextInt(c.windows().length)];
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    @Override
    public Draft refine(Draft previous, Verdict verdict, WriterContext context) {
        Factor parent;
        try {
            parent = sandbox.parse(previous.formula());
        } catch (FormulaException e) {
            return draft(context);
        }
        Expr base = parent.expr();
        String before = parent.canonical();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Expr tree;
            String move;
            String why;
            if (verdict.has(Feedback.Category.NEGATIVE_IC)) {
                tree = Expressions.call("mul", new Num(-1, 0), base);
                move = "reversed";
                why = "its signal worked in reverse";
            } else if (verdict.has(Feedback.Category.DUPLICATE) || verdict.has(Feedback.Category.REDUNDANT)
                    || verdict.has(Feedback.Category.STRUCTURAL_COPY)) {
                tree = random.nextBoolean() ? combine(base, parse(pick(library))) : swapOperator(base);
                move = "restructured";
                why = "it repeated a known factor";
            } else if (verdict.has(Feedback.Category.SCALE_DEPENDENT)) {
                // a per-asset normalisation in time removes each asset's own price and volume scale
                int n = WINDOWS[2 + random.nextInt(WINDOWS.length - 2)];
                tree = Expressions.call(random.nextBoolean() ? "ts_rank" : "ts_zscore", base, new Num(n, 0));
                move = String.format(Locale.ROOT, "against its own last %d %s", n, unit);
                why = "it compared stocks by their price or volume level";
            } else if (verdict.has(Feedback.Category.HIGH_TURNOVER) || verdict.has(Feedback.Category.COST_DRAG)) {
                boolean smoothed = random.nextBoolean();
                tree = smoothed ? smooth(base) : lengthenWindows(base);
                move = smoothed ? "smoothed" : "over longer windows";
                why = "it traded too much for its edge";
            } else if (verdict.has(Feedback.Category.TOO_COMPLEX) || verdict.has(Feedback.Category.UNSTABLE)) {
                boolean simpler = random.nextBoolean();
                tree = simpler ? simplify(base) : lengthenWindows(base);
                move = simpler ? "simplified" : "over longer windows";
                why = verdict.has(Feedback.Category.UNSTABLE) ? "it did not hold throughout train"
                        : "it was more complex than its signal justified";
            } else if (verdict.has(Feedback.Category.LOW_COVERAGE)) {
                tree = shortenWindows(base);
                move = "over shorter windows";
                why = "it had too few values";
            } else if (verdict.has(Feedback.Category.INVALID) || verdict.has(Feedback.Category.LEAKAGE)) {
                return draft(context);
            } else {
                tree = mutate(base, context);
                move = "mutated";
                why = "its signal was too weak";
            }
            Draft d = accept(tree, refinedName(previous.name(), move), previous.hypothesis().replaceAll("\\.$", "")
                    + "; then " + move + ", as " + why, previous.formula());
            if (d != null && !sandbox.parse(d.formula()).canonical().equals(before)) {
                return new Draft(d.name(), d.hypothesis(), d.formula(), "Expect it to keep what worked and fix: "
                        + verdict.summary(), d.parent());
            }
        }
        return draft(context);
    }

    /** The idea's name with the latest move: the first two parts of the name it had, then the move. */
    private static String refinedName(String previous, String move) {
        String[] parts = previous.split(", ");
        String base = parts.length > 2 ? parts[0] + ", " + parts[1] : previous;
        return base + ", " + move;
    }

    // --------------------------------------------------------------------------------------------- moves

    private Expr mutate(Expr e, WriterContext context) {
        return switch (random.nextInt(6)) {
            case 0 -> changeWindow(e);
            case 1 -> swapField(e, context.fields());
            case 2 -> swapOperator(e);
            case 3 -> wrap(e);
            case 4 -> combine(e, parse(pick(library)));
            default -> simplify(e);
        };
    }

    /** Joins two ideas: a sum or product of their cross-sectional ranks, or one conditioned on the other. */
    private Expr combine(Expr a, Expr b) {
        Expr ra = Expressions.call("rank", a);
        Expr rb = Expressions.call("rank", b);
        return switch (random.nextInt(3)) {
            case 0 -> Expressions.call("add", ra, rb);
            case 1 -> Expressions.call("mul", ra, rb);
            default -> {
                // replace a random sub-tree of a with b (sub-tree crossover)
                List<Expr> nodes = Expressions.nodes(a);
                yield Expressions.replace(a, nodes.get(random.nextInt(nodes.size())), b);
            }
        };
    }

    private Expr wrap(Expr e) {
        return switch (random.nextInt(5)) {
            case 0 -> Expressions.call("rank", e);
            case 1 -> Expressions.call("ts_mean", e, new Num(pickWindow(), 0));
            case 2 -> Expressions.call("decay_linear", e, new Num(pickWindow(), 0));
            case 3 -> Expressions.call("ts_rank", e, new Num(pickWindow(), 0));
            default -> Expressions.call("mul", new Num(-1, 0), e);
        };
    }

    private Expr smooth(Expr e) {
        return Expressions.call(random.nextBoolean() ? "ts_mean" : "decay_linear", e,
                new Num(WINDOWS[3 + random.nextInt(4)], 0));
    }

    /** Replaces a random operator node by one of its series arguments. */
    private Expr simplify(Expr e) {
        List<Call> calls = calls(e);
        if (calls.isEmpty()) {
            return e;
        }
        Call c = calls.get(random.nextInt(calls.size()));
        List<Expr> series = new ArrayList<>();
        for (int i = 0; i < c.args().size(); i++) {
            if (c.op().params().get(i).kind() == Op.Kind.SERIES) {
                series.add(c.arg(i));
            }
        }
        return series.isEmpty() ? e : Expressions.replace(e, c, series.get(random.nextInt(series.size())));
    }

    private Expr changeWindow(Expr e) {
        List<Num> windows = windows(e);
        if (windows.isEmpty()) {
            return wrap(e);
        }
        Num w = windows.get(random.nextInt(windows.size()));
        return Expressions.replace(e, w, new Num(pickWindow(), w.pos()));
    }

    private Expr lengthenWindows(Expr e) {
        Expr out = e;
        for (Num w : windows(e)) {
            out = Expressions.replace(out, w, new Num(Math.min(120, Math.max(w.value() + 1, w.value() * 2)), w.pos()));
        }
        return out == e ? smooth(e) : out;
    }

    private Expr shortenWindows(Expr e) {
        Expr out = e;
        for (Num w : windows(e)) {
            out = Expressions.replace(out, w, new Num(Math.max(2, Math.floor(w.value() / 2)), w.pos()));
        }
        return out;
    }

    private Expr swapField(Expr e, List<String> fields) {
        List<Field> present = new ArrayList<>();
        for (Expr n : Expressions.nodes(e)) {
            if (n instanceof Field f) {
                present.add(f);
            }
        }
        if (present.isEmpty() || fields.isEmpty()) {
            return changeWindow(e);
        }
        Field f = present.get(random.nextInt(present.size()));
        return Expressions.replace(e, f, new Field(fields.get(random.nextInt(fields.size())), f.pos()));
    }

    private Expr swapOperator(Expr e) {
        List<Call> calls = calls(e);
        List<Call> swappable = new ArrayList<>();
        for (Call c : calls) {
            if (group(c.op().name()) != null) {
                swappable.add(c);
            }
        }
        if (swappable.isEmpty()) {
            return wrap(e);
        }
        Call c = swappable.get(random.nextInt(swappable.size()));
        List<String> options = new ArrayList<>(group(c.op().name()));
        options.remove(c.op().name());
        String to = options.get(random.nextInt(options.size()));
        Call swapped = Expressions.call(to, c.args().toArray(new Expr[0]));
        return Expressions.replace(e, c, swapped);
    }

    private static List<String> group(String op) {
        for (List<String> g : SWAPS) {
            if (g.contains(op)) {
                return g;
            }
        }
        return null;
    }

    // --------------------------------------------------------------------------------------------- plumbing

    /** A draft if the tree is a valid, reasonably small formula; null otherwise. */
    private Draft accept(Expr tree, String name, String story, String parent) {
        String text = Expressions.print(tree);
        Factor f;
        try {
            f = sandbox.parse(text);
        } catch (FormulaException | IllegalArgumentException e) {
            return null;
        }
        if (f.complexity().nodes() > MAX_NODES || AssetScale.of(f.expr()).dependent()) {
            return null; // the Judge's rules are known: a formula in price or volume units is not worth a trial
        }
        String hypothesis = story.length() > 600 ? story.substring(0, 599) + "…" : story;
        // the canonical form: valid syntax, with folded constants and no double negations, so a person reads it
        return new Draft(name, hypothesis + ".", f.canonical(), "Expect a positive rank IC if the idea holds.",
                parent);
    }

    private Expr parse(String formula) {
        return sandbox.parse(formula).expr();
    }

    private String pick(List<String> from) {
        return from.get(random.nextInt(from.size()));
    }

    private int pickWindow() {
        return WINDOWS[random.nextInt(WINDOWS.length)];
    }

    private static List<Call> calls(Expr e) {
        List<Call> out = new ArrayList<>();
        for (Expr n : Expressions.nodes(e)) {
            if (n instanceof Call c) {
                out.add(c);
            }
        }
        return out;
    }

    /** Window and lag constants of a tree (the parameters a search tunes). */
    private static List<Num> windows(Expr e) {
        List<Num> out = new ArrayList<>();
        for (Call c : calls(e)) {
            for (int i = 0; i < c.args().size(); i++) {
                Op.Kind k = c.op().params().get(i).kind();
                if ((k == Op.Kind.WINDOW || k == Op.Kind.LAG) && c.arg(i) instanceof Num n && n.value() >= 2) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /**
     * Every operator sub-tree of 3 to 12 nodes in the published libraries whose fields the data has, deduplicated by
     * canonical form, in library order.
     */
    static List<String> buildingBlocks(Sandbox sandbox, List<String> fields) {
        Map<String, String> blocks = new LinkedHashMap<>();
        List<PublishedFormulas.Formula> all = new ArrayList<>(PublishedFormulas.alpha101());
        all.addAll(PublishedFormulas.alpha158());
        for (PublishedFormulas.Formula p : all) {
            Factor f;
            try {
                f = sandbox.parse(p.formula());
            } catch (FormulaException e) {
                continue;
            }
            for (Expr n : Expressions.nodes(f.expr())) {
                if (!(n instanceof Call) || usesGroups(n)) {
                    continue;
                }
                String text = Expressions.print(n);
                Factor sub;
                try {
                    sub = sandbox.parse(text);
                } catch (FormulaException e) {
                    continue;
                }
                int size = sub.complexity().nodes();
                if (size >= 3 && size <= 12 && fields.containsAll(sub.fields())) {
                    blocks.putIfAbsent(sub.canonical(), text);
                }
            }
        }
        return List.copyOf(blocks.values());
    }

    private static boolean usesGroups(Expr e) {
        for (Expr n : Expressions.nodes(e)) {
            if (n instanceof Expr.Group) {
                return true;
            }
        }
        return false;
    }
}
