package dev.quantagent.evaluator.data;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.quantagent.sandbox.Panel;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads market data from a "long" CSV (one row per date and symbol, optionally gzip-compressed) into a {@link Panel}.
 *
 * <p>The header names a symbol column ({@code symbol}, {@code name}, {@code ticker} or {@code asset}), a date column
 * ({@code date}, {@code timestamp}, {@code datetime} or {@code time}); every other column is a numeric field. Rows may
 * come in any order; the panel has the sorted union of the dates and the symbols in name order, NaN where a row or a
 * value is missing. Malformed input raises a {@link DataException} naming the file and line.
 */
public final class PanelCsv {

    private PanelCsv() {
    }

    /** Reads a CSV file, gzip-compressed or not (told by its first bytes, not its name). */
    public static Panel read(Path file) {
        return read(file, CsvInput.MAX_UNPACKED, memoryBudget());
    }

    /** As {@link #read(Path)}, with the limits given (tests use small ones). */
    static Panel read(Path file, long maxUnpacked, long memoryBudget) {
        String source = file.toString();
        Reader in;
        try {
            in = CsvInput.open(file, maxUnpacked);
        } catch (IOException e) {
            throw DataException.cannotRead(file, e);
        }
        return read(in, source, memoryBudget);
    }

    /** Reads CSV text; {@code source} names it in error messages. Closes the reader. */
    public static Panel read(Reader in, String source) {
        return read(in, source, memoryBudget());
    }

    /**
     * As {@link #read(Reader, String)}, refusing (at the line where it happens) data whose panel would need more than
     * {@code memoryBudget} bytes.
     */
    static Panel read(Reader in, String source, long memoryBudget) {
        Loader loader = null;
        try (CsvReader<CsvRecord> csv = CsvInput.records(in)) {
            Iterator<CsvRecord> rows = csv.iterator();
            if (!rows.hasNext()) {
                throw DataException.at(source, 1, "the file is empty, expected a header row such as "
                        + "date,symbol,open,high,low,close,volume");
            }
            loader = new Loader(rows.next(), source, memoryBudget);
            while (rows.hasNext()) {
                loader.add(rows.next());
            }
            return loader.build();
        } catch (UncheckedIOException | CsvParseException e) {
            // I/O trouble mid-file (e.g. a truncated gzip) or a record FastCSV refuses: say how far we got.
            throw CsvInput.failedAfter(source, loader == null ? 1 : loader.lastLine, e);
        } catch (IOException e) {
            throw new DataException(source + ": cannot close the file: " + e, e);
        }
    }

    /** What a panel may take: three quarters of the most this Java may use (the rest is for the work on it). */
    private static long memoryBudget() {
        return Runtime.getRuntime().maxMemory() / 4 * 3;
    }

    /**
     * Reads rows straight into the panel's cells: per symbol (in order of appearance) and field, a row of values by
     * date (in order of appearance), and the line that gave each cell. So memory grows with the panel, not with the
     * file, a cell given twice is refused at its second line, and data whose panel would not fit is refused at the
     * line that makes it too big, not after the whole file.
     */
    private static final class Loader {
        private final String source;
        private final int width;
        private final int symbolCol;
        private final int dateCol;
        private final int[] valueCols;
        private final String[] fieldNames;
        private final long memoryBudget;

        // Symbols and dates are interned to small ids; ids are in order of first appearance.
        private final Map<String, Integer> symbolIds = new HashMap<>();
        private final List<String> symbols = new ArrayList<>();
        private final Map<String, Integer> dateIdsByText = new HashMap<>();
        private final Map<Long, Integer> dateIdsByEpoch = new HashMap<>();
        private long[] dateEpochs = new long[1024];
        private final List<String> dateTexts = new ArrayList<>();
        private String lastSymbol;
        private int lastSymbolId;

        /** [symbol id][date id]: the line that gave the cell, 0 for none yet. */
        private final List<int[]> lineOf = new ArrayList<>();
        /** [field][symbol id][date id]. */
        private final List<List<double[]>> values;
        private boolean anyRow;
        long lastLine;

