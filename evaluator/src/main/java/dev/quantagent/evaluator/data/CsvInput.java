package dev.quantagent.evaluator.data;

import dev.quantagent.sandbox.TerminalText;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
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
import java.util.zip.ZipException;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;

/** Shared plumbing of the CSV loaders: opening (plain or gzip), the header and its column aliases, messages. */
final class CsvInput {

    static final List<String> SYMBOL_ALIASES = List.of("symbol", "name", "ticker", "asset");
    static final List<String> DATE_ALIASES = List.of("date", "timestamp", "datetime", "time", "funding_time");

    /**
     * The most text read from a gzip file: 4 GiB. A few megabytes of gzip can unpack to terabytes (a gzip bomb); a
     * larger honest file can be unpacked first (plain files have no limit but memory, see {@code PanelCsv}).
     */
    static final long MAX_UNPACKED = 4L << 30;
    private static final int BUFFER = 1 << 16;
    private static final int MAX_SHOWN = 40;

    private CsvInput() {
    }

    /** Opens a file as UTF-8 text, decompressing it when it starts with the gzip magic bytes (whatever its name). */
    static Reader open(Path file) throws IOException {
        return open(file, MAX_UNPACKED);
    }

    /** As {@link #open(Path)}, reading at most {@code maxUnpacked} bytes out of a gzip file. */
    static Reader open(Path file, long maxUnpacked) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                in = new Unpacked(new GZIPInputStream(in, BUFFER), maxUnpacked);
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * The error for a file that could not be read to its end: what is wrong with it in words when known (a truncated
     * or damaged gzip file, one that unpacks to too much), with the last line read.
     */
    static DataException failedAfter(String source, long line, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Unreadable u) {
                return new DataException(source + ": " + u.getMessage() + " (read up to line " + line + ")", e);
            }
        }
        StringBuilder why = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null && !why.toString().contains(t.getMessage())) {
                why.append(": ").append(t.getMessage()); // what FastCSV's "exception when reading record" was
            }
        }
        return new DataException(source + ": cannot read past line " + line + ": " + why, e);
    }

    /** What is wrong with a gzip file, in words. */
    static final class Unreadable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Text out of a gzip file: at most a number of bytes, and a truncated or damaged file said so. */
    private static final class Unpacked extends FilterInputStream {
        private final long max;
        private long read;

        Unpacked(InputStream gzip, long max) {
            super(gzip);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (EOFException e) {
                throw new Unreadable("the gzip file is truncated: it ends before its compressed data does", e);
            } catch (ZipException e) {
                throw new Unreadable("the gzip file is damaged (" + e.getMessage() + ")", e);
            }
            if (n > 0) {
                read += n;
                if (read > max) {
                    throw new Unreadable("the gzip file unpacks to more than " + PanelCsv.size(max) + ", the most "
                            + "QuantAgent reads out of a compressed file (it may be a gzip bomb); unpack it yourself "
                            + "(gunzip) to read a larger one", null);
                }
            }
            return n;
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
            if (!TerminalText.printable(names[i]).equals(names[i]) || names[i].indexOf('\n') >= 0
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
        return "\"" + TerminalText.printable(t).replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }

    /** Header names for a message, control characters escaped. */
    static String listed(String[] names) {
        List<String> shown = new java.util.ArrayList<>(names.length);
        for (String n : names) {
            shown.add(TerminalText.printable(n));
        }
        return shown.toString();
    }
}
