package dev.quantagent.agents;

import dev.quantagent.agents.Feedback.Category;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.sandbox.AssetScale;
import dev.quantagent.sandbox.Complexity;
import dev.quantagent.sandbox.Factor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges a factor by rules, from valid-split statistics only (train is used just to detect overfitting; test is never
 * seen). Hard rules (duplicate, leakage, no signal, a sign that reverses from train to valid, redundancy, values that
 * compare assets by their price or volume level: see {@link AssetScale}) decide acceptance; the score ranks factors:
 *
 * <pre>
 * score = 100 * (0.45 * min(1, rank_ic / 0.05) + 0.25 * min(1, rank_icir / 0.5) + 0.30 * min(1, max(0, sharpe) / 2))
 *         - penalties (turnover above the limit, coverage below it, complexity beyond 20 nodes, correlation and
 *           structural overlap with accepted factors, the train-to-valid fall)
 * </pre>
 *
 * clamped to [0, 100]. The signal terms use the valid split's rank IC as written, so a factor that predicts in the
 * wrong direction scores low and is told to flip its sign.
 */
public final class RuleJudge {

    /** Fewest valid dates with a rank IC for its statistics to mean anything (a month of trading days). */
    static final int MIN_IC_DATES = 20;

    private final JudgePolicy policy;

    public RuleJudge(JudgePolicy policy) {
        this.policy = policy;
    }

