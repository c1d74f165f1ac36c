package dev.quantagent.benchmarks;

import dev.quantagent.cli.Home;
import dev.quantagent.evaluator.data.GroupsCsv;
import dev.quantagent.evaluator.data.PanelCache;
import dev.quantagent.sandbox.Panel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;

/**
 * The panel benchmarks run on: the real S&P 500 daily file (505 assets x 1,259 dates) when it is at
 * {@code -Dquantagent.data=FILE} or at {@code ../shared/data/all_stocks_5yr.csv.gz}, else a random panel of the same
 * shape, so benchmarks run anywhere but measure real data where it exists.
 */
final class BenchmarkData {

    private BenchmarkData() {
    }

    /** Deletes a benchmark's temporary folder and everything in it. */
    static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Panel sp500OrRandom() {
        Path data = Path.of(System.getProperty("quantagent.data", "../shared/data/all_stocks_5yr.csv.gz"));
        Path groups = Path.of(System.getProperty("quantagent.groups", "../shared/data/sp500_sectors.csv"));
        if (Files.isReadable(data)) {
            // the binary cache spares each JMH fork a 30 MB CSV parse
            Panel p = PanelCache.load(data, Home.cache()); // the command line's cache: one parse for both
            return Files.isReadable(groups) ? GroupsCsv.withGroups(p, groups) : p;
        }
        System.err.println("benchmark data " + data + " not found; using a random 500 x 1260 panel");
        return random(1260, 500, 7);
    }

    /**
     * The S&P file has no market cap and its groups file no industry column: Alpha#56 is measured with close in place
     * of cap, and IndClass.industry with the sector grouping. Same work, different inputs.
     */
    static String adapt(String formula, Panel panel) {
        String f = panel.hasField("cap") ? formula : formula.replace("cap", "close");
        return panel.groupNames().contains("industry") ? f : f.replace("IndClass.industry", "IndClass.sector");
    }

    static Panel random(int dates, int assets, long seed) {
        Random r = new Random(seed);
        long[] ds = new long[dates];
        for (int t = 0; t < dates; t++) {
            ds[t] = 1_360_000_000L / 86_400 * 86_400 + t * 86_400L;
        }
        String[] syms = new String[assets];
        String[] sector = new String[assets];
        for (int a = 0; a < assets; a++) {
            syms[a] = "S" + a;
            sector[a] = "sector" + (a % 11);
        }
        int n = dates * assets;
        double[] open = new double[n];
        double[] high = new double[n];
        double[] low = new double[n];
        double[] close = new double[n];
        double[] volume = new double[n];
        for (int a = 0; a < assets; a++) {
            double price = 20 + 100 * r.nextDouble();
            for (int t = 0; t < dates; t++) {
                int i = a * dates + t;
                open[i] = price;
                price *= Math.exp(0.02 * r.nextGaussian());
                close[i] = price;
                high[i] = Math.max(open[i], price) * (1 + 0.01 * r.nextDouble());
                low[i] = Math.min(open[i], price) * (1 - 0.01 * r.nextDouble());
                volume[i] = Math.floor(1e6 * Math.exp(r.nextGaussian()));
            }
        }
        return Panel.builder(ds, syms).field("open", open).field("high", high).field("low", low)
                .field("close", close).field("volume", volume).grouping("sector", sector)
                .grouping("industry", sector).grouping("subindustry", sector).build();
    }
}