        Loader(CsvRecord header, String source, long memoryBudget) {
            this.source = source;
            this.memoryBudget = memoryBudget;
            long line = header.getStartingLineNumber();
            this.lastLine = line;
            String[] names = CsvInput.headerNames(header);
            this.width = names.length;
            this.symbolCol = CsvInput.require(names, CsvInput.SYMBOL_ALIASES, "symbol", source, line);
            this.dateCol = CsvInput.require(names, CsvInput.DATE_ALIASES, "date", source, line);
            CsvInput.checkHeaderNames(names, source, line);
            this.valueCols = new int[width - 2];
            this.fieldNames = new String[width - 2];
            int k = 0;
            for (int i = 0; i < width; i++) {
                if (i != symbolCol && i != dateCol) {
                    valueCols[k] = i;
                    fieldNames[k++] = names[i];
                }
            }
            if (k == 0) {
                throw DataException.at(source, line, "no numeric columns: the header " + CsvInput.listed(names)
                        + " has only the symbol and date columns");
            }
            this.values = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                values.add(new ArrayList<>());
            }
        }

        void add(CsvRecord row) {
            long line = row.getStartingLineNumber();
            lastLine = line;
            CsvInput.checkWidth(row, width, source);
            int s = symbolId(row.getField(symbolCol), line);
            int d = dateId(row.getField(dateCol), line);
            int[] lines = lineOf.get(s);
            if (d >= lines.length) {
                lines = grow(s, d);
            }
            if (lines[d] != 0) {
                throw DataException.at(source, line, "duplicate row for symbol " + symbols.get(s) + " on "
                        + dateTexts.get(d) + ": lines " + lines[d] + " and " + line + " both give it");
            }
            for (int j = 0; j < valueCols.length; j++) {
                String text = row.getField(valueCols[j]);
                try {
                    values.get(j).get(s)[d] = parseValue(text);
                } catch (NumberFormatException e) {
                    throw DataException.at(source, line, "column '" + fieldNames[j] + "' is not a number: "
                            + CsvInput.shown(text));
                }
            }
            lines[d] = (int) Math.min(line, Integer.MAX_VALUE);
            anyRow = true;
        }

        private int symbolId(String text, long line) {
            // Files are usually grouped by symbol: comparing with the previous row skips the hash lookup.
            if (text.equals(lastSymbol)) {
                return lastSymbolId;
            }
            String symbol = text.trim();
            if (symbol.isEmpty()) {
                throw DataException.at(source, line, "the symbol is blank");
            }
            Integer id = symbolIds.get(symbol);
            if (id == null) {
                id = symbols.size();
                checkSize(id + 1, dateTexts.size(), line);
                symbolIds.put(symbol, id);
                symbols.add(symbol);
                // a new symbol usually trades on the dates seen so far
                int capacity = Math.max(16, dateTexts.size());
                lineOf.add(new int[capacity]);
                for (List<double[]> field : values) {
                    double[] row = new double[capacity];
                    Arrays.fill(row, Double.NaN);
                    field.add(row);
                }
            }
            lastSymbol = text;
            lastSymbolId = id;
            return id;
        }

        private int dateId(String text, long line) {
            Integer id = dateIdsByText.get(text);
            if (id != null) {
                return id;
            }
            long epoch;
            try {
                epoch = parseDate(text.trim());
            } catch (DateTimeException | IndexOutOfBoundsException e) {
                throw DataException.at(source, line, "cannot read the date " + CsvInput.shown(text)
                        + ": expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ (or with an offset) or YYYY-MM-DD HH:MM:SS (UTC)");
            }
            // Different spellings of one instant (2020-01-01 and 2020-01-01T00:00:00Z) share an id.
            id = dateIdsByEpoch.get(epoch);
            if (id == null) {
                id = dateTexts.size();
                checkSize(symbols.size(), id + 1, line);
                dateIdsByEpoch.put(epoch, id);
                dateTexts.add(text.trim());
                if (id == dateEpochs.length) {
                    dateEpochs = Arrays.copyOf(dateEpochs, id * 2);
                }
                dateEpochs[id] = epoch;
            }
            if (dateIdsByText.size() < 1 << 20) { // a cache of spellings, bounded: a file may spell each date anew
                dateIdsByText.put(text, id);
            }
            return id;
        }

        /** A symbol's cells grown to hold date id {@code d}. */
        private int[] grow(int s, int d) {
            int capacity = (int) Math.min(Math.max(d + 1L, lineOf.get(s).length * 2L), Integer.MAX_VALUE - 16);
            int[] lines = Arrays.copyOf(lineOf.get(s), capacity);
            lineOf.set(s, lines);
            for (List<double[]> field : values) {
                double[] old = field.get(s);
                double[] row = Arrays.copyOf(old, capacity);
                Arrays.fill(row, old.length, capacity, Double.NaN);
                field.set(s, row);
            }
            return lines;
        }

