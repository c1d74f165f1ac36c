package dev.quantagent.knowledge;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Sandbox;
import dev.quantagent.sandbox.TerminalText;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a {@code kb export} file entry by entry and checks everything it would store, before anything is: every
 * value's type and range, ids and data set keys (a run id names a folder), that an accepted factor's formula parses,
 * that a run's stored settings are readable, and that the file ends where its JSON does. An entry is read only up to
 * {@link #MAX_ENTRY} characters, so memory grows with the number of entries, never with one hostile entry.
 */
final class ExportReader {

    /** The most characters one run or factor entry may take (real ones take a few thousand). */
    static final int MAX_ENTRY = 1 << 20;
    /** What the JSON parser may have read ahead of where it stands. */
    private static final int READ_AHEAD = 1 << 16;
    private static final Set<String> RUN_STATUSES = Set.of("running", "paused", "finished", "failed");
    /** The widest writer kind the knowledge base stores (V1__init.sql). */
    private static final int WRITER_KIND_WIDTH = 16;

    /** What an export holds, checked. */
    record Export(List<RunRecord> runs, List<FactorRecord> factors) {
    }

    private final Bounded in;
    private final Consumer<RunRecord> runCheck;
    private final Sandbox sandbox = new Sandbox(Limits.DEFAULT);

    private ExportReader(Reader in, Consumer<RunRecord> runCheck) {
        this.in = new Bounded(in);
        this.runCheck = runCheck;
    }

    /**
     * Reads and checks a whole export: a JSON array of factors (early exports), or {@code {"format": "quantagent-kb",
     * "version": N, "runs": [...], "factors": [...]}}.
     *
     * @param runCheck refuses a run whose stored settings its reader could not use (IllegalArgumentException)
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    static Export read(Reader in, Consumer<RunRecord> runCheck) throws IOException {
        return new ExportReader(in, runCheck).read();
    }

    private Export read() throws IOException {
        List<RunRecord> runs = new ArrayList<>();
        List<FactorRecord> factors = null;
        try (JsonParser p = FactorJson.MAPPER.getFactory().createParser(in)) {
            JsonToken top = p.nextToken();
            if (top == JsonToken.START_ARRAY) {
                factors = factors(p);
            } else if (top == JsonToken.START_OBJECT) {
                String format = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (name) {
                        case "format" -> format = value == JsonToken.VALUE_STRING ? p.getText() : "";
                        case "version" -> {
                            if (value.isNumeric() && p.getDoubleValue() > Exchange.VERSION) {
                                throw new IllegalArgumentException("the export is version " + p.getText() + ", "
                                        + "written by a newer QuantAgent; this one reads versions up to "
                                        + Exchange.VERSION);
                            }
                        }
                        case "runs" -> {
                            if (value != JsonToken.START_ARRAY) {
                                throw new IllegalArgumentException("\"runs\" of the export is not an array of runs");
                            }
                            runs = runs(p);
                        }
                        case "factors" -> {
                            if (value != JsonToken.START_ARRAY) {
                                throw notAnExport();
                            }
                            factors = factors(p);
                        }
                        default -> p.skipChildren();
                    }
                }
                if (!Exchange.FORMAT.equals(format) || factors == null) {
                    throw notAnExport();
                }
            } else {
                throw notAnExport();
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("there is more after the end of the export's JSON (line "
                        + p.currentTokenLocation().getLineNr() + ", column " + p.currentTokenLocation().getColumnNr()
                        + "): the file is not one export");
            }
        } catch (Bounded.TooLarge e) {
            throw new IllegalArgumentException(e.getMessage() + " is larger than " + (MAX_ENTRY >> 20) + " MB of "
                    + "JSON, the most one entry may take (real ones take a few kilobytes); nothing was imported");
        }
        return new Export(runs, factors);
    }

    private static IllegalArgumentException notAnExport() {
        return new IllegalArgumentException("a knowledge base export is a JSON array of factors, or an object with "
                + "\"format\": \"" + Exchange.FORMAT + "\" and its runs and factors");
    }

    /** The next entry of an array as a tree, read only up to its size bound; null at the array's end. */
    private JsonNode entry(JsonParser p, String what) throws IOException {
        in.limit(what);
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            in.limit(null);
            return null;
        }
        long start = p.currentTokenLocation().getCharOffset();
        in.from(start);
        JsonNode n = p.readValueAsTree();
        if (p.currentLocation().getCharOffset() - start > MAX_ENTRY) {
            throw new Bounded.TooLarge(what);
        }
        in.limit(null);
        return n;
    }

    private List<FactorRecord> factors(JsonParser p) throws IOException {
        List<FactorRecord> out = new ArrayList<>();
        for (JsonNode n = entry(p, "entry 1"); n != null; n = entry(p, "entry " + (out.size() + 1))) {
            String where = "entry " + (out.size() + 1) + (n.hasNonNull("id") ? " (id "
                    + RunRecordChecks.cut(n.get("id").asText()) + ")" : "");
            if (!n.isObject()) {
                throw new IllegalArgumentException(where + " is not a factor object");
            }
            FactorRecord r;
            try {
                r = FactorJson.fromJson(n);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            if (r.formula() == null) {
                throw new IllegalArgumentException(where + " has no formula");
            }
            try {
                check(r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            out.add(canonicalised(r));
        }
        return out;
    }

    /**
     * The record with the canonical form, hash and complexity this build gives its formula, whatever the file says:
     * the knowledge base merges and finds duplicates by hash, so a hash from the file (an older canonical form, or a
     * wrong one) would merge the wrong factors. A formula that does not parse has none.
     */
    private FactorRecord canonicalised(FactorRecord r) {
        if (r.formula().isBlank()) {
            return r.toBuilder().canonical(null, null).build();
        }
        try {
            Factor f = sandbox.parse(r.formula());
            return r.toBuilder().canonical(f.canonical(), f.hash()).complexity(f.complexity()).build();
        } catch (FormulaException e) {
            return r.toBuilder().canonical(null, null).build();
        }
    }

    /** What a record must be to be stored and used: ids, keys, and a formula for what was tested. */
    private void check(FactorRecord r) {
        if (r.formula().isBlank() && r.status() != Status.INVALID) {
            throw new IllegalArgumentException("its formula is empty, and only an invalid record (the Writer produced "
                    + "no formula) may have none");
        }
        if (r.status() == Status.ACCEPTED) {
            try {
                sandbox.parse(r.formula());
            } catch (FormulaException e) {
                throw new IllegalArgumentException("it is accepted, but its formula does not parse: " + e.getMessage());
            }
        }
        if (r.hash() != null && !r.hash().matches("[0-9a-f]{16}")) {
            throw new IllegalArgumentException("\"hash\" is \"" + RunRecordChecks.cut(r.hash())
                    + "\", not 16 hexadecimal digits");
        }
        if (r.runId() != null) {
            RunRecord.checkId(r.runId());
        }
        if (r.datasetKey() != null) {
            RunRecord.checkDataKey(r.datasetKey());
        }
        if (r.writerKind() != null && r.writerKind().length() > WRITER_KIND_WIDTH) {
            throw new IllegalArgumentException("\"writer_kind\" is longer than " + WRITER_KIND_WIDTH + " characters");
        }
    }

    private List<RunRecord> runs(JsonParser p) throws IOException {
        List<RunRecord> out = new ArrayList<>();
        for (JsonNode n = entry(p, "run 1"); n != null; n = entry(p, "run " + (out.size() + 1))) {
            String where = "run " + (out.size() + 1);
            RunRecord r = RunRecordChecks.runOf(n, where);
            try {
                runCheck.accept(r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + " (id " + r.id() + "): " + e.getMessage(), e);
            }
            out.add(r);
        }
        return out;
    }

    /**
     * A reader that refuses to deliver more than an entry's bound past the entry's start (plus what the parser reads
     * ahead), so a hostile entry fails when it passes the bound, before it is held whole.
     */
    private static final class Bounded extends FilterReader {
        private long delivered;
        private long from = -1;
        private String what;

        Bounded(Reader in) {
            super(in);
        }

        /** Bounds the entry {@code what} about to be read (null: no bound). */
        void limit(String entry) {
            what = entry;
            from = entry == null ? -1 : delivered;
        }

        /** Where the entry being read starts. */
        void from(long offset) {
            from = offset;
        }

        @Override
        public int read(char[] cbuf, int off, int len) throws IOException {
            int n = super.read(cbuf, off, len);
            if (n > 0) {
                delivered += n;
                if (from >= 0 && delivered - from > MAX_ENTRY + READ_AHEAD) {
                    throw new TooLarge(what);
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            char[] one = new char[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        /** An entry past its bound; the message names it. */
        static final class TooLarge extends IOException {
            private static final long serialVersionUID = 1L;

            TooLarge(String what) {
                super(what);
            }
        }
    }

    /** Reading a run entry, every value checked. */
    static final class RunRecordChecks {
        /** Widths of the runs table's text columns (V1__init.sql). */
        private static final int DATE_WIDTH = 40;
        private static final int SPLITS_WIDTH = 4000;

        private RunRecordChecks() {
        }

        static RunRecord runOf(JsonNode o, String where) {
            if (!o.isObject() || !o.path("id").isTextual() || o.get("id").asText().isBlank()) {
                throw new IllegalArgumentException(where + " is not a run with an id");
            }
            try {
                String id = RunRecord.checkId(o.get("id").asText());
                String dataKey = FactorJson.text(o, "data_key");
                if (dataKey != null) {
                    RunRecord.checkDataKey(dataKey);
                }
                String status = FactorJson.text(o, "status");
                if (status != null && !RUN_STATUSES.contains(status)) {
                    throw FactorJson.bad("status", o.get("status"), "not one of " + RUN_STATUSES);
                }
                double progress = FactorJson.number(o, "progress", 0, 1);
                double cost = FactorJson.number(o, "cost", 0, 1e9);
                return new RunRecord(id, jsonObject(o, "config"), jsonObject(o, "state"), dataKey,
                        fitting(o, "data_from", DATE_WIDTH), fitting(o, "data_to", DATE_WIDTH),
                        (int) FactorJson.whole(o, "symbols", 0, Integer.MAX_VALUE, 0),
                        fitting(jsonObject(o, "splits"), "splits", SPLITS_WIDTH),
                        status == null ? RunStatus.PAUSED : RunStatus.of(status), progress == progress ? progress : 0,
                        FactorJson.whole(o, "trials", 0, Long.MAX_VALUE, 0),
                        FactorJson.whole(o, "accepted", 0, Long.MAX_VALUE, 0),
                        FactorJson.whole(o, "invalid", 0, Long.MAX_VALUE, 0),
                        FactorJson.whole(o, "tokens", 0, Long.MAX_VALUE, 0), cost == cost ? cost : 0,
                        FactorJson.instant(o, "started_at"), FactorJson.instant(o, "ended_at"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }

        /** The key's text, or null; longer than its knowledge-base column (V1__init.sql) it is refused. */
        private static String fitting(JsonNode o, String key, int width) {
            return fitting(FactorJson.text(o, key), key, width);
        }

        private static String fitting(String text, String key, int width) {
            if (text != null && text.length() > width) {
                throw new IllegalArgumentException("\"" + key + "\" is longer than " + width + " characters");
            }
            return text;
        }

        /** A text that must hold one JSON object (a run's settings, state, splits), or null. */
        private static String jsonObject(JsonNode o, String key) {
            String text = FactorJson.text(o, key);
            if (text == null) {
                return null;
            }
            JsonNode n;
            try {
                n = FactorJson.STRICT.readTree(text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("\"" + key + "\" is not JSON: " + e.getOriginalMessage());
            }
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("\"" + key + "\" is not a JSON object");
            }
            return text;
        }

        /** Text from the file for a message: its first 40 characters, control characters escaped. */
        static String cut(String s) {
            return TerminalText.printable(s.length() > 40 ? s.substring(0, 40) + "..." : s);
        }
    }
}
