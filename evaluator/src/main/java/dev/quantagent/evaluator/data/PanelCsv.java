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
        String source = file.toString();
        Reader in;
        try {
            in = CsvInput.open(file);
        } catch (IOException e) {
            throw DataException.cannotRead(file, e);
        }
        return read(in, source);
    }

    /** Reads CSV text; {@code source} names it in error messages. Closes the reader. */
    public static Panel read(Reader in, String source) {
        Loader loader = null;
        try (CsvReader<CsvRecord> csv = CsvInput.records(in)) {
            Iterator<CsvRecord> rows = csv.iterator();
            if (!rows.hasNext()) {
                throw DataException.at(source, 1, "the file is empty, expected a header row such as "
                        + "date,symbol,open,high,low,close,volume");
            }
            loader = new Loader(rows.next(), source);
            while (rows.hasNext()) {
                loader.add(rows.next());
            }
            return loader.build();
        } catch (UncheckedIOException | CsvParseException e) {
            // I/O trouble mid-file (e.g. a truncated gzip) or a record FastCSV refuses: say how far we got.
            long line = loader == null ? 1 : loader.lastLine;
            throw new DataException(source + ": cannot read past line " + line + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataException(source + ": cannot close the file: " + e, e);
        }
    }

    /** Accumulates rows into primitive columns (no per-row objects besides FastCSV's strings), then scatters. */
    private static final class Loader {
        private final String source;
        private final int width;
        private final int symbolCol;
        private final int dateCol;
        private final int[] valueCols;
        private final String[] fieldNames;

        // Symbols and dates are interned to small ids; ids are in order of first appearance.
        private final Map<String, Integer> symbolIds = new HashMap<>();
        private final List<String> symbols = new ArrayList<>();
        private final Map<String, Integer> dateIdsByText = new HashMap<>();
        private final Map<Long, Integer> dateIdsByEpoch = new HashMap<>();
        private long[] dateEpochs = new long[1024];
        private final List<String> dateTexts = new ArrayList<>();
        private String lastSymbol;
        private int lastSymbolId;

        private int rows;
        private int[] rowSymbol = new int[1 << 14];
        private int[] rowDate = new int[1 << 14];
        private int[] rowLine = new int[1 << 14];
        private final double[][] values;
        long lastLine;

        Loader(CsvRecord header, String source) {
            this.source = source;
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
            this.values = new double[k][rowSymbol.length];
        }

        void add(CsvRecord row) {
            long line = row.getStartingLineNumber();
            lastLine = line;
            CsvInput.checkWidth(row, width, source);
            if (rows == rowSymbol.length) {
                grow();
            }
            rowSymbol[rows] = symbolId(row.getField(symbolCol), line);
            rowDate[rows] = dateId(row.getField(dateCol), line);
            rowLine[rows] = (int) Math.min(line, Integer.MAX_VALUE);
            for (int j = 0; j < valueCols.length; j++) {
                String text = row.getField(valueCols[j]);
                try {
                    values[j][rows] = parseValue(text);
                } catch (NumberFormatException e) {
                    throw DataException.at(source, line, "column '" + fieldNames[j] + "' is not a number: "
                            + CsvInput.shown(text));
                }
            }
            rows++;
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
                symbolIds.put(symbol, id);
                symbols.add(symbol);
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
                dateIdsByEpoch.put(epoch, id);
                dateTexts.add(text.trim());
                if (id == dateEpochs.length) {
                    dateEpochs = Arrays.copyOf(dateEpochs, id * 2);
                }
                dateEpochs[id] = epoch;
            }
            dateIdsByText.put(text, id);
            return id;
        }

        private void grow() {
            int n = rowSymbol.length + (rowSymbol.length >> 1);
            rowSymbol = Arrays.copyOf(rowSymbol, n);
            rowDate = Arrays.copyOf(rowDate, n);
            rowLine = Arrays.copyOf(rowLine, n);
            for (int j = 0; j < values.length; j++) {
                values[j] = Arrays.copyOf(values[j], n);
            }
        }

        Panel build() {
            if (rows == 0) {
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
            int[] assetIndex = new int[names.length];
            for (int id = 0; id < names.length; id++) {
                assetIndex[id] = Arrays.binarySearch(names, symbols.get(id));
            }
            long cellCount = (long) dateCount * names.length;
            if (cellCount > Integer.MAX_VALUE - 16) {
                throw new DataException(source + ": " + dateCount + " dates x " + names.length
                        + " symbols is too large for one panel");
            }

            // Cell of each row; rowAt (row + 1, 0 = free) finds duplicates in file order.
            int[] cellOf = new int[rows];
            int[] rowAt = new int[(int) cellCount];
            for (int i = 0; i < rows; i++) {
                int cell = assetIndex[rowSymbol[i]] * dateCount + dateIndex[rowDate[i]];
                if (rowAt[cell] != 0) {
                    throw DataException.at(source, rowLine[i], "duplicate row for symbol " + symbols.get(rowSymbol[i])
                            + " on " + dateTexts.get(rowDate[i]) + ": lines " + rowLine[rowAt[cell] - 1] + " and "
                            + rowLine[i] + " both give it");
                }
                rowAt[cell] = i + 1;
                cellOf[i] = cell;
            }

            Panel.Builder panel = Panel.builder(dates, names);
            for (int j = 0; j < values.length; j++) {
                double[] field = new double[(int) cellCount];
                Arrays.fill(field, Double.NaN);
                double[] v = values[j];
                for (int i = 0; i < rows; i++) {
                    field[cellOf[i]] = v[i];
                }
                values[j] = null; // let the row-order copy go before the next field is allocated
                panel.field(fieldNames[j], field);
            }
            return panel.build();
        }
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