        /**
         * Refuses a panel of this many symbols and dates if it could not be held: over the most cells a panel has,
         * or more memory than the budget (the cells as read, then the panel built from them, a field at a time).
         */
        private void checkSize(long symbolCount, long dateCount, long line) {
            long cells = symbolCount * dateCount;
            long bytes = cells * (8L * (fieldNames.length + 1) + 4);
            if (cells > Integer.MAX_VALUE - 16 || bytes > memoryBudget) {
                throw DataException.at(source, line, String.format(Locale.ROOT, "the data is too large: %,d dates x "
                        + "%,d symbols x %d fields need about %s of memory, more than the %s this Java may use for "
                        + "them%s; give Java more memory (QUANTAGENT_JAVA_OPTS=-Xmx16g) or read fewer symbols or "
                        + "dates", dateCount, symbolCount, fieldNames.length, size(bytes), size(memoryBudget),
                        cells > Integer.MAX_VALUE - 16 ? " (and more cells than a panel holds)" : ""));
            }
        }

        Panel build() {
            if (!anyRow) {
                throw DataException.at(source, lastLine, "no data rows after the header");
            }
            int dateCount = dateTexts.size();
            long[] dates = Arrays.copyOf(dateEpochs, dateCount);
            Arrays.sort(dates);
            int[] dateIndex = new int[dateCount];
            for (int id = 0; id < dateCount; id++) {
                dateIndex[id] = Arrays.binarySearch(dates, dateEpochs[id]);
            }
            String[] names = symbols.toArray(new String[0]);
            Arrays.sort(names);
            int cells = dateCount * names.length; // checked as the ids were made
            Panel.Builder panel = Panel.builder(dates, names);
            for (int j = 0; j < fieldNames.length; j++) {
                double[] field = new double[cells];
                Arrays.fill(field, Double.NaN);
                List<double[]> rows = values.get(j);
                for (int s = 0; s < rows.size(); s++) {
                    int base = Arrays.binarySearch(names, symbols.get(s)) * dateCount;
                    double[] row = rows.get(s);
                    int[] lines = lineOf.get(s);
                    for (int d = 0; d < Math.min(dateCount, row.length); d++) {
                        if (lines[d] != 0) {
                            field[base + dateIndex[d]] = row[d];
                        }
                    }
                    rows.set(s, null); // let the rows as read go while the panel's fields are built
                }
                panel.field(fieldNames[j], field);
            }
            return panel.build();
        }
    }

    /** Bytes in words: 256 KB, 512 MB, 3.1 GB. */
    static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                : bytes >= 1L << 20 ? (bytes >> 20) + " MB" : Math.max(1, bytes >> 10) + " KB";
    }

    /** A cell's value: empty and NaN/nan/null/NA (any case) are missing (NaN); anything else must be a number. */
    static double parseValue(String text) {
        if (text.isEmpty()) {
            return Double.NaN;
        }
        char c = text.charAt(0);
        if (c > ' ' && c != 'n' && c != 'N') {
            return finite(Double.parseDouble(text)); // the common case, no trimming or token checks
        }
        String t = text.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("nan") || t.equalsIgnoreCase("null") || t.equalsIgnoreCase("na")) {
            return Double.NaN;
        }
        return finite(Double.parseDouble(t));
    }

    /** Infinity is not a market value; treating it as a number would poison every statistic downstream. */
    private static double finite(double v) {
        if (Double.isInfinite(v)) {
            throw new NumberFormatException("infinite");
        }
        return v;
    }

    /**
     * Epoch seconds (UTC) of {@code YYYY-MM-DD} (midnight), an ISO date-time with {@code Z} or an offset (fractional
     * seconds truncated), or a date-time without zone, with {@code T} or a space, taken as UTC.
     */
    static long parseDate(String text) {
        if (text.length() == 10) {
            return LocalDate.parse(text).toEpochDay() * 86_400L;
        }
        String s = text;
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        char last = s.charAt(s.length() - 1);
        boolean zoned = last == 'Z' || s.indexOf('+', 11) >= 0 || s.indexOf('-', 11) >= 0;
        return zoned ? OffsetDateTime.parse(s).toEpochSecond() : LocalDateTime.parse(s).toEpochSecond(ZoneOffset.UTC);
    }
}