    public JudgePolicy policy() {
        return policy;
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

    /** Judges a factor from its report (valid, and train once it has passed on valid) and its formula's shape. */
    public Verdict judge(FactorReport report, Factor factor, Novelty novelty) {
        return judge(report, factor.complexity(), AssetScale.of(factor.expr()), novelty);
    }

    /** As {@link #judge(FactorReport, Factor, Novelty)} for a factor known only by its size: scale not checked. */
    Verdict judge(FactorReport report, Complexity complexity, Novelty novelty) {
        return judge(report, complexity, AssetScale.FREE, novelty);
    }

    Verdict judge(FactorReport report, Complexity complexity, AssetScale scale, Novelty novelty) {
        SplitStatistics valid = report.splits().get(Split.VALID);
        SplitStatistics train = report.splits().get(Split.TRAIN);
        List<Feedback> hard = new ArrayList<>();
        List<Feedback> soft = new ArrayList<>();
        double ric = nz(valid.rankIc());
        double ricir = nz(valid.rankIcir());
        double sharpe = nz(valid.portfolio().sharpe());
        double turnover = nz(valid.turnover());
        double coverage = nz(valid.coverage());

        if (novelty.duplicateOf() != null) {
            hard.add(duplicateFeedback(novelty.duplicateOf()));
        }
        if (Math.abs(ric) > policy.suspiciousRankIc()) {
            hard.add(new Feedback(Category.LEAKAGE, true, String.format(Locale.ROOT,
                    "A valid rank IC of %.3f is implausibly high for a daily factor: check for look-ahead or data "
                            + "errors.", ric)));
        }
        double trainRic = train == null ? Double.NaN : train.rankIc();
        if (scale.dependent()) {
            hard.add(new Feedback(Category.SCALE_DEPENDENT, true, "It compares assets by their own price or volume "
                    + "level: " + scale.why() + ". Make it scale-free: divide by a price (x / close), volume by "
                    + "its own average (volume / ts_mean(volume, 20)), or normalise it in time (ts_rank, ts_zscore)."));
        }
        if (valid.nDates() == 0) {
            hard.add(new Feedback(Category.LOW_COVERAGE, true, "On no valid date does it have values that differ "
                    + "across assets (it is missing, or the same for every asset, as the sign of a positive field "
                    + "is): there is no cross-section to rank."));
        } else if (valid.nDates() < MIN_IC_DATES) {
            hard.add(new Feedback(Category.LOW_COVERAGE, true, String.format(Locale.ROOT, "Its rank IC rests on %d "
                    + "valid dates (needs %d): on the others it is missing or the same for every asset, so its "
                    + "statistics are noise. Give it values that differ across assets every day.", valid.nDates(),
                    MIN_IC_DATES)));
        } else if (reversed(trainRic, ric)) {
            hard.add(new Feedback(Category.UNSTABLE, true, String.format(Locale.ROOT,
                    "Rank IC is %.4f on train but %.4f on valid: the relation reversed between the periods, so "
                            + "neither sign is evidence of an edge%s.", trainRic, ric, ric < 0
                            ? " (negating it would only fit the valid period)" : "")));
        } else if (ric <= -policy.minRankIc()) {
            hard.add(new Feedback(Category.NEGATIVE_IC, true, String.format(Locale.ROOT,
                    "Valid rank IC is %.4f: the signal works in reverse; multiply it by -1.", ric)));
        } else if (ric < policy.minRankIc() || ricir < policy.minRankIcir()) {
            hard.add(new Feedback(Category.WEAK_SIGNAL, true, String.format(Locale.ROOT,
                    "Valid rank IC %.4f (needs %.3f) and rank ICIR %.3f (needs %.2f) are too weak.", ric,
                    policy.minRankIc(), ricir, policy.minRankIcir())));
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
        if (coverage < policy.minCoverage()) {
            hard.add(new Feedback(Category.LOW_COVERAGE, true, String.format(Locale.ROOT,
                    "Only %.0f%% of tradeable cells have a value (needs %.0f%%); shorten its windows or avoid fields "
                            + "that are often missing.", 100 * coverage, 100 * policy.minCoverage())));
        }
        if (complexity.nodes() > policy.maxNodes()) {
            hard.add(new Feedback(Category.TOO_COMPLEX, true, String.format(Locale.ROOT,
                    "%d nodes exceed the limit of %d; simplify.", complexity.nodes(), policy.maxNodes())));
        }
        boolean overfit = trainRic == trainRic && trainRic > policy.minRankIc()
                && ric < policy.minValidOverTrain() * trainRic;
        if (overfit) {
            soft.add(new Feedback(Category.OVERFIT, false, String.format(Locale.ROOT,
                    "Rank IC falls from %.4f on train to %.4f on valid: it may fit noise; use fewer parameters or "
                            + "longer windows.", trainRic, ric)));
        }
        if (turnover > policy.maxTurnover()) {
            soft.add(new Feedback(Category.HIGH_TURNOVER, false, String.format(Locale.ROOT,
                    "Turnover of %.0f%% per rebalance is high; smooth it (ts_mean, decay_linear) or use longer "
                            + "windows.", 100 * turnover)));
        }
        if (sharpe < policy.minSharpe() && ric >= policy.minRankIc()) {
            String why = String.format(Locale.ROOT, "The long-short portfolio has a Sharpe of %.2f after costs: the "
                    + "edge does not pay for its trading; trade less often.", sharpe);
            (policy.sharpeIsHard() ? hard : soft).add(new Feedback(Category.COST_DRAG, policy.sharpeIsHard(), why));
        }
        if (valid.nDates() > 0 && nz(valid.icPositiveRatio()) < 0.5 && ric > 0) {
            soft.add(new Feedback(Category.UNSTABLE, false, String.format(Locale.ROOT,
                    "The IC is positive on only %.0f%% of valid days.", 100 * valid.icPositiveRatio())));
        }
        if (complexity.nodes() > 20) {
            soft.add(new Feedback(Category.TOO_COMPLEX, false, String.format(Locale.ROOT,
                    "%d nodes: simpler factors generalise better.", complexity.nodes())));
        }

        double score = 100 * (0.45 * clamp(ric / 0.05) + 0.25 * clamp(ricir / 0.5)
                + 0.30 * clamp(Math.max(0, sharpe) / 2));
        score -= 30 * Math.max(0, turnover - policy.maxTurnover());
        score -= 50 * Math.max(0, policy.minCoverage() - coverage);
        score -= 0.5 * Math.max(0, complexity.nodes() - 20);
        if (novelty.maxCorrelation() == novelty.maxCorrelation()) {
            score -= 20 * Math.max(0, Math.abs(novelty.maxCorrelation()) - 0.5);
        }
        score -= 10 * Math.max(0, overlapShare - 0.5);
        if (overfit) {
            score -= 10;
        }
        score = Math.max(0, Math.min(100, score));

        boolean accepted = hard.isEmpty();
        List<Feedback> all = new ArrayList<>(hard);
        all.addAll(soft);
        if (accepted && soft.isEmpty()) {
            all.add(new Feedback(Category.GOOD, false, String.format(Locale.ROOT,
                    "Valid rank IC %.4f, rank ICIR %.3f, Sharpe %.2f after costs, turnover %.0f%%.", ric, ricir,
                    sharpe, 100 * turnover)));
        }
        return new Verdict(accepted, score, all, "");
    }

    /** A clear signal on train and a clear one of the other sign on valid. */
    private boolean reversed(double trainRic, double validRic) {
        double bar = policy.minRankIc();
        return trainRic == trainRic && (trainRic >= bar && validRic <= -bar || trainRic <= -bar && validRic >= bar);
    }

    private static double nz(double v) {
        return v == v ? v : 0.0;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
