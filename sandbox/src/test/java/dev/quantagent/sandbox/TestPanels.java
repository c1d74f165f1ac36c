package dev.quantagent.sandbox;

import java.util.List;
import java.util.Random;

/** Small seeded panels for tests: a random walk of prices with gaps, late starters and ties. */
final class TestPanels {

    private TestPanels() {
    }

    static Panel random(int dates, int assets, long seed) {
        Random r = new Random(seed);
        long[] ds = new long[dates];
        for (int t = 0; t < dates; t++) {
            ds[t] = 1_600_000_000L / 86_400 * 86_400 + t * 86_400L;
        }
        String[] syms = new String[assets];
        String[] sectors = new String[assets];
        String[] industries = new String[assets];
        String[] subindustries = new String[assets];
        for (int a = 0; a < assets; a++) {
            syms[a] = String.format("S%03d", a);
            sectors[a] = a % 7 == 6 ? null : "sector" + (a % 3);
            industries[a] = "industry" + (a % 5);
            subindustries[a] = "sub" + (a % 10);
        }
        int n = dates * assets;
        double[] open = new double[n];
        double[] high = new double[n];
        double[] low = new double[n];
        double[] close = new double[n];
        double[] volume = new double[n];
        double[] cap = new double[n];
        for (int a = 0; a < assets; a++) {
            double price = 20 + 80 * r.nextDouble();
            int start = a % 9 == 4 ? dates / 3 : 0; // some assets start late
            for (int t = 0; t < dates; t++) {
                int i = a * dates + t;
                if (t < start || (r.nextDouble() < 0.01)) { // missing rows
                    open[i] = high[i] = low[i] = close[i] = volume[i] = cap[i] = Double.NaN;
                    continue;
                }
                double o = price;
                price = Math.max(1, price * Math.exp(0.02 * r.nextGaussian()));
                if (a % 11 == 3 && t % 13 < 6) {
                    price = o; // flat stretches: exact ties and zero-variance windows
                }
                double c = Math.round(price * 100) / 100.0;
                open[i] = Math.round(o * 100) / 100.0;
                close[i] = c;
                high[i] = Math.max(open[i], c) * (1 + 0.01 * r.nextDouble());
                low[i] = Math.min(open[i], c) * (1 - 0.01 * r.nextDouble());
                volume[i] = a % 11 == 3 && t % 13 < 6 ? 1000 : Math.floor(1e5 * Math.exp(r.nextGaussian()));
                cap[i] = c * 1e6 * (1 + a);
            }
        }
        return Panel.builder(ds, syms).field("open", open).field("high", high).field("low", low)
                .field("close", close).field("volume", volume).field("cap", cap)
                .grouping("sector", sectors).grouping("industry", industries).grouping("subindustry", subindustries)
                .build();
    }

    /**
     * A panel of signed values with missing cells sprinkled everywhere: fields x and y (rounded, so with ties; zeros;
     * about 5% missing; flat stretches in some assets, so constant windows), positive fields close and volume, and a
     * grouping "sector" that leaves some assets out.
     */
    static Panel sprinkled(int dates, int assets, long seed) {
        Random r = new Random(seed);
        long[] ds = new long[dates];
        for (int t = 0; t < dates; t++) {
            ds[t] = t * 86_400L;
        }
        String[] syms = new String[assets];
        String[] sectors = new String[assets];
        for (int a = 0; a < assets; a++) {
            syms[a] = "A" + a;
            sectors[a] = a % 6 == 5 ? null : "sector" + (a % 4);
        }
        int n = dates * assets;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] close = new double[n];
        double[] volume = new double[n];
        for (int a = 0; a < assets; a++) {
            double price = 10 + 90 * r.nextDouble();
            for (int t = 0; t < dates; t++) {
                int i = a * dates + t;
                boolean flat = a % 7 == 2 && t % 17 < 9;
                price = flat ? price : Math.max(1, price * Math.exp(0.03 * r.nextGaussian()));
                x[i] = flat ? 0.5 : Math.round(r.nextGaussian() * 20) / 10.0;
                y[i] = Math.round((r.nextGaussian() + 0.3 * x[i]) * 100) / 100.0;
                close[i] = Math.round(price * 100) / 100.0;
                volume[i] = Math.floor(1e4 * Math.exp(r.nextGaussian()));
            }
        }
        for (double[] field : List.of(x, y, close, volume)) {
            for (int i = 0; i < n; i++) {
                if (r.nextDouble() < 0.05) {
                    field[i] = Double.NaN;
                }
            }
        }
        return Panel.builder(ds, syms).field("x", x).field("y", y).field("close", close).field("volume", volume)
                .grouping("sector", sectors).build();
    }

    /** A panel of one field with the given values per asset (each row an asset's history). */
    static Panel of(String field, double[]... perAsset) {
        int dates = perAsset[0].length;
        long[] ds = new long[dates];
        for (int t = 0; t < dates; t++) {
            ds[t] = t * 86_400L;
        }
        String[] syms = new String[perAsset.length];
        double[] v = new double[dates * perAsset.length];
        for (int a = 0; a < perAsset.length; a++) {
            syms[a] = "A" + a;
            System.arraycopy(perAsset[a], 0, v, a * dates, dates);
        }
        return Panel.builder(ds, syms).field(field, v).build();
    }
}
