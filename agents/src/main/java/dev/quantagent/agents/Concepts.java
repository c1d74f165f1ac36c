package dev.quantagent.agents;

import java.util.List;
import java.util.Locale;

/**
 * The classic ideas of the equity-factor literature that the offline Writer drafts from, each a formula with a window
 * to choose, a short name and the economic story a person (and the knowledge base's semantic search) reads. They use
 * only bars (open, high, low, close, volume and derived returns), so every data set has them.
 */
final class Concepts {

    /**
     * One idea.
     *
     * @param name     short, e.g. {@code short-term reversal}
     * @param template the formula, {@code W} standing for the window
     * @param windows  windows to choose from (empty: none)
     * @param story    the idea in a sentence
     */
    record Concept(String name, String template, int[] windows, String story) {

        String formula(int window) {
            return template.replace("W", String.valueOf(window));
        }

        /** e.g. {@code short-term reversal over 5 days}. */
        String title(int window, String unit) {
            return windows.length == 0 ? name : String.format(Locale.ROOT, "%s over %d %s", name, window, unit);
        }
    }

    static final List<Concept> ALL = List.of(
            new Concept("short-term reversal", "-ts_sum(returns, W)", new int[] {3, 5, 10},
                    "last week's losers bounce back and its winners give back (Jegadeesh 1990, Lehmann 1990)"),
            new Concept("momentum", "delay(ts_sum(returns, W), 5)", new int[] {20, 60, 120},
                    "past winners, skipping the last week, keep winning (Jegadeesh and Titman 1993)"),
            new Concept("low volatility", "-stddev(returns, W)", new int[] {10, 20, 60},
                    "calm stocks earn more than volatile ones for their risk (the low-volatility anomaly, Ang et al. "
                            + "2006)"),
            new Concept("narrow range", "-ts_mean((high - low) / close, W)", new int[] {5, 20},
                    "a narrow daily range marks a calm, overlooked stock"),
            new Concept("intraday strength", "(close - open) / (high - low)", new int[0],
                    "where the close sits within the day's range: buyers who hold a move to the close are informed"),
            new Concept("relative volume", "volume / ts_mean(volume, W)", new int[] {5, 20, 60},
                    "trading far above its usual volume means news the price has not finished absorbing"),
            new Concept("trend", "close / ts_mean(close, W) - 1", new int[] {5, 20, 60},
                    "a price above its own average is in a trend that tends to persist"),
            new Concept("nearness to the high", "close / ts_max(high, W)", new int[] {20, 60, 120},
                    "investors anchor to the recent high, so stocks near it under-react to good news (George and "
                            + "Hwang 2004)"),
            new Concept("overnight gap", "open / delay(close, 1) - 1", new int[0],
                    "the overnight move, which the day's trading tends to reverse"),
            new Concept("price-volume divergence", "-correlation(close, volume, W)", new int[] {10, 20},
                    "a rise on falling volume is a weak move, a fall on falling volume a tired one"),
            new Concept("lottery aversion", "-ts_skew(returns, W)", new int[] {20, 60},
                    "lottery-like stocks with right-skewed returns are overpriced (Bali et al. 2011)"),
            new Concept("stretch", "-ts_zscore(close, W)", new int[] {10, 20},
                    "a price stretched far from its recent mean reverts"),
            new Concept("range position", "(close - ts_min(low, W)) / (ts_max(high, W) - ts_min(low, W))",
                    new int[] {10, 20}, "the close's place between the recent low and high (a stochastic oscillator)"));

    private Concepts() {
    }
}
