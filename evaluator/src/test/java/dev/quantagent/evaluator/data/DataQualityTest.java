package dev.quantagent.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.Panel;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DataQualityTest {

    private static final String CSV = String.join("\n",
            "date,symbol,open,high,low,close,volume",
            "2020-01-06,A,10,11,9,10,100",
            "2020-01-07,A,10,9.5,9,10.5,0",      // high below close
            "2020-01-08,A,,11,10,10.8,100",      // missing open
            "2020-01-09,A,10.8,16,10.8,16,100",  // +48%
            "2020-01-08,B,5,6,4,5,50",           // B starts late
            "2020-01-09,B,5,6,4,5,50",
            "2020-01-20,A,16,17,15,16,100",      // 11 days after the previous date
            "");

    private final DataQuality q = DataQuality.inspect(PanelCsv.read(new StringReader(CSV), "t.csv"));

    @Test
    void contradictoryBarsAreCountedWithExamples() {
        assertEquals(1, q.ohlcViolations());
        assertTrue(q.examples().get("high/low contradicts open/close").get(0).startsWith("A 2020-01-07"));
    }

    @Test
    void missingCellsAreCountedOnlyWhereTheAssetTrades() {
        // B has no rows on 01-06, 01-07 and 01-20: not trading, not missing data
        assertEquals(1L, q.missingByField().get("open"));
        assertEquals(0L, q.missingByField().get("high"));
    }

    @Test
    void largeMovesZeroVolumeLateStartersAndGapsAreReported() {
        assertEquals(1, q.bigMoves());
        assertEquals(1, q.zeroVolume());
        assertEquals(1, q.lateStarters());
        assertEquals(1, q.earlyEnders());
        assertEquals(1, q.gaps());
    }

    @Test
    void theSummaryNamesOnlyWhatIsPresent() {
        assertEquals("1 missing open, 1 bars with high/low contradicting open/close, 1 zero-volume bars, "
                + "1 moves over 40%, 1 symbols start late, 1 end early, 1 gaps in dates", q.summary());
    }

    private static final String HOLES = String.join("\n",
            "date,symbol,close",
            "2020-01-06,A,10", "2020-01-07,A,10", "2020-01-08,A,10", "2020-01-09,A,10",
            "2020-01-06,B,5", "2020-01-09,B,8", // no bar on 01-07 and 01-08 while A trades
            "");

    @Test
    void datesMissingInsideASymbolsLifeAreCountedAsOneStretch() {
        DataQuality h = DataQuality.inspect(PanelCsv.read(new StringReader(HOLES), "h.csv"));
        assertEquals(2, h.holes());
        assertEquals(1, h.symbolsWithHoles());
        assertEquals(List.of("B 2020-01-07 .. 2020-01-08 (2 dates)"),
                h.examples().get("dates missing inside a symbol's life"));
        assertTrue(h.summary().contains("2 dates missing inside the lives of 1 symbol"), h.summary());
    }

    @Test
    void aMoveAcrossMissingDatesIsMeasuredFromTheLastClose() {
        DataQuality h = DataQuality.inspect(PanelCsv.read(new StringReader(HOLES), "h.csv"));
        assertEquals(1, h.bigMoves()); // 5 -> 8 across the hole
        assertEquals(List.of("B 2020-01-09: close 5.0 -> 8.0"), h.examples().get("move over 40%"));
    }

    @Test
    void symbolsAGroupingLeavesWithoutAGroupAreNamed() {
        Panel p = Panel.builder(new long[] {0, 86400}, new String[] {"A", "B", "C"})
                .field("close", new double[] {1, 1, 2, 2, 3, 3}).grouping("sector", new String[] {"Tech", null, null})
                .build();
        DataQuality g = DataQuality.inspect(p);
        assertEquals(Map.of("sector", 2), g.ungrouped());
        assertEquals(List.of("B", "C"), g.examples().get("no sector"));
        assertEquals("2 symbols without a sector", g.summary());
    }

    @Test
    void aCleanPanelHasNoProblems() {
        Panel p = Panel.builder(new long[] {0, 86400}, new String[] {"A"}).field("close", new double[] {1, 1.1})
                .build();
        assertEquals("no problems found", DataQuality.inspect(p).summary());
    }
}
