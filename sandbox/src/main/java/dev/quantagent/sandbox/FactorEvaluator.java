package dev.quantagent.sandbox;

import dev.quantagent.sandbox.Expr.Call;
import dev.quantagent.sandbox.Expr.Field;
import dev.quantagent.sandbox.Expr.Group;
import dev.quantagent.sandbox.Expr.Num;
import dev.quantagent.sandbox.FormulaException.Kind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Evaluates factors over one panel. A formula becomes a plan: its distinct sub-expressions in evaluation order
 * (a sub-expression written twice is computed once), each buffer returned to a pool as soon as its last reader has
 * run. The plan's peak memory is known before any work starts and checked against the limit.
 *
 * <p>Not thread-safe: it keeps its buffers between calls so that evaluating many factors allocates almost nothing.
 * Use one per thread; evaluators of the same panel share its derived-field cache.
 */
public final class FactorEvaluator {

    private final Panel panel;
    private final Limits limits;
    private final int dates;
    private final int assets;
    private final int cells;
    private final ArrayDeque<double[]> pool = new ArrayDeque<>();
    private final int windowLength;
    private final Kernel.Scratch scratch;
    private final Map<String, int[][]> groupMembers = new HashMap<>();

    private final SubexpressionCache cache;
    private int threads = 1;

    private static final Op RANK = Operators.byName("rank");

    FactorEvaluator(Panel panel, Limits limits, SubexpressionCache cache) {
        this.cache = cache;
        this.panel = panel;
        this.limits = limits;
        this.dates = panel.dateCount();
        this.assets = panel.assetCount();
        this.cells = panel.cells();
        this.windowLength = Math.min(dates, limits.maxWindow()) + 1; // a sliding window holds d + 1 values for a moment
        this.scratch = new Kernel.Scratch(dates, assets, windowLength);
    }

    public Panel panel() {
        return panel;
    }

    /** Kernel ranges smaller than this many assets or dates are not worth a thread. */
    private static final int MIN_RANGE = 64;

    /**
     * Shares each time-series and cross-sectional kernel of an evaluation among up to n threads (ranges of assets or
     * of dates: the same results to the bit), for one formula alone. Many formulas go faster each on a thread of its
     * own, with the default of 1.
     */
    public FactorEvaluator threads(int n) {
        this.threads = Math.max(1, n);
        return this;
    }

    /** Evaluates into a new array (asset-major, NaN = missing, never infinite). */
    public double[] evaluate(Factor factor) {
        double[] out = new double[cells];
        evaluate(factor, out, null);
        return out;
    }

    /**
     * Evaluates into {@code out} (length {@link Panel#cells()}).
     *
     * @param cancelled polled by the kernels; when it turns true the evaluation stops with {@link Kind#CANCELLED}
     * @throws FormulaException for missing fields or groups, windows longer than the data, memory or time limits
     */
    public void evaluate(Factor factor, double[] out, BooleanSupplier cancelled) {
        if (out.length != cells) {
            throw new IllegalArgumentException("output has " + out.length + " cells, the panel " + cells);
        }
        Plan plan = plan(factor);
        Deadline dl = new Deadline(limits.timeBudget(), cancelled);
        double[][] values = new double[plan.steps.size()][];
        boolean[] pooled = new boolean[values.length];
        int[] remaining = plan.uses.clone();
        int last = values.length - 1;
        for (int i = 0; i <= last; i++) {
            Expr node = plan.steps.get(i);
            if (node instanceof Num n) {
                values[i] = new double[] {n.value()};
            } else if (node instanceof Field f) {
                values[i] = FieldSource.values(panel, f.name(), f.pos(), dl);
            } else if (node instanceof Call c) {
                int[] in = plan.inputs.get(i);
                String key = cache != null && cacheable(c) ? plan.keys.get(i) : null;
                double[] hit = key == null ? null : cache.get(key);
                if (hit != null) {
                    // a shared result: read it, never write it or hand it to the pool
                    if (i == last) {
                        System.arraycopy(hit, 0, out, 0, cells);
                        values[i] = out;
                    } else {
                        values[i] = hit;
                    }
                    pooled[i] = false;
                    release(in, remaining, values, pooled);
                    continue;
                }
                double[] target = i == last ? out : take();
                pooled[i] = i != last;
                run(c, in, values, target, dl);
                if (key != null) {
                    if (i == last) {
                        cache.put(key, target.clone());
                    } else if (cache.put(key, target)) {
                        pooled[i] = false; // the cache owns it now; a refused one goes back to the pool
                    }
                }
                release(in, remaining, values, pooled);
                values[i] = target;
            }
        }
        if (!(plan.steps.get(last) instanceof Call)) {
            System.arraycopy(values[last], 0, out, 0, cells);
        }
    }

    /** Returns inputs whose last reader has run to the pool (unless shared with the cache). */
    private void release(int[] in, int[] remaining, double[][] values, boolean[] pooled) {
        for (int j : in) {
            if (j >= 0 && --remaining[j] == 0 && pooled[j]) {
                pool.push(values[j]);
                values[j] = null;
            }
        }
    }

