package dev.quantagent.assistant;

import dev.quantagent.assistant.Backtest.AssetClass;

import java.util.List;

/**
 * The interpretation framework, in one place: every threshold the analysis judges by is here, so a reader (and
 * docs/assistant.md) can see the whole rulebook at once.
 *
 * <ul>
 *   <li><b>Sharpe bands</b> (annualised): &lt;0.5 poor, 0.5–1 acceptable, 1–2 good, 2–3 excellent but check for
 *       overfitting, &gt;3 suspicious (look for look-ahead or data errors). Crypto is more volatile and noisier, so
 *       its bar is raised: "good" starts at 1.5 (&lt;0.75 poor, 0.75–1.5 acceptable, 1.5–2.5 good, 2.5–3.5
 *       excellent, &gt;3.5 suspicious).</li>
 *   <li><b>Drawdown bands</b> (|max drawdown|): &lt;10% conservative, 10–20% moderate, 20–30% aggressive, &gt;30% high
 *       risk; crypto: &lt;15%, 15–25%, 25–40%, &gt;40%.</li>
 *   <li><b>Win rate × profit factor</b>: win rate low &lt;40%, mid 40–60%, high &gt;60%; profit factor &lt;1, 1–1.5,
 *       &gt;1.5; nine profiles (e.g. low win rate with high PF = trend following, high win rate with PF &lt; 1 =
 *       picking up pennies in front of a steamroller).</li>
 *   <li><b>Reliability</b>: at least {@value #MIN_TRADES} trades.</li>
 *   <li><b>Regimes</b>: every regime is tested ({@link MarketRegimes}): one that loses money over at least 10
 *       trading days, with losses coming 1.5 times as fast as in the rest of the time, is called out.</li>
 *   <li><b>Crypto</b>: the raised bars above, plus liquidation (leverage × worst adverse move) and funding checks.</li>
 * </ul>
 */
public final class Interpretation {

    /** Fewer trades than this and every trade statistic is mostly noise. */
    public static final int MIN_TRADES = 30;

    /**
     * A named band of a metric; {@code upper} is exclusive. {@code suitableFor} is who the band suits (the chapter's
     * drawdown table; empty for Sharpe bands, whose sizing is {@link Report.Sizing}).
     */
    public record Band(double upper, String label, String meaning, String suitableFor, int points) {
    }

    // Sharpe: points feed the grade (out of 40); sizing is the guidance for a strategy in that band
    private static final List<Band> SHARPE = List.of(
            new Band(0.5, "poor", "returns do not pay for their risk", "", 0),
            new Band(1.0, "acceptable", "a real but modest risk-adjusted return", "", 18),
            new Band(2.0, "good", "a solid risk-adjusted return", "", 34),
            new Band(3.0, "excellent", "unusually strong: check for overfitting and confirm out of sample", "", 40),
            new Band(Double.POSITIVE_INFINITY, "suspicious", "too good to be true: look for look-ahead or data errors",
                    "", 10));
    private static final List<Band> SHARPE_CRYPTO = List.of(
            new Band(0.75, SHARPE.get(0).label(), SHARPE.get(0).meaning(), "", 0),
            new Band(1.5, SHARPE.get(1).label(), SHARPE.get(1).meaning() + " (crypto bar is 1.5)", "", 18),
            new Band(2.5, SHARPE.get(2).label(), SHARPE.get(2).meaning(), "", 34),
            new Band(3.5, SHARPE.get(3).label(), SHARPE.get(3).meaning(), "", 40),
            new Band(Double.POSITIVE_INFINITY, SHARPE.get(4).label(), SHARPE.get(4).meaning(), "", 10));

    // |max drawdown|: points out of 25; who each band suits, as the chapter's table says
    private static final String PENSION = "pension funds, risk-averse capital";
    private static final String INSTITUTIONAL = "a standard institutional allocation";
    private static final String ACTIVE = "hedge funds, active traders";
    private static final String SMALL = "a small allocation with strong conviction";
    private static final List<Band> DRAWDOWN = List.of(
            new Band(0.10, "conservative", "shallow losses", PENSION, 25),
            new Band(0.20, "moderate", "losses most investors can sit through", INSTITUTIONAL, 20),
            new Band(0.30, "aggressive", "deep losses; expect investors to abandon it", ACTIVE, 10),
            new Band(Double.POSITIVE_INFINITY, "high risk", "losses deep enough to end the strategy", SMALL, 0));
    private static final List<Band> DRAWDOWN_CRYPTO = List.of(
            new Band(0.15, "conservative", "shallow losses for crypto", PENSION, 25),
            new Band(0.25, "moderate", "ordinary for crypto", INSTITUTIONAL, 20),
            new Band(0.40, "aggressive", "deep even for crypto", ACTIVE, 10),
            new Band(Double.POSITIVE_INFINITY, "high risk", "losses deep enough to end the strategy", SMALL, 0));

    static final double LOW_WIN_RATE = 0.40;
    static final double HIGH_WIN_RATE = 0.60;
    static final double STRONG_PF = 1.5;

