package dev.quantagent.assistant;

import dev.quantagent.assistant.Backtest.FundingRates;
import dev.quantagent.assistant.Backtest.Trade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Funding a backtest's perpetual positions would have paid, from published funding rates: each trade pays, at every
 * settlement strictly after its entry and up to its exit, {@code direction × position value × rate} (a positive rate:
 * longs pay, shorts receive). The position value is {@code |quantity| × entry price} when both are given, else the
 * value its P&amp;L and return imply, {@code |pnl / return|}. A trade's rates are those of its symbol; a file of one
 * symbol (or without a symbol column) applies to trades whose symbol is not given.
 *
 * @param total       funding paid by all charged trades (negative: received)
 * @param charged     trades charged
 * @param unmatched   trades without rates for their symbol, or without a position value
 * @param settlements settlements the charged trades were open through
 * @param missing     the symbols that have no rates, sorted
 */
public record Funding(double total, int charged, int unmatched, int settlements, List<String> missing) {

    static Funding charge(List<Trade> trades, FundingRates rates) {
        Map<String, List<Integer>> bySymbol = new HashMap<>();
        for (int i = 0; i < rates.time().length; i++) {
            bySymbol.computeIfAbsent(rates.symbol()[i], k -> new ArrayList<>()).add(i);
        }
        Map<String, long[]> times = new HashMap<>();
        Map<String, double[]> values = new HashMap<>();
        for (Map.Entry<String, List<Integer>> e : bySymbol.entrySet()) {
            List<Integer> idx = new ArrayList<>(e.getValue());
            idx.sort((a, b) -> Long.compare(rates.time()[a], rates.time()[b]));
            long[] t = new long[idx.size()];
            double[] r = new double[idx.size()];
            for (int k = 0; k < t.length; k++) {
                t[k] = rates.time()[idx.get(k)];
                r[k] = rates.rate()[idx.get(k)];
            }
            times.put(e.getKey(), t);
            values.put(e.getKey(), r);
        }
        String only = bySymbol.size() == 1 ? bySymbol.keySet().iterator().next() : null;
        double total = 0;
        int charged = 0;
        int unmatched = 0;
        int settlements = 0;
        TreeSet<String> missing = new TreeSet<>();
        for (Trade tr : trades) {
            String sym = tr.symbol() == null ? "?" : tr.symbol().trim().toUpperCase(java.util.Locale.ROOT);
            String key = times.containsKey(sym) ? sym : only != null && (sym.equals("?") || only.isEmpty()) ? only
                    : null;
            double value = Metrics.positionValue(tr);
            if (key == null || value != value) {
                unmatched++;
                if (key == null) {
                    missing.add(sym);
                }
                continue;
            }
            long[] t = times.get(key);
            double[] r = values.get(key);
            int from = upperBound(t, tr.entryTime()); // first settlement after the entry
            int to = upperBound(t, tr.exitTime()); // settlements up to the exit, inclusive
            double paid = 0;
            for (int k = from; k < to; k++) {
                paid += r[k];
            }
            total += tr.direction() * value * paid;
            settlements += Math.max(0, to - from);
            charged++;
        }
        return new Funding(total, charged, unmatched, settlements, List.copyOf(missing));
    }

    /** The index of the first element greater than {@code x}. */
    private static int upperBound(long[] sorted, long x) {
        int i = Arrays.binarySearch(sorted, x);
        if (i < 0) {
            return -i - 1;
        }
        while (i < sorted.length && sorted[i] == x) {
            i++;
        }
        return i;
    }
}