    /** Worth keeping: operators that cost more than a pass over the panel. */
    private static boolean cacheable(Call c) {
        Op.Category k = c.op().category();
        return k == Op.Category.TIME_SERIES || k == Op.Category.CROSS_SECTION || k == Op.Category.GROUP;
    }

    /**
     * Checks a factor against this panel without evaluating it: fields and groups exist, windows fit the data,
     * and the estimated peak memory is within the limit.
     *
     * @return the estimated peak memory in bytes
     */
    public long bind(Factor factor) {
        return plan(factor).peakBytes;
    }

    private double[] take() {
        double[] b = pool.poll();
        return b != null ? b : new double[cells];
    }

    // ------------------------------------------------------------------------------------------------ planning

    private static final class Plan {
        final List<Expr> steps = new ArrayList<>();
        final List<int[]> inputs = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        int[] uses;
        long peakBytes;
    }

    private Plan plan(Factor factor) {
        Plan plan = new Plan();
        Map<String, Integer> seen = new HashMap<>();
        int[] newDerived = {0};
        add(factor.expr(), plan, seen, newDerived);
        int n = plan.steps.size();
        plan.uses = new int[n];
        for (int[] in : plan.inputs) {
            for (int j : in) {
                if (j >= 0) {
                    plan.uses[j]++;
                }
            }
        }
        // Peak number of pooled buffers alive at once, replaying the evaluation order.
        int[] remaining = plan.uses.clone();
        int live = 0;
        int peak = 0;
        for (int i = 0; i < n; i++) {
            if (plan.steps.get(i) instanceof Call) {
                live += i == n - 1 ? 0 : 1; // the last step writes into the caller's array
                peak = Math.max(peak, live);
                for (int j : plan.inputs.get(i)) {
                    if (j >= 0 && --remaining[j] == 0 && plan.steps.get(j) instanceof Call) {
                        live--;
                    }
                }
            }
        }
        long buffers = (long) peak + newDerived[0] + 1; // + the caller's output
        plan.peakBytes = buffers * cells * Double.BYTES;
        if (plan.peakBytes > limits.maxMemoryBytes()) {
            throw new FormulaException(Kind.MEMORY, -1, String.format(java.util.Locale.ROOT,
                    "evaluation would need about %,d MB of intermediate results (%d panel-sized buffers of %,d cells)"
                            + "; the limit is %,d MB", plan.peakBytes >> 20, buffers, cells,
                    limits.maxMemoryBytes() >> 20));
        }
        return plan;
    }

    /** Adds e's distinct sub-expressions in post-order; returns e's step index (-1 for groups and constants args). */
    private int add(Expr e, Plan plan, Map<String, Integer> seen, int[] newDerived) {
        // rank(rank(x)) is rank(x) exactly: percentiles keep the order and the ties of what they rank.
        while (e instanceof Call c && c.op() == RANK && c.arg(0) instanceof Call inner && inner.op() == RANK) {
            e = inner;
        }
        String key = Canonical.print(e);
        Integer known = seen.get(key);
        if (known != null) {
            return known;
        }
        int[] in;
        if (e instanceof Call c) {
            validateWindows(c);
            in = new int[c.args().size()];
            for (int i = 0; i < in.length; i++) {
                Expr a = c.arg(i);
                Op.Kind kind = c.op().params().get(i).kind();
                if (kind == Op.Kind.SERIES) {
                    in[i] = add(a, plan, seen, newDerived);
                } else {
                    in[i] = -1; // windows, lags, numbers and groups are read from the node itself
                    if (a instanceof Group g) {
                        members(g);
                    }
                }
            }
        } else {
            if (e instanceof Field f) {
                if (!FieldSource.isCachedOrColumn(panel, f.name())) {
                    newDerived[0]++;
                    FieldSource.values(panel, f.name(), f.pos(), Deadline.unlimited()); // fails fast if unknown
                }
            }
            in = new int[0];
        }
        plan.steps.add(e);
        plan.inputs.add(in);
        plan.keys.add(key);
        int index = plan.steps.size() - 1;
        seen.put(key, index);
        return index;
    }

    private void validateWindows(Call c) {
        for (int i = 0; i < c.args().size(); i++) {
            Op.Kind kind = c.op().params().get(i).kind();
            if (kind != Op.Kind.WINDOW && kind != Op.Kind.LAG) {
                continue;
            }
            int w = (int) ((Num) c.arg(i)).value();
            boolean tooLong = kind == Op.Kind.WINDOW ? w > dates : w >= dates;
            if (tooLong) {
                throw new FormulaException(Kind.WINDOW, c.arg(i).pos(), (kind == Op.Kind.LAG ? "lag " : "window ") + w
                        + " of " + c.op().name() + " is longer than the data (" + dates + " dates)");
            }
        }
    }

