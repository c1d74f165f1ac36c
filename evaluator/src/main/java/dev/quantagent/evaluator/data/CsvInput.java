package dev.quantagent.evaluator.data;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Shared plumbing of the CSV loaders: opening (plain or gzip), the header and its column aliases, messages. */
final class CsvInput {

    static final List<String> SYMBOL_ALIASES = List.of("symbol", "name", "ticker", "asset");
    static final List<String> DATE_ALIASES = List.of("date", "timestamp", "datetime", "time", "funding_time");

    private static final int BUFFER = 1 << 16;
    private static final int MAX_SHOWN = 40;

    private CsvInput() {
    }

    /** Opens a file as UTF-8 text, decompressing it when it starts with the gzip magic bytes (whatever its name). */
    static Reader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                in = new GZIPInputStream(in, BUFFER);
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * A record reader that leaves cell-count checks to us (our message names the file and line) and skips blank lines
     * (FastCSV still counts them, so line numbers stay those of an editor).
     */
    static CsvReader<CsvRecord> records(Reader in) {
        return CsvReader.builder().ignoreDifferentFieldCount(true).skipEmptyLines(true).ofCsvRecord(in);
    }

    /** Header cells trimmed and lower-cased, with a UTF-8 byte order mark (Excel writes one) removed. */
    static String[] headerNames(CsvRecord header) {
        String[] names = new String[header.getFieldCount()];
        for (int i = 0; i < names.length; i++) {
            String s = header.getField(i);
            if (i == 0 && !s.isEmpty() && s.charAt(0) == '\uFEFF') {
                s = s.substring(1);
            }
            names[i] = s.trim().toLowerCase(Locale.ROOT);
        }
        return names;
    }

    /**
     * Checks that header names are non-blank, distinct and free of control characters: they become field and
     * grouping names, which are printed.
     */
    static void checkHeaderNames(String[] names, String source, long line) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (names[i].isEmpty()) {
                throw DataException.at(source, line, "column " + (i + 1) + " of the header has no name (header: "
                        + listed(names) + ")");
            }
            if (!DataException.printable(names[i]).equals(names[i]) || names[i].indexOf('\n') >= 0
                    || names[i].indexOf('\t') >= 0) {
                throw DataException.at(source, line, "column " + (i + 1) + " of the header has control characters in "
                        + "its name: " + shown(names[i]));
            }
            Integer before = seen.putIfAbsent(names[i], i);
            if (before != null) {
                throw DataException.at(source, line, "columns " + (before + 1) + " and " + (i + 1)
                        + " of the header are both named '" + names[i] + "'");
            }
        }
    }

    /** Index of the first alias (in alias order) present in the header, or -1. */
    static int find(String[] names, List<String> aliases) {
        for (String alias : aliases) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(alias)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Finds a required column or explains which names would have worked. */
    static int require(String[] names, List<String> aliases, String what, String source, long line) {
        int col = find(names, aliases);
        if (col < 0) {
            throw DataException.at(source, line, "no " + what + " column: the header is " + listed(names)
                    + ", accepted names for the " + what + " column are " + String.join(", ", aliases)
                    + " (case-insensitive)");
        }
        return col;
    }

    static void checkWidth(CsvRecord row, int width, String source) {
        if (row.getFieldCount() != width) {
            throw DataException.at(source, row.getStartingLineNumber(), "expected " + width
                    + " cells as in the header, found " + row.getFieldCount());
        }
    }

    /**
     * Cell text for a message: quoted, cut to 40 characters so a runaway cell can't flood the message, control
     * characters escaped so it can't drive the terminal.
     */
    static String shown(String text) {
        String t = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text;
        return "\"" + DataException.printable(t).replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }

    /** Header names for a message, control characters escaped. */
    static String listed(String[] names) {
        List<String> shown = new java.util.ArrayList<>(names.length);
        for (String n : names) {
            shown.add(DataException.printable(n));
        }
        return shown.toString();
    }
}
