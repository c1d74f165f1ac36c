package dev.quantagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quantagent.sandbox.Op;
import dev.quantagent.sandbox.Operators;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path data() throws IOException {
        Path f = dir.resolve("prices.csv");
        Files.writeString(f, String.join("\n",
                "date,open,high,low,close,volume,Name",
                "2020-01-02,10,11,9,10,100,AAA",
                "2020-01-03,10,12,10,11,150,AAA",
                "2020-01-06,11,12,10,12,120,AAA",
                "2020-01-02,20,21,19,20,300,BBB",
                "2020-01-03,20,20,18,19,250,BBB",
                "2020-01-06,19,22,19,21,400,BBB",
                ""));
        return f;
    }

    @Test
    void checkPrintsTheCanonicalFormHashAndComplexity() {
        CliRun r = run("check", "Mean($close, 5) / $close");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("canonical:  (ts_mean(close, 5) / close)"), r.out());
        assertTrue(r.out().contains("complexity: 5 nodes, depth 3, 1 distinct field, 1 numeric parameter"), r.out());
    }

    @Test
    void checkSaysWhetherAFactorDependsOnPriceLevels() {
        assertTrue(run("check", "Mean($close, 5) / $close").out().contains(
                "scale:      free of each asset's price and volume level"));
        assertTrue(run("check", "-delta(close, 1)").out().contains("scale:      depends on each asset's price or "
                + "volume level: its values are in price units (the Judge rejects this)"));
    }

    @Test
    void checkJsonGivesTheScaleWithItsExponents() throws Exception {
        JsonNode s = new ObjectMapper().readTree(run("check", "--json", "volume / adv20").out()).get("scale");
        assertTrue(s.get("dependent").asBoolean());
        assertEquals(-1.0, s.get("price_exponent").asDouble());
        assertEquals(0.0, s.get("shares_exponent").asDouble());
        assertEquals("its values are in price^-1 units", s.get("why").asText());
    }

    @Test
    void checkRejectsABadFormulaWithItsPositionAndExitCodeTwo() {
        CliRun r = run("check", "rank(close +)");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: column 13: "), r.err());
        assertTrue(r.err().contains("rank(close +)\n              ^"), r.err());
    }

    @Test
    void checkWarnsOfAFieldTheUsualDataLacksWithTheClosestOne() {
        CliRun r = run("check", "rank(clsoe)");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().startsWith("warning: column 6: unknown field 'clsoe' (did you mean 'close'?); the usual "
                + "price data has open, high, low, close, volume, cap (and derived: returns, vwap, adv{d}); if your "
                + "data has such a column, check --data FILE"), r.err());
        assertTrue(r.out().contains("canonical:  rank(clsoe)"), r.out());
        assertEquals("", run("check", "rank(close / adv20) + returns").err());
    }

    @Test
    void checkRefusesAFieldTheGivenDataLacks() throws IOException {
        CliRun withData = run("check", "--data", data().toString(), "rank(clsoe)");
        assertEquals(2, withData.code());
        assertTrue(withData.err().startsWith("error: column 6: unknown field 'clsoe' (did you mean 'close'?); the "
                + "data has open, high, low, close, volume, returns, vwap"), withData.err());
        CliRun withFields = run("check", "--fields", "close,funding_rate", "funding_rate * returns - vwap");
        assertEquals(2, withFields.code());
        assertTrue(withFields.err().startsWith("error: column 26: unknown field 'vwap'; the data has close, "
                + "funding_rate (and derived: returns)"), withFields.err());
        assertEquals(0, run("check", "--fields", "close,funding_rate", "funding_rate * returns").code());
    }

    @Test
    void checkWithJsonReportsErrorsAsJson() throws IOException {
        CliRun r = run("check", "--json", "ts_mean(close, 0)");
        assertEquals(2, r.code());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertFalse(j.get("ok").asBoolean());
        assertEquals("window", j.get("error").get("kind").asText());
        assertEquals(15, j.get("error").get("position").asInt());
    }

    @Test
    void checkWithJsonReportsTheFactor() throws IOException {
        JsonNode j = new ObjectMapper().readTree(run("check", "--json", "rank(volume)").out());
        assertTrue(j.get("ok").asBoolean());
        assertEquals("rank(volume)", j.get("canonical").asText());
        assertEquals(16, j.get("hash").asText().length());
        assertEquals(2, j.get("complexity").get("nodes").asInt());
        assertEquals(0, j.get("warnings").size());
    }

    @Test
    void valuesWritesPresentCellsAsLongCsvInFullPrecision() throws IOException {
        Path out = dir.resolve("v.csv");
        CliRun r = run("values", "--data", data().toString(), "--out", out.toString(), "close / delay(close, 1)");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(List.of("date,symbol,value", "2020-01-03,AAA,1.1", "2020-01-03,BBB,0.95",
                "2020-01-06,AAA,1.0909090909090908", "2020-01-06,BBB,1.105263157894737"), lines);
    }

    @Test
    void valuesCompressesWhenTheOutputEndsInGz() throws IOException {
        Path out = dir.resolve("v.csv.gz");
        assertEquals(0, run("values", "--data", data().toString(), "--out", out.toString(), "rank(close)").code());
        try (InputStream in = new GZIPInputStream(Files.newInputStream(out))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("date,symbol,value\n2020-01-02,AAA,0.5\n"), text);
        }
    }

    @Test
    void valuesToADashWritesTheCsvToStandardOutput() throws IOException {
        CliRun r = run("values", "--data", data().toString(), "--out", "-", "close / delay(close, 1)");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("date,symbol,value\n2020-01-03,AAA,1.1\n"), r.out());
        assertFalse(Files.exists(Path.of("-")), "a file named '-' was written");
        assertTrue(r.err().contains("to standard output"), r.err());
    }

    @Test
    void valuesIntoAMissingDirectoryIsABadInputAndCreatesNothing() throws IOException {
        Path out = dir.resolve("typo").resolve("v.csv");
        CliRun r = run("values", "--data", data().toString(), "--out", out.toString(), "rank(close)");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no such directory " + dir.resolve("typo")), r.err());
        assertFalse(Files.exists(dir.resolve("typo")));
    }

    @Test
    void valuesToANamedPipeIsRefusedBeforeTheDataIsReadAndThePipeIsKept() throws Exception {
        Path pipe = Fifo.make(dir.resolve("pipe.csv"));
        CliRun r = run("values", "--data", dir.resolve("missing.csv").toString(), "--out", pipe.toString(), "close");
        assertEquals(2, r.code(), r.err());
        assertEquals("error: --out " + pipe + ": cannot write: it is a named pipe (FIFO), not a regular file; "
                + "QuantAgent writes only regular files", r.err().strip());
        assertTrue(Fifo.isPipe(pipe), "the pipe was replaced by a file");
    }

    @Test
    void valuesThroughASymbolicLinkReplacesTheFileItNamesAndKeepsTheLink() throws IOException {
        Path real = Files.writeString(dir.resolve("real.csv"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), real.getFileName());
        assertEquals(0, run("values", "--data", data().toString(), "--out", link.toString(), "close").code());
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.readString(real).startsWith("date,symbol,value\n"), Files.readString(real));
    }

    @Test
    void valuesFilesGetTheSamePermissionsAsAnyNewFile() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews()
                .contains("posix"));
        Path out = dir.resolve("v.csv");
        assertEquals(0, run("values", "--data", data().toString(), "--out", out.toString(), "rank(close)").code());
        Path plain = Files.createFile(dir.resolve("plain.csv"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(out));
    }

    @Test
    void valuesReportsAMalformedDataLine() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "date,close,symbol\n2020-01-02,10,AAA\n2020-01-03,ten,AAA\n");
        CliRun r = run("values", "--data", f.toString(), "--out", dir.resolve("o.csv").toString(), "close");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.csv:3"), r.err());
        assertFalse(Files.exists(dir.resolve("o.csv")));
    }

    @Test
    void valuesReportsAnUnknownFieldWithThePosition() throws IOException {
        CliRun r = run("values", "--data", data().toString(), "--out", dir.resolve("o.csv").toString(),
                "rank(funding_rate)");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("column 6: unknown field 'funding_rate'"), r.err());
    }

    @Test
    void opsListsEveryOperatorOfTheRegistry() {
        CliRun r = run("ops");
        assertEquals(0, r.code());
        for (Op op : Operators.all()) {
            assertTrue(r.out().contains(op.signature()), op.signature());
        }
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithExitCodeTwo() {
        CliRun r = run("check", "--bogus", "close");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unmatched argument"), r.err());
    }

    @Test
    void everyCommandAnswersHelp() {
        for (String[] cmd : new String[][] {{"check"}, {"values"}, {"ops"}, {"eval"}, {"mine"}, {"data", "synth"},
            {"data", "bybit"}, {"data", "inspect"}, {"kb"}, {"kb", "list"}, {"kb", "search"}}) {
            String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 1);
            args[cmd.length] = "--help";
            CliRun r = run(args);
            assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.out().contains("Usage:"), String.join(" ", args) + ": " + r.out());
        }
    }

    @Test
    void anOutThatLinksIntoAMissingFolderNamesThatFolder() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("out.csv"), dir.resolve("gone").resolve("out.csv"));
        CliRun r = run("values", "--out", link.toString(), "close");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--out " + link + ": cannot write: no such directory " + dir.resolve("gone")),
                r.err());
    }

    @Test
    void anArgumentStartingWithAnAtIsAFormulaNotAFileToRead() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret"), "the-secret-line\n");
        CliRun r = run("check", "@" + secret);
        assertEquals(2, r.code(), r.err());
        assertFalse((r.out() + r.err()).contains("the-secret-line"), r.err());
        assertTrue(r.err().contains("@" + secret), r.err());
    }

    @Test
    void outputThatCannotBeWrittenExitsNonZeroSayingSoOnOneLine() {
        java.io.StringWriter err = new java.io.StringWriter();
        java.io.Writer full = new java.io.Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void flush() throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void close() {
            }
        };
        int code = QuantAgentCli.run(new String[] {"check", "--json", "close"}, new java.io.PrintWriter(full),
                new java.io.PrintWriter(err));
        assertEquals(2, code);
        assertEquals("error: cannot write to standard output; the output is lost", err.toString().strip());
    }

    @Test
    void standardOutputOnAFullDiskExitsNonZeroSayingWhy() throws Exception {
        java.io.File full = new java.io.File("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(full.exists(), "no /dev/full here");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                QuantAgentCli.class.getName(), "check", "--json", "close")
                .redirectOutput(full).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor(), err);
        assertEquals("error: cannot write to standard output: No space left on device; the output is lost",
                err.strip());
    }

    @Test
    void escapeSequencesInACsvHeaderNeverReachTheTerminal() throws IOException {
        Path f = dir.resolve("escapes.csv");
        Files.writeString(f, "date,symbol,\u001b]0;pwned\u0007\u001b[31mclose\n2020-01-02,AAA,1\n");
        CliRun r = run("values", "--data", f.toString(), "--out", dir.resolve("o.csv").toString(), "close");
        assertEquals(2, r.code(), r.err());
        assertFalse(r.err().contains("\u001b") || r.err().contains("\u0007"), r.err());
        assertTrue(r.err().contains("column 3 of the header has control characters in its name: "
                + "\"]0;pwned\\u0007\\u001B[31mclose\""), r.err()); // the leading escape is trimmed as a blank
    }

    @Test
    void aFormulaMayStartWithAMinusSign() {
        CliRun r = run("check", "-1 * rank(close)");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("canonical:  (-1 * rank(close))"), r.out());
    }
}
