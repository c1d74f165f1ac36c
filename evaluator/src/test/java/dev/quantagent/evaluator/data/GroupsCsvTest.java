package dev.quantagent.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.Panel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupsCsvTest {

    /** Assets AAPL, JPM, XOM (in that order) over two dates. */
    private static final Panel PANEL = Panel.builder(new long[] {86_400, 172_800}, new String[] {"AAPL", "JPM", "XOM"})
            .field("close", new double[] {1, 2, 3, 4, 5, 6})
            .grouping("country", new String[] {"US", "US", null})
            .build();

    private static Panel withGroups(String... lines) {
        return GroupsCsv.withGroups(PANEL, new StringReader(String.join("\n", lines) + "\n"), "groups.csv");
    }

    private static DataException failure(String... lines) {
        return assertThrows(DataException.class, () -> withGroups(lines));
    }

    private static void assertMessageHas(DataException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    @Test
    void eachGroupColumnBecomesAGroupingPerSymbol() {
        Panel p = withGroups("symbol,sector,subindustry",
                "AAPL,Information Technology,\"Technology Hardware, Storage & Peripherals\"",
                "JPM,Financials,Diversified Banks",
                "XOM,Energy,Integrated Oil & Gas");
        assertEquals("Information Technology", p.groupOf("sector", 0));
        assertEquals("Technology Hardware, Storage & Peripherals", p.groupOf("subindustry", 0));
        assertEquals("Energy", p.groupOf("sector", 2));
    }

    @Test
    void groupColumnNamesAreLowerCased() {
        Panel p = withGroups("Symbol,Sector", "AAPL,Tech");
        assertTrue(p.groupNames().contains("sector"), p.groupNames().toString());
    }

    @Test
    void panelSymbolsMissingFromTheFileHaveUnknownGroups() {
        Panel p = withGroups("symbol,sector", "AAPL,Tech");
        assertNull(p.groupOf("sector", 1));
        assertNull(p.groupOf("sector", 2));
    }

    @Test
    void blankLabelIsUnknown() {
        Panel p = withGroups("symbol,sector,subindustry", "JPM,Financials,", "XOM,Energy,  ");
        assertEquals("Financials", p.groupOf("sector", 1));
        assertNull(p.groupOf("subindustry", 1));
        assertNull(p.groupOf("subindustry", 2));
    }

    @Test
    void symbolsOnlyInTheFileAreIgnored() {
        Panel p = withGroups("ticker,sector", "ZZZ,Nowhere", "JPM,Financials");
        assertEquals(List.of("Financials"), p.groupLabels("sector"));
    }

    @Test
    void datesSymbolsFieldsAndEarlierGroupingsAreKept() {
        Panel p = withGroups("symbol,sector", "AAPL,Tech");
        assertEquals(2, p.dateCount());
        assertEquals(172_800, p.date(1));
        assertEquals("XOM", p.symbol(2));
        assertSame(PANEL.column("close"), p.column("close"));
        assertEquals("US", p.groupOf("country", 1));
        assertNull(p.groupOf("country", 2));
    }

    @Test
    void groupsFileIsReadFromAGzipPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sectors.csv");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("symbol,sector\nXOM,Energy\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("Energy", GroupsCsv.withGroups(PANEL, file).groupOf("sector", 2));
    }

    @Test
    void emptyGroupsFileIsRejected() {
        DataException e = assertThrows(DataException.class,
                () -> GroupsCsv.withGroups(PANEL, new StringReader(""), "groups.csv"));
        assertMessageHas(e, "groups.csv:1:", "empty");
    }

    @Test
    void groupsFileWithoutSymbolColumnIsRejected() {
        assertMessageHas(failure("company,sector", "AAPL,Tech"),
                "groups.csv:1:", "no symbol column", "[company, sector]", "symbol, name, ticker, asset");
    }

    @Test
    void groupsFileWithoutGroupColumnsIsRejected() {
        assertMessageHas(failure("symbol", "AAPL"), "groups.csv:1:", "no group columns");
    }

    @Test
    void groupsRowWithTheWrongNumberOfCellsIsRejectedWithItsLine() {
        assertMessageHas(failure("symbol,sector", "AAPL,Tech", "JPM,Financials,Banks"),
                "groups.csv:3:", "expected 2 cells", "found 3");
    }

    @Test
    void blankSymbolInGroupsFileIsRejectedWithItsLine() {
        assertMessageHas(failure("symbol,sector", "AAPL,Tech", ",Energy"), "groups.csv:3:", "symbol is blank");
    }

    @Test
    void duplicateSymbolInGroupsFileIsRejectedNamingBothLines() {
        assertMessageHas(failure("symbol,sector", "AAPL,Tech", "JPM,Financials", "AAPL,Hardware"),
                "groups.csv:4:", "lines 2 and 4", "AAPL");
    }

    @Test
    void groupLabelsAreIndexedInOrderOfFirstUse() {
        Panel p = withGroups("symbol,sector", "XOM,Energy", "AAPL,Tech", "JPM,Energy");
        // Assets are visited in panel order: AAPL (Tech) first, then JPM and XOM (Energy).
        assertArrayEquals(new Object[] {"Tech", "Energy"}, p.groupLabels("sector").toArray());
    }
}
