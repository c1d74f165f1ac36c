package dev.quantagent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.evaluator.data.GroupsCsv;
import dev.quantagent.evaluator.data.PanelCsv;
import dev.quantagent.evaluator.synth.SyntheticMarket;
import dev.quantagent.sandbox.Panel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void theWrittenCsvLoadsBackToExactlyTheGeneratedValues() throws IOException {
        Path csv = dir.resolve("market.csv");
        Path groups = dir.resolve("groups.csv");
        CliRun r = run("data", "synth", "--out", csv.toString(), "--assets", "12", "--days", "50", "--seed", "7",
                "--groups-out", groups.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("wrote 600 rows (12 assets x 50 days, 2015-01-02 to 2015-03-12, seed 7)"), r.err());
        assertTrue(r.err().contains("-ts_sum(returns, 5)"), r.err());

        Panel expected = SyntheticMarket.generate(new SyntheticMarket.Config(12, 50, 7));
        Panel loaded = GroupsCsv.withGroups(PanelCsv.read(csv), groups);
        assertEquals(expected.dateCount(), loaded.dateCount());
        assertEquals(expected.assetCount(), loaded.assetCount());
        for (int t = 0; t < expected.dateCount(); t++) {
            assertEquals(expected.date(t), loaded.date(t));
        }
        assertEquals(List.copyOf(expected.fieldNames()), List.copyOf(loaded.fieldNames()));
        for (String f : expected.fieldNames()) {
            assertArrayEquals(expected.column(f), loaded.column(f), f); // bit for bit
        }
        for (int a = 0; a < expected.assetCount(); a++) {
            assertEquals(expected.symbol(a), loaded.symbol(a));
            for (String g : List.of("sector", "industry", "subindustry")) {
                assertEquals(expected.groupOf(g, a), loaded.groupOf(g, a), g);
            }
        }

        List<String> lines = Files.readAllLines(csv);
        assertEquals("date,symbol,open,high,low,close,volume,vwap,cap", lines.get(0));
        assertEquals(601, lines.size());
        assertTrue(lines.get(1).startsWith("2015-01-02,SYN000,"), lines.get(1));
        assertTrue(lines.get(1).split(",")[6].matches("[1-9][0-9]*"), lines.get(1)); // whole shares, no exponent
        assertFalse(Files.readString(csv).contains("\r"));
        assertEquals("symbol,sector,industry,subindustry", Files.readAllLines(groups).get(0));
    }

    @Test
    void theSameSeedWritesTheSameBytesAndAnotherSeedOthers() throws IOException {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Path c = dir.resolve("c.csv");
        assertEquals(0, run("data", "synth", "--out", a.toString(), "--assets", "8", "--days", "40").code());
        assertEquals(0, run("data", "synth", "--out", b.toString(), "--assets", "8", "--days", "40").code());
        assertEquals(0, run("data", "synth", "--out", c.toString(), "--assets", "8", "--days", "40", "--seed",
                "43").code());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertFalse(Files.readString(a).equals(Files.readString(c)));
    }

    @Test
    void aNameEndingInGzIsCompressed() throws IOException {
        Path gz = dir.resolve("sub/market.csv.gz");
        CliRun r = run("data", "synth", "--out", gz.toString(), "--assets", "3", "--days", "5");
        assertEquals(0, r.code(), r.err());
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("date,symbol,open,high,low,close,volume,vwap,cap\n2015-01-02,SYN000,"), text);
        }
        assertEquals(15, PanelCsv.read(gz).cells());
        try (var files = Files.list(gz.getParent())) {
            assertEquals(1, files.count()); // no temporary file left behind
        }
    }

    @Test
    void aTargetThatIsNoRegularFileIsRefusedAndKept() throws Exception {
        Path pipe = Fifo.make(dir.resolve("groups.csv"));
        Path folder = Files.createDirectory(dir.resolve("market.csv"));
        CliRun r = run("data", "synth", "--out", dir.resolve("ok.csv").toString(), "--groups-out", pipe.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--groups-out " + pipe + ": cannot write: it is a named pipe (FIFO)"), r.err());
        assertTrue(Fifo.isPipe(pipe), "the pipe was replaced by a file");
        assertFalse(Files.exists(dir.resolve("ok.csv")), "nothing is written when a target is refused");
        r = run("data", "synth", "--out", folder.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--out " + folder + ": cannot write: it is a directory"), r.err());
        assertTrue(Files.isDirectory(folder));
    }

    @Test
    void anOutOfRangeOptionIsAUsageErrorWithExitCodeTwo() {
        Path out = dir.resolve("never.csv");
        CliRun r = run("data", "synth", "--out", out.toString(), "--assets", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Invalid value for option '--assets': must be between 1 and 10000, got 0"), r.err());
        assertFalse(Files.exists(out));

        r = run("data", "synth", "--out", out.toString(), "--days", "many");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--days"), r.err());

        r = run("data", "synth", "--out", out.toString(), "--assets", "10000", "--days", "20000");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cells"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void dataOnItsOwnListsItsSubcommands() {
        CliRun r = run("data");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("synth"), r.out());
        assertTrue(run("--help").out().contains("data"));
        r = run("data", "synth", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--groups-out"), r.out());
    }

    @Test
    void numbersAreWrittenExactly() {
        assertEquals("123456", SynthCommand.number(123456.0));
        assertEquals("0.1", SynthCommand.number(0.1));
        assertEquals("-0.0", SynthCommand.number(-0.0));
        assertEquals("1.0E15", SynthCommand.number(1e15));
        assertEquals("121.50768356936852", SynthCommand.number(121.50768356936852));
    }
}
