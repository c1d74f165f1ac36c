package dev.quantagent.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.Panel;

import java.io.StringReader;

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

    @Test
    void aCleanPanelHasNoProblems() {
        Panel p = Panel.builder(new long[] {0, 86400}, new String[] {"A"}).field("close", new double[] {1, 1.1})
                .build();
        assertEquals("no problems found", DataQuality.inspect(p).summary());
    }
}
