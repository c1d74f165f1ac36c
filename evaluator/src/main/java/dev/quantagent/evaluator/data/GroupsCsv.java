package dev.quantagent.evaluator.data;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.quantagent.sandbox.Panel;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Adds groupings (sector, industry, ...) to a panel from a CSV with one row per symbol: a symbol column (same names as
 * for {@link PanelCsv}) and one column per grouping, e.g. {@code symbol,sector,subindustry}. A blank label, or a panel
 * symbol the file does not list, is unknown; symbols the panel lacks are ignored.
 */
public final class GroupsCsv {

    private GroupsCsv() {
    }

    /** The panel with the groupings of a groups file (plain or gzip) added. */
    public static Panel withGroups(Panel panel, Path groupsFile) {
        String source = groupsFile.toString();
        Reader in;
        try {
            in = CsvInput.open(groupsFile);
        } catch (IOException e) {
            throw DataException.cannotRead(groupsFile, e);
        }
        return withGroups(panel, in, source);
    }

    /** As {@link #withGroups(Panel, Path)} from CSV text; {@code source} names it in error messages. Closes the reader. */
    public static Panel withGroups(Panel panel, Reader in, String source) {
        Map<String, Integer> assetOf = new HashMap<>();
        for (int a = 0; a < panel.assetCount(); a++) {
            assetOf.put(panel.symbol(a), a);
        }
        String[] groupNames;
        String[][] labels; // [grouping][asset], null = unknown
        long line = 1;
        try (CsvReader<CsvRecord> csv = CsvInput.records(in)) {
            Iterator<CsvRecord> rows = csv.iterator();
            if (!rows.hasNext()) {
                throw DataException.at(source, 1, "the file is empty, expected a header row such as symbol,sector");
            }
            CsvRecord header = rows.next();
            line = header.getStartingLineNumber();
            String[] names = CsvInput.headerNames(header);
            int symbolCol = CsvInput.require(names, CsvInput.SYMBOL_ALIASES, "symbol", source, line);
            CsvInput.checkHeaderNames(names, source, line);
            if (names.length < 2) {
                throw DataException.at(source, line, "no group columns: the header " + CsvInput.listed(names)
                        + " has only the symbol column");
            }
            int[] groupCols = new int[names.length - 1];
            groupNames = new String[names.length - 1];
            for (int i = 0, k = 0; i < names.length; i++) {
                if (i != symbolCol) {
                    groupCols[k] = i;
                    groupNames[k++] = names[i];
                }
            }
            labels = new String[groupCols.length][panel.assetCount()];
            Map<String, Long> lineOf = new HashMap<>();
            while (rows.hasNext()) {
                CsvRecord row = rows.next();
                line = row.getStartingLineNumber();
                CsvInput.checkWidth(row, names.length, source);
                String symbol = row.getField(symbolCol).trim();
                if (symbol.isEmpty()) {
                    throw DataException.at(source, line, "the symbol is blank");
                }
                Long before = lineOf.putIfAbsent(symbol, line);
                if (before != null) {
                    throw DataException.at(source, line, "duplicate row for symbol " + symbol + ": lines " + before
                            + " and " + line + " both give it");
                }
                Integer a = assetOf.get(symbol);
                if (a == null) {
                    continue; // not in the data: nothing to label
                }
                for (int g = 0; g < groupCols.length; g++) {
                    String label = row.getField(groupCols[g]).trim();
                    labels[g][a] = label.isEmpty() ? null : label;
                }
            }
        } catch (UncheckedIOException | CsvParseException e) {
            throw CsvInput.failedAfter(source, line, e);
        } catch (IOException e) {
            throw new DataException(source + ": cannot close the file: " + e, e);
        }
        return rebuild(panel, groupNames, labels);
    }

    /** A new panel sharing the old one's field arrays (panels are immutable), with its groupings and the new ones. */
    private static Panel rebuild(Panel panel, String[] groupNames, String[][] labels) {
        long[] dates = new long[panel.dateCount()];
        for (int t = 0; t < dates.length; t++) {
            dates[t] = panel.date(t);
        }
        String[] symbols = new String[panel.assetCount()];
        for (int a = 0; a < symbols.length; a++) {
            symbols[a] = panel.symbol(a);
        }
        Panel.Builder b = Panel.builder(dates, symbols);
        for (String field : panel.fieldNames()) {
            b.field(field, panel.column(field));
        }
        for (String grouping : panel.groupNames()) {
            String[] old = new String[symbols.length];
            for (int a = 0; a < symbols.length; a++) {
                old[a] = panel.groupOf(grouping, a);
            }
            b.grouping(grouping, old);
        }
        // A grouping of the file replaces a same-named one the panel already had.
        for (int g = 0; g < groupNames.length; g++) {
            b.grouping(groupNames[g], labels[g]);
        }
        return b.build();
    }
}
