package dev.quantagent.agents;

import dev.quantagent.agents.Feedback.Category;
import dev.quantagent.evaluator.Book;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Significance;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.sandbox.AssetScale;
import dev.quantagent.sandbox.Complexity;
import dev.quantagent.sandbox.Factor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges a factor by rules, in two stages that never mix their data.
 *
 * <p><b>The search ({@link #judgeTrain}), on train only.</b> Every step of the inner loop is judged here, and only
 * train statistics reach the Writer. Hard rules: a duplicate, leakage, dependence on each asset's price or volume
 * level ({@link AssetScale}), too few dates, a signal in the wrong direction (flip it), too weak a signal (a mean rank
 * IC below {@link JudgePolicy#minRankIc()}, or a Newey-West t-statistic below what the best of the trials on this data
 * set would reach by luck alone: {@link Bar#search}), a sign that does not hold in every third of train, redundancy with or a structural
 * copy of an accepted factor, low coverage, too many nodes; with {@link JudgePolicy#requireNet()}, losing money after
 * costs at every holding period. Soft findings (high turnover, losing after costs, complexity) lower the score and
 * guide the Writer.
 *
 * <p><b>The gate ({@link #gate}), on valid, once per idea.</b> A factor that passed the search is accepted when its
 * valid rank IC has the train's sign and its one-sided Newey-West p-value reaches the bar that the looks at valid on
 * this data set have raised; coverage and, with {@code requireNet}, money after costs are checked again. The idea
 * ends there either way: valid statistics never come back to the Writer.
 *
 * <pre>
 * score = 100 * (0.45 * min(1, rank_ic / 0.05) + 0.30 * min(1, t / (2 bar)) + 0.25 * min(1, max(0, net Sharpe) / 2))
 *         - penalties (turnover above the limit, coverage below it, complexity beyond 20 nodes, correlation and
 *           structural overlap with accepted factors)
 * </pre>
 *
 * from train, clamped to [0, 100], where net Sharpe is the best of the holding periods when they were computed.
 */
public final class RuleJudge implements Judge {

    /** Fewest dates with a rank IC for its statistics to mean anything (a month of trading days). */
    static final int MIN_IC_DATES = 20;

    private final JudgePolicy policy;

    public RuleJudge(JudgePolicy policy) {
        this.policy = policy;
    }

    public JudgePolicy policy() {
        return policy;
    }

    /**
     * The evidence a test must reach now: a p-value, adjusted for a family of tests of which some were already
     * discoveries (see {@link Significance#threshold}).
     *
     * @param p           the p-value a test needs
     * @param family      tests in the family (trials on the data for the search; looks at valid for the gate)
     * @param discoveries discoveries already made in it
     */
    public record Bar(double p, long family, long discoveries) {

        /** The gate's bar: a p-value adjusted for a family of tests under a policy. */
        public static Bar of(JudgePolicy policy, long family, long discoveries) {
            long m = Math.max(1, family);
            return new Bar(Significance.threshold(policy.adjustment(), policy.alpha(), m, discoveries), m,
                    discoveries);
        }

        /**
         * The search's bar after {@code trials} tries on the data: the |t| the best of them would reach by luck alone
         * ({@link Significance#expectedMaxAbsT}), as a two-sided p-value.
         */
        public static Bar search(long trials) {
            long n = Math.max(1, trials);
            return new Bar(Significance.twoSided(Significance.expectedMaxAbsT(n)), n, 0);
        }

        /** The t-statistic a two-sided test needs. */
        public double twoSidedT() {
            return Significance.tFor(p);
        }

        /** The t-statistic a one-sided test needs. */
        public double oneSidedT() {
            return Significance.tFor(2 * p);
        }
    }

    /** A factor that could not be evaluated. */
    public Verdict invalid(String reason) {
        return new Verdict(false, 0, List.of(new Feedback(Category.INVALID, true, "The formula is invalid: "
                + reason)), "");
    }

    /** A factor with the same canonical form as the stored factor {@code of} (e.g. {@code #12}). */
    public Verdict duplicate(String of) {
        return new Verdict(false, 0, List.of(duplicateFeedback(of)), "");
    }

    private static Feedback duplicateFeedback(String of) {
        return new Feedback(Category.DUPLICATE, true, "It is the same factor as " + of
                + " (identical canonical form); propose a structurally different idea.");
    }

    /** The search's verdict ({@link #judgeTrain}); the rules are asked first, so {@code before} is not read. */
    @Override
    public Judgement judge(Candidate c, Verdict before) {
        return new Judgement(judgeTrain(c.report(), c.factor(), c.novelty(), c.bar(), c.holding()), 0, 0);
    }

    /**
     * The search's verdict from train statistics and the formula's shape.
     *
     * @param holding the quantile long-short on train per holding period, or null when not computed
     */
    public Verdict judgeTrain(FactorReport report, Factor factor, Novelty novelty, Bar bar, List<Book> holding) {
        return judgeTrain(report, factor.complexity(), AssetScale.of(factor.expr()), novelty, bar, holding);
    }

    Verdict judgeTrain(FactorReport report, Complexity complexity, AssetScale scale, Novelty novelty, Bar bar,
                       List<Book> holding) {
        SplitStatistics train = report.splits().get(Split.TRAIN);
        List<Feedback> hard = new ArrayList<>();
        List<Feedback> soft = new ArrayList<>();
        double ric = nz(train.rankIc());
        double t = nz(train.rankIcTstatNeweyWest());
        double turnover = nz(train.turnover());
        double coverage = nz(train.coverage());
        double needT = bar.twoSidedT();

        if (novelty.duplicateOf() != null) {
            hard.add(duplicateFeedback(novelty.duplicateOf()));
        }
        // first among the statistical rules: on a few cells every statistic below is noise, and this is the cause
        if (coverage < policy.minCoverage()) {
            hard.add(new Feedback(Category.LOW_COVERAGE, true, String.format(Locale.ROOT,
                    "Only %.0f%% of tradeable cells have a value (needs %.0f%%), so its statistics rest on few "
                            + "assets; shorten its windows or avoid fields that are often missing.", 100 * coverage,
                    100 * policy.minCoverage())));
        }
        if (Math.abs(ric) > policy.suspiciousRankIc()) {
            hard.add(new Feedback(Category.LEAKAGE, true, String.format(Locale.ROOT,
                    "A rank IC of %.3f on train is implausibly high for a factor: check for look-ahead or data "
                            + "errors.", ric)));
        }
        if (scale.dependent()) {
            hard.add(new Feedback(Category.SCALE_DEPENDENT, true, "It compares assets by their own price or volume "
                    + "level: " + scale.why() + ". Make it scale-free: divide by a price (x / close), volume by "
                    + "its own average (volume / ts_mean(volume, 20)), or normalise it in time (ts_rank, ts_zscore)."));
        }
        if (train.nDates() == 0) {
            hard.add(new Feedback(Category.LOW_COVERAGE, true, "On no train date does it have values that differ "
                    + "across assets (it is missing, or the same for every asset, as the sign of a positive field "
                    + "is): there is no cross-section to rank."));
        } else if (train.nDates() < MIN_IC_DATES) {
            hard.add(new Feedback(Category.LOW_COVERAGE, true, String.format(Locale.ROOT, "Its rank IC rests on %d "
                    + "train dates (needs %d): on the others it is missing or the same for every asset, so its "
                    + "statistics are noise. Give it values that differ across assets every day.", train.nDates(),
                    MIN_IC_DATES)));
        } else if (ric <= -policy.minRankIc()) {
            hard.add(new Feedback(Category.NEGATIVE_IC, true, String.format(Locale.ROOT,
                    "Train rank IC is %.4f (t %.2f): the signal works in reverse; multiply it by -1.", ric, t)));
        } else if (ric < policy.minRankIc()) {
            hard.add(new Feedback(Category.WEAK_SIGNAL, true, String.format(Locale.ROOT,
                    "Train rank IC %.4f is too weak: it needs %.3f (and a Newey-West t of %.2f, what the best of %,d "
                            + "factors tried on this data would reach by luck; it has %.2f).", ric,
                    policy.minRankIc(), needT, bar.family(), t)));
        } else if (t < needT) {
            hard.add(new Feedback(Category.WEAK_SIGNAL, true, String.format(Locale.ROOT,
                    "Train rank IC %.4f is not significant enough: its Newey-West t of %.2f is below %.2f, what the "
                            + "best of %,d factors tried on this data would reach by luck.", ric, t, needT,
                    bar.family())));
        } else if (train.folds().size() == SplitStatistics.FOLDS) { // figures built by hand may have none
            int agreeing = 0;
            StringBuilder parts = new StringBuilder();
            for (SplitStatistics.Fold f : train.folds()) {
                agreeing += f.rankIc() > 0 ? 1 : 0;
                parts.append(parts.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", f.rankIc()));
            }
            if (agreeing < policy.minStableFolds()) {
                hard.add(new Feedback(Category.UNSTABLE, true, "Its rank IC by third of train is " + parts
                        + ": the relation does not hold throughout the period it was found in, so it is more "
                        + "likely a regime than an edge; make it robust (longer windows, a normalisation) or drop "
                        + "it."));
            }
        }
        if (novelty.maxCorrelation() == novelty.maxCorrelation()
                && Math.abs(novelty.maxCorrelation()) > policy.maxCorrelation()) {
            hard.add(new Feedback(Category.REDUNDANT, true, String.format(Locale.ROOT,
                    "Its values correlate %.2f with accepted factor %s; change its structure, not its parameters.",
                    novelty.maxCorrelation(), novelty.mostCorrelatedWith())));
        }
        double overlapShare = complexity.nodes() == 0 ? 0 : (double) novelty.largestCommonNodes() / complexity.nodes();
        if (overlapShare > policy.maxOverlapShare() && novelty.largestCommonNodes() >= 3) {
            hard.add(new Feedback(Category.STRUCTURAL_COPY, true, String.format(Locale.ROOT,
                    "%.0f%% of it is a sub-tree of accepted factor %s; add a genuinely new component.",
                    100 * overlapShare, novelty.overlapWith())));
        }
        if (complexity.nodes() > policy.maxNodes()) {
            hard.add(new Feedback(Category.TOO_COMPLEX, true, String.format(Locale.ROOT,
                    "%d nodes exceed the limit of %d; simplify.", complexity.nodes(), policy.maxNodes())));
        }
        if (turnover > policy.maxTurnover()) {
            soft.add(new Feedback(Category.HIGH_TURNOVER, false, String.format(Locale.ROOT,
                    "Turnover of %.0f%% per rebalance is high; smooth it (ts_mean, decay_linear) or use longer "
                            + "windows.", 100 * turnover)));
        }
        Book bestNet = bestNet(holding);
        double net = bestNet == null ? Double.NaN : bestNet.net().sharpe();
        if (bestNet != null && !(net > 0)) {
            StringBuilder by = new StringBuilder();
            for (Book b : holding) {
                by.append(by.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%d bar%s %.2f (gross "
                        + "%.2f)", b.rebalanceEvery(), b.rebalanceEvery() == 1 ? "" : "s", b.net().sharpe(),
                        b.gross().sharpe()));
            }
            String why = "Its long-short loses money after costs at every holding period on train (net Sharpe by "
                    + "holding period: " + by + "): trade less: hold longer, smooth it (ts_mean, decay_linear) or "
                    + "rank it in time (ts_rank) so that positions change slowly.";
            (policy.requireNet() ? hard : soft).add(new Feedback(Category.COST_DRAG, policy.requireNet(), why));
        }
        if (complexity.nodes() > 20) {
            soft.add(new Feedback(Category.TOO_COMPLEX, false, String.format(Locale.ROOT,
                    "%d nodes: simpler factors generalise better.", complexity.nodes())));
        }

        double score = 100 * (0.45 * clamp(ric / 0.05) + 0.30 * clamp(t / (2 * Math.max(needT, 1)))
                + 0.25 * clamp(Math.max(0, nz(net)) / 2));
        score -= 30 * Math.max(0, turnover - policy.maxTurnover());
        score -= 50 * Math.max(0, policy.minCoverage() - coverage);
        score -= 0.5 * Math.max(0, complexity.nodes() - 20);
        if (novelty.maxCorrelation() == novelty.maxCorrelation()) {
            score -= 20 * Math.max(0, Math.abs(novelty.maxCorrelation()) - 0.5);
        }
        score -= 10 * Math.max(0, overlapShare - 0.5);
        score = Math.max(0, Math.min(100, score));

        List<Feedback> all = new ArrayList<>(hard);
        all.addAll(soft);
        if (hard.isEmpty() && soft.isEmpty()) {
            all.add(new Feedback(Category.GOOD, false, String.format(Locale.ROOT,
                    "Train rank IC %.4f (t %.2f, bar %.2f), the same sign in every third of train, turnover %.0f%%%s.",
                    ric, t, needT, 100 * turnover, net == net ? String.format(Locale.ROOT,
                            ", net Sharpe %.2f held %d bar%s", net, bestNet.rebalanceEvery(),
                            bestNet.rebalanceEvery() == 1 ? "" : "s") : "")));
        }
        return new Verdict(hard.isEmpty(), score, all, "");
    }

    /**
     * The valid gate: accepts a factor that passed the search if valid confirms it.
     *
     * @param report   train and valid statistics
     * @param bar      the evidence valid must show now, adjusted for the looks at valid on this data
     * @param searched the search's verdict, whose score the accepted factor keeps
     * @param holding  the long-short on valid held for the train's best net holding period (one book), or null
     */
    public Verdict gate(FactorReport report, Bar bar, Verdict searched, Book holding) {
        SplitStatistics train = report.splits().get(Split.TRAIN);
        SplitStatistics valid = report.splits().get(Split.VALID);
        List<Feedback> hard = new ArrayList<>();
        List<Feedback> soft = new ArrayList<>();
        double trainRic = nz(train.rankIc());
        double ric = nz(valid.rankIc());
        double t = valid.rankIcTstatNeweyWest();
        double p = Significance.oneSided(t);
        if (nz(valid.coverage()) < policy.minCoverage()) {
            hard.add(new Feedback(Category.LOW_COVERAGE, true, String.format(Locale.ROOT,
                    "Only %.0f%% of the valid cells have a value (needs %.0f%%).", 100 * nz(valid.coverage()),
                    100 * policy.minCoverage())));
        }
        if (valid.nDates() < MIN_IC_DATES) {
            hard.add(new Feedback(Category.LOW_COVERAGE, true, String.format(Locale.ROOT, "Its rank IC rests on %d "
                    + "valid dates (needs %d).", valid.nDates(), MIN_IC_DATES)));
        } else if (ric <= 0) {
            hard.add(new Feedback(Category.OUT_OF_SAMPLE, true, String.format(Locale.ROOT, "It did not hold on "
                    + "valid: rank IC %.4f there against %.4f on train (t %.2f).", ric, trainRic, nz(t))));
        } else if (!(p <= bar.p())) {
            hard.add(new Feedback(Category.OUT_OF_SAMPLE, true, String.format(Locale.ROOT, "Valid does not confirm "
                    + "it strongly enough: rank IC %.4f with a Newey-West t of %.2f (p %.2g) needs p %.2g, the bar "
                    + "after %,d looks at valid on this data.", ric, nz(t), p, bar.p(), bar.family())));
        }
        if (Math.abs(ric) > policy.suspiciousRankIc()) {
            hard.add(new Feedback(Category.LEAKAGE, true, String.format(Locale.ROOT,
                    "A valid rank IC of %.3f is implausibly high: check for look-ahead or data errors.", ric)));
        }
        if (policy.requireNet() && holding != null && !(holding.net().sharpe() > 0)) {
            hard.add(new Feedback(Category.COST_DRAG, true, String.format(Locale.ROOT, "Held %d bar%s, its "
                    + "long-short loses money after costs on valid (net Sharpe %.2f, gross %.2f).",
                    holding.rebalanceEvery(), holding.rebalanceEvery() == 1 ? "" : "s", holding.net().sharpe(),
                    holding.gross().sharpe())));
        }
        if (hard.isEmpty() && trainRic > policy.minRankIc() && ric < policy.minValidOverTrain() * trainRic) {
            soft.add(new Feedback(Category.OVERFIT, false, String.format(Locale.ROOT,
                    "Rank IC falls from %.4f on train to %.4f on valid: part of it was fitted to train.", trainRic,
                    ric)));
        }
        List<Feedback> all = new ArrayList<>(hard);
        all.addAll(soft);
        if (hard.isEmpty()) {
            all.add(new Feedback(Category.GOOD, false, String.format(Locale.ROOT, "Valid confirms it: rank IC %.4f "
                    + "(t %.2f, p %.2g against the bar %.2g after %,d looks at valid).", ric, nz(t), p, bar.p(),
                    bar.family())));
        }
        return new Verdict(hard.isEmpty(), searched.score(), all, searched.critique());
    }

    /** The holding period with the best net Sharpe, or null when none was computed. */
    static Book bestNet(List<Book> holding) {
        Book best = null;
        if (holding != null) {
            for (Book b : holding) {
                if (best == null || nz(b.net().sharpe()) > nz(best.net().sharpe())) {
                    best = b;
                }
            }
        }
        return best;
    }

    private static double nz(double v) {
        return v == v ? v : 0.0;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