    /** Rows: win rate low, mid, high; columns: profit factor &lt;1, 1–1.5, &gt;1.5. */
    private static final String[][] PROFILE = {
        {"no edge: frequent losses that the winners do not pay for",
            "thin trend-following edge: long losing streaks with little cushion",
            "trend-following profile: a few large winners pay for many small losses"},
        {"losing: losses outweigh wins at an ordinary hit rate",
            "balanced with a modest edge: costs decide whether it survives",
            "balanced with a solid edge"},
        {"picking up pennies in front of a steamroller: many small wins, a few large losses wipe them out",
            "mean-reversion profile: many small wins; watch the tail losses",
            "high hit rate and high payoff: rare, check for look-ahead"}};

    // high and medium findings cost grade points; high ones also cap the grade at B, critical ones at D
    static final int HIGH_PENALTY = 10;
    static final int MEDIUM_PENALTY = 5;

    /** Letter grades by score (0–100). */
    static final double[] GRADE_FLOORS = {85, 70, 55, 40};
    static final String[] GRADES = {"A", "B", "C", "D", "F"};

    private Interpretation() {
    }

    /**
     * The grade's score out of 100: Sharpe band 0–40 (poor 0, acceptable 18, good 34, excellent 40, suspicious 10),
     * drawdown band 0–25 (25, 20, 10, 0), profit factor 0–15 (&gt;1.5: 15, 1–1.5: 8, &lt;1 or no trades: 0), sample
     * size 0–10 (10 from {@value #MIN_TRADES} trades, pro rata below), cost robustness 0–10 (edge survives 3x the
     * stated costs 10, 2x 7, 1x 3, never 0, costs not stated 5); minus {@value #HIGH_PENALTY} per high and
     * {@value #MEDIUM_PENALTY} per medium finding, floored at 0 (see {@link #grade} for the caps).
     *
     * @param costMultipleSurvived highest multiple of the costs at which the edge survives (0 none), −1 if unknown
     */
    static double score(Band sharpe, Band drawdown, double profitFactor, int trades, int costMultipleSurvived,
                        int highFindings, int mediumFindings) {
        double s = sharpe.points() + drawdown.points();
        double pf = trades == 0 ? 0 : profitFactor != profitFactor ? Double.POSITIVE_INFINITY : profitFactor;
        s += pf > STRONG_PF ? 15 : pf >= 1 ? 8 : 0;
        s += Math.min(10.0, 10.0 * trades / MIN_TRADES);
        s += costMultipleSurvived < 0 ? 5 : costMultipleSurvived >= 3 ? 10 : costMultipleSurvived == 2 ? 7
                : costMultipleSurvived == 1 ? 3 : 0;
        s -= HIGH_PENALTY * highFindings + MEDIUM_PENALTY * mediumFindings;
        return Math.max(0, s);
    }

    /**
     * The score of an equity curve without a trade list: the Sharpe and drawdown points (65 at most) scaled to 100,
     * minus the same penalties. Trade count, profit factor and cost robustness are unknown, not bad, so they are left
     * out rather than scored 0; the caller caps the grade at B instead (an A needs the trades checked).
     */
    static double curveScore(Band sharpe, Band drawdown, int highFindings, int mediumFindings) {
        double s = (sharpe.points() + drawdown.points()) * 100.0 / 65;
        s -= HIGH_PENALTY * highFindings + MEDIUM_PENALTY * mediumFindings;
        return Math.max(0, s);
    }

    static Band sharpe(double sharpe, AssetClass ac) {
        return band(ac == AssetClass.CRYPTO ? SHARPE_CRYPTO : SHARPE, sharpe);
    }

    static Band drawdown(double maxDrawdown, AssetClass ac) {
        return band(ac == AssetClass.CRYPTO ? DRAWDOWN_CRYPTO : DRAWDOWN, Math.abs(maxDrawdown));
    }

    public static List<Band> sharpeTable(AssetClass ac) {
        return ac == AssetClass.CRYPTO ? SHARPE_CRYPTO : SHARPE;
    }

    public static List<Band> drawdownTable(AssetClass ac) {
        return ac == AssetClass.CRYPTO ? DRAWDOWN_CRYPTO : DRAWDOWN;
    }

    /** NaN (undefined) falls in the first band: an undefined Sharpe earns nothing. */
    private static Band band(List<Band> bands, double v) {
        if (v != v) {
            return bands.get(0);
        }
        for (Band b : bands) {
            if (v < b.upper()) {
                return b;
            }
        }
        return bands.get(bands.size() - 1);
    }

    /** The win-rate × profit-factor profile; "undetermined" without trades (or without a trade list). */
    static String profile(double winRate, double profitFactor) {
        if (winRate != winRate) {
            return "undetermined: no trades";
        }
        int row = winRate < LOW_WIN_RATE ? 0 : winRate <= HIGH_WIN_RATE ? 1 : 2;
        // no losing trade gives an undefined (infinite) profit factor: treat it as strong
        double pf = profitFactor != profitFactor ? Double.POSITIVE_INFINITY : profitFactor;
        int col = pf < 1 ? 0 : pf <= STRONG_PF ? 1 : 2;
        return PROFILE[row][col];
    }

    /**
     * Letter of a score: A from 85, B from 70, C from 55, D from 40, else F; whatever the score, a high finding caps
     * the grade at B and a critical one at D (an A must have nothing serious left to fix).
     */
    static String grade(double score, boolean critical, boolean high) {
        int i = 0;
        while (i < GRADE_FLOORS.length && score < GRADE_FLOORS[i]) {
            i++;
        }
        int cap = critical ? 3 : high ? 1 : 0;
        return GRADES[Math.max(i, cap)];
    }
}