    private int[][] members(Group g) {
        int[][] m = groupMembers.get(g.name());
        if (m != null) {
            return m;
        }
        int[] ids = panel.groupIds(g.name());
        if (ids == null) {
            String has = panel.groupNames().isEmpty() ? "no group data was given (pass --groups FILE with a column '"
                    + g.name() + "')" : "the group data has no column '" + g.name() + "' (has: "
                    + String.join(", ", panel.groupNames()) + ")";
            throw new FormulaException(Kind.GROUP, g.pos(), "IndClass." + g.name() + " needs a grouping of assets, but "
                    + has);
        }
        int groups = panel.groupLabels(g.name()).size();
        int[] size = new int[groups];
        for (int id : ids) {
            if (id >= 0) {
                size[id]++;
            }
        }
        m = new int[groups][];
        for (int k = 0; k < groups; k++) {
            m[k] = new int[size[k]];
        }
        int[] fill = new int[groups];
        for (int a = 0; a < ids.length; a++) {
            if (ids[a] >= 0) {
                m[ids[a]][fill[ids[a]]++] = a;
            }
        }
        groupMembers.put(g.name(), m);
        return m;
    }

    // ------------------------------------------------------------------------------------------------ dispatch

    /**
     * Runs the node's kernel: element-wise and group kernels in one pass, time-series kernels in ranges of assets and
     * cross-sectional ones in ranges of date blocks, shared among threads (see {@link #threads}).
     */
    private void run(Call c, int[] in, double[][] values, double[] out, Deadline dl) {
        Kernel kernel = c.op().kernel();
        Op.Category category = c.op().category();
        boolean elementwise = category == Op.Category.ARITHMETIC || category == Op.Category.LOGIC;
        Kernel.Inputs inputs = inputs(c, in, values, !elementwise);
        int span = switch (category) {
            case ARITHMETIC, LOGIC -> cells;
            case TIME_SERIES -> assets;
            case CROSS_SECTION, GROUP -> dates;
        };
        int align = switch (category) {
            case ARITHMETIC, LOGIC, GROUP -> 0; // one pass
            case TIME_SERIES -> 1;
            case CROSS_SECTION -> CrossSectionKernels.DATE_BLOCK;
        };
        if (align == 0) {
            if (elementwise) {
                dl.check();
            }
            kernel.run(inputs, out, 0, span, scratch, dl);
        } else {
            split(span, align, (from, to, own) -> kernel.run(inputs, out, from, to,
                    own ? scratch : new Kernel.Scratch(dates, assets, windowLength), dl));
        }
    }

    /**
     * The node's operands as its kernel reads them: series (constants spread over the panel unless element-wise),
     * constants, and the members of its groups.
     */
    private Kernel.Inputs inputs(Call c, int[] in, double[][] values, boolean spread) {
        List<Op.Param> params = c.op().params();
        int seriesCount = 0;
        int numberCount = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] >= 0) {
                seriesCount++;
            } else if (params.get(i).kind() != Op.Kind.GROUP) {
                numberCount++;
            }
        }
        double[][] series = new double[seriesCount][];
        double[] numbers = new double[numberCount];
        int[][] members = null;
        seriesCount = 0;
        numberCount = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] >= 0) {
                series[seriesCount++] = spread ? series(values[in[i]]) : values[in[i]];
            } else if (params.get(i).kind() == Op.Kind.GROUP) {
                members = members((Group) c.arg(i));
            } else {
                numbers[numberCount++] = number(c, i);
            }
        }
        return new Kernel.Inputs(series, numbers, dates, assets, members);
    }

    /** One range of a kernel: assets or dates [from, to); own says whether it may use the evaluator's scratch. */
    private interface Range {
        void run(int from, int to, boolean own);
    }

    /**
     * Runs work over [0, n) in up to {@link #threads} ranges of a multiple of {@code align} each, the first on this
     * thread and the others on the common pool, and waits for all; the first failure is rethrown as it was thrown.
     */
    private void split(int n, int align, Range work) {
        int parts = Math.min(threads, n / Math.max(align, MIN_RANGE));
        if (parts <= 1) {
            work.run(0, n, true);
            return;
        }
        int[] bounds = new int[parts + 1];
        for (int k = 1; k < parts; k++) {
            bounds[k] = (int) ((long) n * k / parts / align * align);
        }
        bounds[parts] = n;
        List<Future<?>> others = new ArrayList<>(parts - 1);
        for (int k = 1; k < parts; k++) {
            int from = bounds[k];
            int to = bounds[k + 1];
            others.add(ForkJoinPool.commonPool().submit(() -> work.run(from, to, false)));
        }
        RuntimeException failure = null;
        try {
            work.run(0, bounds[1], true);
        } catch (RuntimeException e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> f : others) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r ? r
                                : new IllegalStateException(e.getCause());
                    }
                    break;
                } catch (InterruptedException e) {
                    // the range still writes into the node's buffer, which goes back to the pool: wait for it anyway
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            failure = failure != null ? failure : new FormulaException(Kind.CANCELLED, -1, "evaluation was cancelled");
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static double number(Call c, int arg) {
        return ((Num) c.arg(arg)).value();
    }

    /** A constant where a series is needed (e.g. ts_mean(5, 10)) is spread over the panel. */
    private double[] series(double[] v) {
        if (v.length == cells) {
            return v;
        }
        double[] filled = new double[cells];
        Arrays.fill(filled, v[0]);
        return filled;
    }
}
