package dev.quantagent.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.Panel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PanelCsvTest {

    private static Panel read(String... lines) {
        return PanelCsv.read(new StringReader(String.join("\n", lines) + "\n"), "test.csv");
    }

    private static DataException failure(String... lines) {
        return assertThrows(DataException.class, () -> read(lines));
    }

    private static long epoch(String instant) {
        return Instant.parse(instant).getEpochSecond();
    }

    private static void assertMessageHas(DataException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    private static List<String> symbols(Panel p) {
        String[] s = new String[p.assetCount()];
        for (int a = 0; a < s.length; a++) {
            s[a] = p.symbol(a);
        }
        return List.of(s);
    }

    private static long[] dates(Panel p) {
        long[] d = new long[p.dateCount()];
        for (int t = 0; t < d.length; t++) {
            d[t] = p.date(t);
        }
        return d;
    }

    @Test
    void kaggleLayoutWithNameColumnIsReadWithDatesAtMidnightUtc() {
        Panel p = read("date,open,high,low,close,volume,Name",
                "2013-02-08,15.07,15.12,14.63,14.75,8407500,AAL");
        assertEquals(List.of("AAL"), symbols(p));
        assertArrayEquals(new long[] {epoch("2013-02-08T00:00:00Z")}, dates(p));
        assertEquals(List.of("open", "high", "low", "close", "volume"), List.copyOf(p.fieldNames()));
        assertEquals(14.75, p.value("close", 0, 0));
        assertEquals(8407500.0, p.value("volume", 0, 0));
    }

    @Test
    void timestampColumnWithIsoInstantsIsTheDateColumn() {
        Panel p = read("timestamp,symbol,open,high,low,close,volume",
                "2017-08-17T04:00:00Z,BTCUSDT,4261.48,4313.62,4261.32,4308.83,47.18",
                "2017-08-17T05:00:00Z,BTCUSDT,4308.83,4328.69,4291.37,4315.32,23.23");
        assertArrayEquals(new long[] {epoch("2017-08-17T04:00:00Z"), epoch("2017-08-17T05:00:00Z")}, dates(p));
        assertEquals(4315.32, p.value("close", 1, 0));
    }

    @Test
    void headerNamesAreMatchedCaseInsensitivelyAndTrimmed() {
        Panel p = read(" Ticker , DateTime ,  Close ", "X,2020-01-02,1.5");
        assertEquals(List.of("X"), symbols(p));
        assertEquals(List.of("close"), List.copyOf(p.fieldNames()));
        assertEquals(1.5, p.value("close", 0, 0));
    }

    @Test
    void symbolAliasesArePreferredInTheirListedOrder() {
        // "symbol" wins over "asset" even though "asset" comes first in the header.
        Panel p = read("asset,symbol,date,close", "1,B,2020-01-02,2");
        assertEquals(List.of("B"), symbols(p));
        assertEquals(List.of("asset", "close"), List.copyOf(p.fieldNames()));
    }

    @Test
    void unsortedRowsGiveSortedDatesAndSymbols() {
        Panel p = read("date,symbol,close",
                "2020-01-03,MSFT,4",
                "2020-01-02,AAPL,1",
                "2020-01-03,AAPL,2",
                "2020-01-02,MSFT,3");
        assertEquals(List.of("AAPL", "MSFT"), symbols(p));
        assertArrayEquals(new long[] {epoch("2020-01-02T00:00:00Z"), epoch("2020-01-03T00:00:00Z")}, dates(p));
        assertEquals(1.0, p.value("close", 0, 0));
        assertEquals(2.0, p.value("close", 1, 0));
        assertEquals(3.0, p.value("close", 0, 1));
        assertEquals(4.0, p.value("close", 1, 1));
    }

    @Test
    void valuesAreStoredAssetMajor() {
        Panel p = read("date,symbol,close",
                "2020-01-02,A,10", "2020-01-03,A,11", "2020-01-06,A,12",
                "2020-01-02,B,20", "2020-01-03,B,21", "2020-01-06,B,22");
        assertArrayEquals(new double[] {10, 11, 12, 20, 21, 22}, p.column("close"));
        int dateCount = p.dateCount();
        assertEquals(21.0, p.column("close")[1 * dateCount + 1]);
    }

    @Test
    void datesAreTheUnionSoALateStartingSymbolIsNaNBeforeItsFirstRow() {
        Panel p = read("date,symbol,close",
                "2020-01-02,OLD,1", "2020-01-03,OLD,2", "2020-01-06,OLD,3",
                "2020-01-06,NEW,30", "2020-01-07,NEW,40");
        assertEquals(4, p.dateCount());
        assertArrayEquals(new double[] {Double.NaN, Double.NaN, 30, 40}, part(p.column("close"), 0, 4));
        assertArrayEquals(new double[] {1, 2, 3, Double.NaN}, part(p.column("close"), 4, 8));
    }

    private static double[] part(double[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    @Test
    void emptyCellIsNaN() {
        Panel p = read("date,symbol,open,close", "2020-01-02,A,,5");
        assertTrue(Double.isNaN(p.value("open", 0, 0)));
        assertEquals(5.0, p.value("close", 0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "null", "NULL", "NA", "na", " NA ", " "})
    void missingValueMarkersAreNaN(String marker) {
        Panel p = read("date,symbol,close", "2020-01-02,A," + marker);
        assertTrue(Double.isNaN(p.value("close", 0, 0)));
    }

    @Test
    void extraNumericColumnBecomesAField() {
        Panel p = read("timestamp,symbol,close,funding_rate", "2020-01-19T16:00:00Z,ADAUSDT,0.05,0.00010000");
        assertEquals(List.of("close", "funding_rate"), List.copyOf(p.fieldNames()));
        assertEquals(0.0001, p.value("funding_rate", 0, 0));
    }

    @Test
    void spaceSeparatedDateTimeIsUtc() {
        Panel p = read("datetime,symbol,close", "2020-01-02 13:30:00,A,1");
        assertEquals(epoch("2020-01-02T13:30:00Z"), p.date(0));
    }

    @Test
    void isoInstantWithFractionalSecondsAndOffsetIsConvertedToUtc() {
        Panel p = read("time,symbol,close", "2020-01-02T15:30:00.250+02:00,A,1", "2020-01-02T14:00:00+00:00,A,2");
        assertArrayEquals(new long[] {epoch("2020-01-02T13:30:00Z"), epoch("2020-01-02T14:00:00Z")}, dates(p));
    }

    @Test
    void twoSpellingsOfOneInstantAreOneDate() {
        Panel p = read("date,symbol,close", "2020-01-02,A,1", "2020-01-02T00:00:00Z,B,2");
        assertEquals(1, p.dateCount());
        assertEquals(2.0, p.value("close", 0, 1));
    }

    @Test
    void byteOrderMarkBeforeTheHeaderIsIgnored() {
        Panel p = read("\uFEFFdate,symbol,close", "2020-01-02,A,1");
        assertEquals(1.0, p.value("close", 0, 0));
    }

    @Test
    void gzipIsDetectedByItsMagicBytesNotItsName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.csv");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("date,symbol,close\n2020-01-02,A,7\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(7.0, PanelCsv.read(file).value("close", 0, 0));
    }

    @Test
    void plainTextNamedGzIsReadAsPlainText(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.csv.gz");
        Files.writeString(file, "date,symbol,close\n2020-01-02,A,8\n");
        assertEquals(8.0, PanelCsv.read(file).value("close", 0, 0));
    }

    @Test
    void errorsFromAFileNameItsPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "date,symbol,close\n2020-01-02,A,x\n");
        DataException e = assertThrows(DataException.class, () -> PanelCsv.read(file));
        assertMessageHas(e, file + ":2:");
    }

    @Test
    void missingFileIsADataException(@TempDir Path dir) {
        DataException e = assertThrows(DataException.class, () -> PanelCsv.read(dir.resolve("nope.csv")));
        assertMessageHas(e, "nope.csv", "cannot read");
    }

    @Test
    void emptyFileIsRejected() {
        DataException e = assertThrows(DataException.class, () -> PanelCsv.read(new StringReader(""), "test.csv"));
        assertMessageHas(e, "test.csv:1:", "empty");
    }

    @Test
    void headerWithoutDataRowsIsRejected() {
        assertMessageHas(failure("date,symbol,close"), "test.csv:1:", "no data rows");
    }

    @Test
    void missingSymbolColumnIsRejectedListingHeaderAndAcceptedNames() {
        assertMessageHas(failure("date,company,close", "2020-01-02,A,1"),
                "test.csv:1:", "no symbol column", "[date, company, close]", "symbol, name, ticker, asset");
    }

    @Test
    void missingDateColumnIsRejectedListingHeaderAndAcceptedNames() {
        assertMessageHas(failure("day,symbol,close", "2020-01-02,A,1"),
                "test.csv:1:", "no date column", "[day, symbol, close]", "date, timestamp, datetime, time");
    }

    @Test
    void headerWithoutNumericColumnsIsRejected() {
        assertMessageHas(failure("date,symbol", "2020-01-02,A"), "test.csv:1:", "no numeric columns");
    }

    @Test
    void repeatedColumnNameIsRejected() {
        assertMessageHas(failure("date,symbol,close,Close", "2020-01-02,A,1,2"), "test.csv:1:", "'close'");
    }

    @Test
    void rowWithTheWrongNumberOfCellsIsRejectedWithItsLine() {
        assertMessageHas(failure("date,symbol,close", "2020-01-02,A,1", "2020-01-03,A"),
                "test.csv:3:", "expected 3 cells", "found 2");
    }

    @Test
    void nonNumericValueIsRejectedNamingColumnAndText() {
        assertMessageHas(failure("date,symbol,open,close", "2020-01-02,A,1,2", "2020-01-03,A,1,abc"),
                "test.csv:3:", "'close'", "\"abc\"");
    }

    @Test
    void longNonNumericTextIsCutToFortyCharacters() {
        String text = "x".repeat(100);
        DataException e = failure("date,symbol,close", "2020-01-02,A," + text);
        assertMessageHas(e, "test.csv:2:", "\"" + "x".repeat(40) + "...\"");
        assertTrue(!e.getMessage().contains("x".repeat(41)), e.getMessage());
    }

    @Test
    void unparseableDateIsRejectedWithItsLine() {
        assertMessageHas(failure("date,symbol,close", "2020-01-02,A,1", "02/01/2020,A,2"),
                "test.csv:3:", "\"02/01/2020\"");
    }

    @Test
    void blankSymbolIsRejectedWithItsLine() {
        assertMessageHas(failure("date,symbol,close", "2020-01-02,A,1", "2020-01-02,  ,2"),
                "test.csv:3:", "symbol is blank");
    }

    @Test
    void duplicateRowsAreRejectedNamingBothLines() {
        DataException e = failure("date,symbol,close",
                "2020-01-02,A,1", "2020-01-03,A,2", "2020-01-02,B,3", "2020-01-02,A,4");
        assertMessageHas(e, "test.csv:5:", "lines 2 and 5", "A", "2020-01-02");
    }

    @Test
    void lineNumbersCountBlankLinesAndMultiLineCellsLikeAnEditor() {
        assertMessageHas(failure("date,symbol,close", "", "\"2020-01-02\",\"A\",\"1\"", "2020-01-03,\"A", "\",2",
                "2020-01-06,A,oops"), "test.csv:6:");
    }

    /** Rows of {@code rows(i)} forever after {@code head}; fails the test if read more than a megabyte past it. */
    private static java.io.Reader endless(String head, java.util.function.IntFunction<String> rows) {
        return new java.io.Reader() {
            private final StringBuilder pending = new StringBuilder(head);
            private int next;
            private long past;

            @Override
            public int read(char[] buf, int off, int len) throws IOException {
                while (pending.length() < len) {
                    pending.append(rows.apply(next++));
                }
                pending.getChars(0, len, buf, off);
                pending.delete(0, len);
                past += len;
                if (past > head.length() + (1 << 20)) {
                    throw new IOException("read a megabyte past where the error is");
                }
                return len;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aDuplicateRowIsReportedAtItsLineWithoutReadingTheRestOfTheFile() {
        DataException e = assertThrows(DataException.class, () -> PanelCsv.read(endless(
                "date,symbol,close\n2020-01-02,A,1\n2020-01-02,A,2\n",
                i -> "2020-01-03,S" + i + ",1\n"), "dup.csv"));
        assertEquals("dup.csv:3: duplicate row for symbol A on 2020-01-02: lines 2 and 3 both give it", e.getMessage());
    }

    @Test
    void dataTooLargeForMemoryIsRefusedAtTheLineThatMakesItSoSayingHowLarge() {
        DataException e = assertThrows(DataException.class, () -> PanelCsv.read(endless("date,symbol,close\n",
                i -> java.time.LocalDate.of(2000, 1, 1).plusDays(i / 100) + ",S" + i % 100 + ",1\n"), "big.csv",
                256L << 10));
        assertEquals("big.csv:13102", e.getMessage().substring(0, e.getMessage().indexOf(": "))); // 131 dates read
        assertTrue(e.getMessage().matches("big\\.csv:\\d+: the data is too large: 132 dates x 100 symbols x 1 fields "
                + "need about 257 KB of memory, more than the 256 KB this Java may use for them; give Java more memory "
                + "\\(QUANTAGENT_JAVA_OPTS=-Xmx16g\\) or read fewer symbols or dates"), e.getMessage());
    }

    @Test
    void aGzipBombIsRefusedSayingHowMuchIsTooMuch(@TempDir Path dir) throws IOException {
        Path bomb = dir.resolve("bomb.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb))) {
            out.write("date,symbol,close\n2020-01-02,A,1\n".getBytes(StandardCharsets.UTF_8));
            byte[] blank = new byte[1 << 16];
            java.util.Arrays.fill(blank, (byte) '\n');
            for (int i = 0; i < 64; i++) { // 4 MB of blank lines in a few kilobytes
                out.write(blank);
            }
        }
        assertTrue(Files.size(bomb) < 64 << 10, "a bomb is small: " + Files.size(bomb));
        DataException e = assertThrows(DataException.class, () -> PanelCsv.read(bomb, 1 << 20, 1L << 30));
        assertMessageHas(e, bomb + ": the gzip file unpacks to more than 1 MB, the most QuantAgent reads out of a "
                + "compressed file (it may be a gzip bomb); unpack it yourself (gunzip) to read a larger one");
    }

    @Test
    void aTruncatedGzipFileSaysSoWithItsName(@TempDir Path dir) throws IOException {
        Path whole = dir.resolve("whole.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(whole))) {
            StringBuilder csv = new StringBuilder("date,symbol,close\n");
            for (int i = 0; i < 5000; i++) {
                csv.append(java.time.LocalDate.of(2000, 1, 1).plusDays(i)).append(",A,").append(i).append('\n');
            }
            out.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.csv.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        DataException e = assertThrows(DataException.class, () -> PanelCsv.read(cut));
        assertMessageHas(e, cut + ": the gzip file is truncated: it ends before its compressed data does (read up to "
                + "line ");
    }

    @Test
    void aCellTooLargeToReadSaysWhyNotOnlyThatTheRecordFailed() {
        String huge = "date,symbol,close\n2020-01-02,A,\"" + "9".repeat(17 << 20) + "\"\n";
        DataException e = assertThrows(DataException.class, () -> PanelCsv.read(new java.io.StringReader(huge),
                "huge.csv"));
        assertMessageHas(e, "huge.csv: cannot read past line 1: ");
        assertMessageHas(e, "maximum buffer size of 16777216 is insufficient to read the data of a single field");
    }
}
