package dev.quantagent.evaluator.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.evaluator.synth.SyntheticMarket.Config;
import dev.quantagent.evaluator.synth.SyntheticMarket.PlantedAlpha;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SyntheticMarketTest {

    private static final List<String> FIELDS = List.of("open", "high", "low", "close", "volume", "vwap", "cap");

    /** The default market, generated once: several tests only read it. */
    private static final Panel DEFAULT = SyntheticMarket.generate(Config.DEFAULT);

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);

    @Test
    void theSameSeedGivesTheSameMarketBitForBit() {
        Panel again = SyntheticMarket.generate(new Config(100, 756, 42));
        for (String f : FIELDS) {
            assertArrayEquals(DEFAULT.column(f), again.column(f), f); // exact: assertArrayEquals(double[]) has no delta
        }
        for (int a = 0; a < DEFAULT.assetCount(); a++) {
            assertEquals(DEFAULT.groupOf("subindustry", a), again.groupOf("subindustry", a));
        }
    }

    @Test
    void aDifferentSeedGivesADifferentMarket() {
        Panel other = SyntheticMarket.generate(new Config(100, 756, 43));
        for (String f : FIELDS) {
            assertFalse(Arrays.equals(DEFAULT.column(f), other.column(f)), f);
        }
    }

    @Test
    void aShorterMarketIsTheStartOfALongerOneSoNothingLooksAhead() {
        Panel shorter = SyntheticMarket.generate(new Config(100, 300, 42));
        int days = DEFAULT.dateCount();
        for (String f : FIELDS) {
            double[] longer = DEFAULT.column(f);
            double[] part = shorter.column(f);
            for (int a = 0; a < 100; a++) {
                for (int t = 0; t < 300; t++) {
                    assertEquals(longer[a * days + t], part[a * 300 + t], 0.0, f);
                }
            }
        }
    }

    @Test
    void everyBarIsConsistent() {
        Panel p = DEFAULT;
        double[] open = p.column("open");
        double[] high = p.column("high");
        double[] low = p.column("low");
        double[] close = p.column("close");
        double[] volume = p.column("volume");
        double[] vwap = p.column("vwap");
        double[] cap = p.column("cap");
        int days = p.dateCount();
        for (int i = 0; i < p.cells(); i++) {
            String where = p.symbol(i / days) + " " + p.dateLabel(i % days);
            for (String f : FIELDS) {
                double v = p.column(f)[i];
                assertTrue(Double.isFinite(v) && v > 0, () -> f + " of " + where + " is " + v);
            }
            assertTrue(high[i] >= Math.max(open[i], close[i]), where);
            assertTrue(low[i] <= Math.min(open[i], close[i]), where);
            assertTrue(high[i] > low[i], where); // so (close - open) / (high - low) is always defined
            assertTrue(vwap[i] >= low[i] && vwap[i] <= high[i], where);
            assertEquals(Math.rint(volume[i]), volume[i], 0.0, where); // whole shares
            // cap / close is the asset's constant share count
            double shares = cap[(i / days) * days] / close[(i / days) * days];
            assertEquals(shares, cap[i] / close[i], shares * 1e-12, where);
        }
    }

    @Test
    void theMarketHasTheRequestedShapeOnABusinessDayCalendar() {
        Panel p = SyntheticMarket.generate(new Config(37, 61, 5));
        assertEquals(37, p.assetCount());
        assertEquals(61, p.dateCount());
        assertEquals("2015-01-02", p.dateLabel(0));
        assertEquals("2015-01-05", p.dateLabel(1)); // Friday, then Monday
        for (int t = 0; t < p.dateCount(); t++) {
            DayOfWeek day = LocalDate.parse(p.dateLabel(t)).getDayOfWeek();
            assertTrue(day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY, p.dateLabel(t));
            if (t > 0) {
                long gap = (p.date(t) - p.date(t - 1)) / 86_400;
                assertEquals(day == DayOfWeek.MONDAY ? 3 : 1, gap, p.dateLabel(t)); // no holidays
            }
        }
        assertEquals("SYN000", p.symbol(0));
        assertEquals("SYN036", p.symbol(36));
        assertEquals(List.of("open", "high", "low", "close", "volume", "vwap", "cap"), List.copyOf(p.fieldNames()));
        assertEquals(756, DEFAULT.dateCount());
        assertEquals("2017-11-24", DEFAULT.dateLabel(755)); // three years of business days
        assertEquals("SYN99999", SyntheticMarket.symbol(99_999, 100_000)); // wider when needed, same width for all
        assertEquals("SYN00000", SyntheticMarket.symbol(0, 100_000));
    }

    @Test
    void assetsHaveNestedSectorsIndustriesAndSubindustries() {
        Panel p = DEFAULT;
        assertEquals(8, p.groupLabels("sector").size());
        assertEquals(20, p.groupLabels("industry").size());
        assertEquals(40, p.groupLabels("subindustry").size());
        Map<String, String> industryOfSub = new HashMap<>();
        Map<String, String> sectorOfIndustry = new HashMap<>();
        int[] members = new int[8];
        for (int a = 0; a < p.assetCount(); a++) {
            String sector = p.groupOf("sector", a);
            String industry = p.groupOf("industry", a);
            String sub = p.groupOf("subindustry", a);
            assertNotNull(sector);
            assertEquals(industry, industryOfSub.computeIfAbsent(sub, k -> industry), sub + " in two industries");
            assertEquals(sector, sectorOfIndustry.computeIfAbsent(industry, k -> sector), industry + " in two sectors");
            members[Integer.parseInt(sector.substring(3))]++;
        }
        for (int m : members) {
            assertTrue(m >= 5, Arrays.toString(members)); // every sector is big enough to neutralise within
        }
    }

    @Test
    void theMarketHasBullAndBearStretches() {
        // The equal-weighted index (mean log return) should both rise over the whole and fall hard at times.
        Panel p = DEFAULT;
        double[] close = p.column("close");
        int days = p.dateCount();
        double index = 0;
        double peak = 0;
        double drawdown = 0;
        for (int t = 1; t < days; t++) {
            double m = 0;
            for (int a = 0; a < p.assetCount(); a++) {
                m += Math.log(close[a * days + t] / close[a * days + t - 1]);
            }
            index += m / p.assetCount();
            peak = Math.max(peak, index);
            drawdown = Math.max(drawdown, peak - index);
        }
        assertTrue(index > 0, "index log return " + index);
        assertTrue(drawdown > 0.1, "largest log drawdown " + drawdown);
        boolean[] bear = SyntheticMarket.bearDays(756, new SplittableRandom(1));
        int bearDays = 0;
        for (boolean b : bear) {
            bearDays += b ? 1 : 0;
        }
        assertTrue(bearDays >= 80 && bearDays <= 160, "bear days " + bearDays); // two stretches of 40 to 80 days
    }

    static Stream<PlantedAlpha> planted() {
        return SyntheticMarket.plantedAlphas().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("planted")
    void eachPlantedAlphaIsDetectableByItsFormula(PlantedAlpha alpha) {
        double ic = meanRankIc(DEFAULT, alpha.formula());
        assertTrue(ic >= 0.01 && ic <= 0.08, alpha.formula() + ": mean rank IC " + ic);
        assertEquals(alpha.intendedIc(), ic, 0.015, alpha.formula() + ": mean rank IC " + ic);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("planted")
    void withoutPlantingTheSameFormulasFindNothing(PlantedAlpha alpha) {
        Panel nullMarket = SyntheticMarket.generate(new Config(100, 756, 42, 0.0));
        double ic = meanRankIc(nullMarket, alpha.formula());
        assertTrue(Math.abs(ic) < 0.015, alpha.formula() + ": mean rank IC " + ic);
    }

    @Test
    void unrelatedFormulasScoreNearZero() {
        // A field of pure noise, and the market cap level, which nothing was planted on.
        double[] noise = new double[DEFAULT.cells()];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = random.nextDouble();
        }
        long[] dates = new long[DEFAULT.dateCount()];
        for (int t = 0; t < dates.length; t++) {
            dates[t] = DEFAULT.date(t);
        }
        String[] symbols = new String[DEFAULT.assetCount()];
        for (int a = 0; a < symbols.length; a++) {
            symbols[a] = DEFAULT.symbol(a);
        }
        Panel withNoise = Panel.builder(dates, symbols).field("close", DEFAULT.column("close")).field("noise", noise)
                .build();
        double noiseIc = meanRankIc(withNoise, "rank(noise)");
        assertTrue(Math.abs(noiseIc) < 0.015, "rank(noise): " + noiseIc);
        double capIc = meanRankIc(DEFAULT, "rank(cap)");
        assertTrue(Math.abs(capIc) < 0.015, "rank(cap): " + capIc);
    }

    @Test
    void everyPlantedAlphaIsAFormulaOfTheLanguageWithItsDocumentedTarget() {
        assertEquals(3, SyntheticMarket.plantedAlphas().size());
        for (PlantedAlpha alpha : SyntheticMarket.plantedAlphas()) {
            SANDBOX.parse(alpha.formula());
            assertTrue(alpha.intendedIc() >= 0.02 && alpha.intendedIc() <= 0.05, alpha.name());
            assertTrue(alpha.lambda() > 0, alpha.name());
        }
    }

    @Test
    void aBadConfigSaysWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Config(0, 756, 1));
        assertEquals("assets must be between 1 and 10000, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Config(10_000, 20_000, 1));
        assertTrue(e.getMessage().contains("200,000,000 cells"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Config(10, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Config(10, 10, 1, Double.NaN));
    }

    @Test
    void tinyMarketsWork() {
        Panel one = SyntheticMarket.generate(new Config(1, 1, 0));
        assertEquals(1, one.cells());
        Panel few = SyntheticMarket.generate(new Config(2, 30, -5));
        assertTrue(few.value("close", 29, 1) > 0);
    }

    @Test
    void normalScoresAreCentredUnitVarianceRanksWithTiesAveraged() {
        double[] out = new double[4];
        SyntheticMarket.normalScores(new double[] {3, 1, 3, 2}, out, new double[4], 4,
                new dev.quantagent.sandbox.CrossSectionalRanks(4));
        double scale = Math.sqrt((16 - 1) / 12.0);
        assertArrayEquals(new double[] {(3.5 - 2.5) / scale, (1 - 2.5) / scale, (3.5 - 2.5) / scale,
                (2 - 2.5) / scale}, out, 1e-15);
    }

    // --- an independent rank-IC implementation ---

    /**
     * Mean over dates of the Spearman correlation between a formula at the close of t and the return from the close
     * of t + 1 to the close of t + 2: QuantAgent's default label (trade at the next close, hold one day).
     */
    private static double meanRankIc(Panel panel, String formula) {
        double[] f = SANDBOX.evaluator(panel).evaluate(SANDBOX.parse(formula));
        double[] close = panel.column("close");
        int days = panel.dateCount();
        int n = panel.assetCount();
        double sum = 0;
        int count = 0;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int t = 0; t + 2 < days; t++) {
            int k = 0;
            for (int a = 0; a < n; a++) {
                double v = f[a * days + t];
                double r = close[a * days + t + 2] / close[a * days + t + 1] - 1;
                if (!Double.isNaN(v) && !Double.isNaN(r)) {
                    x[k] = v;
                    y[k++] = r;
                }
            }
            if (k >= 3) {
                double rho = spearman(Arrays.copyOf(x, k), Arrays.copyOf(y, k));
                if (!Double.isNaN(rho)) {
                    sum += rho;
                    count++;
                }
            }
        }
        return sum / count;
    }

    private static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        int n = rx.length;
        double mean = (n + 1) / 2.0; // average ranks keep the mean
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (rx[i] - mean) * (ry[i] - mean);
            sxx += (rx[i] - mean) * (rx[i] - mean);
            syy += (ry[i] - mean) * (ry[i] - mean);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** 1-based ranks, ties get the average of the ranks they span. */
    static double[] ranks(double[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] rank = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                rank[order[k]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return rank;
    }

    @Test
    void theTestsRankHelperAveragesTies() {
        assertArrayEquals(new double[] {2.5, 1, 2.5, 4}, ranks(new double[] {2, 1, 2, 5}));
    }
}
