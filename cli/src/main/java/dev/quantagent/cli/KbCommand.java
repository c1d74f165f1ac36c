package dev.quantagent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.cli.render.Json;
import dev.quantagent.evaluator.data.DataException;
import dev.quantagent.knowledge.Embedder;
import dev.quantagent.knowledge.Embedders;
import dev.quantagent.knowledge.Exchange;
import dev.quantagent.knowledge.FactorJson;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.Filter;
import dev.quantagent.knowledge.GroupRate;
import dev.quantagent.knowledge.Hit;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.knowledge.RunRecord;
import dev.quantagent.knowledge.Status;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code quantagent kb}: browse, search, export and import the knowledge base. */
@Command(name = "kb", description = "Browse, search, export and import the knowledge base of tested factors.",
        subcommands = {KbCommand.ListCmd.class, KbCommand.Show.class, KbCommand.Search.class, KbCommand.Similar.class,
            KbCommand.Stats.class, KbCommand.Runs.class, KbCommand.Export.class, KbCommand.Import.class,
            KbCommand.Delete.class})
final class KbCommand implements Runnable {

    /** The embedding model, created only by commands that need a vector; tests pass a fake. */
    private final Supplier<Embedder> embedders;

    KbCommand(Supplier<Embedder> embedders) {
        this.embedders = embedders;
    }

    @Spec
    private CommandSpec spec;

    @Mixin
    private KbOption kb;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    Path location() {
        return kb.location();
    }

    /** The knowledge base to read; a path with none is an error, not a new empty base. */
    KnowledgeBase open() {
        return KnowledgeBase.openExisting(location(), embedders);
    }

    /** The knowledge base to write into, created if missing. */
    KnowledgeBase openOrCreate() {
        return KnowledgeBase.open(location(), embedders);
    }

    static Filter filter(List<String> statuses, String run) {
        Set<Status> s = EnumSet.noneOf(Status.class);
        try {
            for (String st : statuses) {
                for (String part : st.split(",")) {
                    s.add(Status.of(part));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new QuantAgentCli.UserError(e.getMessage());
        }
        return new Filter(s, run, null);
    }

    static String line(FactorRecord f) {
        String ic = f.valid() == null || Double.isNaN(f.valid().rankIc()) ? "      -"
                : String.format(Locale.ROOT, "%7.4f", f.valid().rankIc());
        return String.format(Locale.ROOT, "%6d  %-8s  %s  %-24s  %s", f.id(), f.status().key(), ic,
                f.name() == null ? "" : f.name(), f.canonical() != null ? f.canonical() : f.formula());
    }

    static void printHits(PrintWriter out, List<Hit> hits, boolean json) throws IOException {
        if (json) {
            ArrayNode a = Json.array();
            for (Hit h : hits) {
                ObjectNode o = FactorJson.toJson(h.factor());
                o.put("score", h.score());
                a.add(o);
            }
            out.println(Json.line(a));
            return;
        }
        for (Hit h : hits) {
            out.printf(Locale.ROOT, "%.3f  %s%n", h.score(), line(h.factor()));
        }
    }

    @Command(name = "list", description = "List factors (id, status, valid rank IC, name, canonical form).")
    static final class ListCmd implements Callable<Integer> {
        @ParentCommand
        private KbCommand parent;
        @Spec
        private CommandSpec spec;
        @Option(names = "--status", description = "accepted, rejected or invalid (repeatable, comma-separated).")
        private List<String> status = List.of();
        @Option(names = "--run", description = "Only factors of this run.")
        private String run;
        @Option(names = "--sort", description = "rank_ic (default), created or score.")
        private String sort = "rank_ic";
        @Option(names = "--limit", description = "At most N factors (default 50).")
        private int limit = 50;
        @Option(names = "--json", description = "Print a JSON array.")
        private boolean json;

        @Override
        public Integer call() throws IOException {
            KnowledgeBase.Sort order;
            try {
                order = KnowledgeBase.Sort.valueOf(sort.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new QuantAgentCli.UserError("unknown --sort '" + sort + "' (use rank_ic, created or score)");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (KnowledgeBase kb = parent.open()) {
                List<FactorRecord> rows = kb.list(filter(status, run), order, limit);
                if (json) {
                    ArrayNode a = Json.array();
                    rows.forEach(r -> a.add(FactorJson.toJson(r)));
                    out.println(Json.line(a));
                } else {
                    out.println("    id  status    rank_ic  name                      canonical");
                    rows.forEach(r -> out.println(line(r)));
                }
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Everything about one factor, with its lineage and feedback history.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        private KbCommand parent;
        @Spec
        private CommandSpec spec;
        @Parameters(paramLabel = "ID")
        private long id;
        @Option(names = "--json", description = "Print one JSON object.")
        private boolean json;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (KnowledgeBase kb = parent.open()) {
                FactorRecord f = kb.get(id).orElseThrow(() -> new QuantAgentCli.UserError("no factor with id " + id
                        + " in " + kb.location()));
                List<FactorRecord> lineage = kb.lineage(id);
                List<FactorRecord> children = kb.children(id);
                if (json) {
                    ObjectNode o = FactorJson.toJson(f);
                    ArrayNode l = o.putArray("lineage");
                    lineage.forEach(a -> l.add(FactorJson.toJson(a)));
                    ArrayNode c = o.putArray("children");
                    children.forEach(a -> c.add(a.id()));
                    out.println(Json.pretty(o));
                    return 0;
                }
                ObjectNode o = FactorJson.toJson(f);
                o.fields().forEachRemaining(e -> out.printf("%-18s %s%n", e.getKey() + ":",
                        e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
                out.println("lineage:" + (lineage.isEmpty() ? " (none)" : ""));
                for (FactorRecord a : lineage) {
                    out.printf("  #%d %s [%s] score %s: %s%n", a.id(), a.name(), a.status().key(),
                            a.judgeScore() == null ? "-" : a.judgeScore(), a.canonical());
                }
                out.println("feedback history:");
                for (int i = lineage.size() - 1; i >= 0; i--) {
                    FactorRecord a = lineage.get(i);
                    out.printf("  #%d round %d: %s%s%n", a.id(), a.round(),
                            a.judgeFeedback() == null ? "-" : a.judgeFeedback(),
                            a.rejectionReasons().isEmpty() ? "" : " (" + String.join("; ", a.rejectionReasons()) + ")");
                }
                out.printf("  #%d round %d: %s%n", f.id(), f.round(), f.judgeFeedback() == null ? "-"
                        : f.judgeFeedback());
                out.println("children:           " + (children.isEmpty() ? "(none)"
                        : String.join(", ", children.stream().map(c -> "#" + c.id()).toList())));
            }
            return 0;
        }
    }

    /** How many nearest factors to show: at least one. */
    static void checkK(int k) {
        if (k < 1) {
            throw new QuantAgentCli.UserError("-k " + k + ": give how many factors to show, 1 or more");
        }
    }

    @Command(name = "search", description = "Factors semantically nearest to a text (loads the embedding model).")
    static final class Search implements Callable<Integer> {
        @ParentCommand
        private KbCommand parent;
        @Spec
        private CommandSpec spec;
        @Parameters(paramLabel = "TEXT")
        private String text;
        @Option(names = "-k", description = "How many (default 10).")
        private int k = 10;
        @Option(names = "--status", description = "accepted, rejected or invalid (repeatable).")
        private List<String> status = List.of();
        @Option(names = "--run", description = "Only factors of this run.")
        private String run;
        @Option(names = "--json", description = "Print a JSON array.")
        private boolean json;

        @Override
        public Integer call() throws IOException {
            if (text == null || text.isBlank()) {
                throw new QuantAgentCli.UserError("kb search: give a text to search for, e.g. \"short-term reversal\"");
            }
            checkK(k);
            try (KnowledgeBase kb = parent.open()) {
                printHits(spec.commandLine().getOut(), kb.search(text, k, filter(status, run)), json);
            }
            return 0;
        }
    }

    @Command(name = "similar", description = "Factors semantically nearest to a stored one.")
    static final class Similar implements Callable<Integer> {
        @ParentCommand
        private KbCommand parent;
        @Spec
        private CommandSpec spec;
        @Parameters(paramLabel = "ID")
        private long id;
        @Option(names = "-k", description = "How many (default 10).")
        private int k = 10;
        @Option(names = "--json", description = "Print a JSON array.")
        private boolean json;

        @Override
        public Integer call() throws IOException {
            checkK(k);
            try (KnowledgeBase kb = parent.open()) {
                if (kb.get(id).isEmpty()) {
                    throw new QuantAgentCli.UserError("no factor with id " + id + " in " + kb.location());
                }
                printHits(spec.commandLine().getOut(), kb.similar(id, k, Filter.ANY), json);
            }
            return 0;
        }
    }

    @Command(name = "stats", description = "Counts, success rates by operator family, run and writer, best factors.")
    static final class Stats implements Callable<Integer> {
        @ParentCommand
        private KbCommand parent;
        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (KnowledgeBase kb = parent.open()) {
                out.println("knowledge base: " + kb.location() + " (schema version " + kb.schemaVersion() + ")");
                Map<Status, Long> counts = kb.countByStatus();
                out.printf("factors: %d (accepted %d, rejected %d, invalid %d)%n", kb.count(),
                        counts.get(Status.ACCEPTED), counts.get(Status.REJECTED), counts.get(Status.INVALID));
                kb.trialsByDataset().forEach((d, n) -> out.printf("trials on data %s: %d%n", d, n));
                rates(out, "by operator family", kb.successByFamily());
                rates(out, "by run", kb.successByRun());
                rates(out, "by writer", kb.successByWriter());
                out.println("best by valid rank IC:");
                kb.list(Filter.accepted(), KnowledgeBase.Sort.RANK_IC, 5).forEach(f -> out.println(line(f)));
            }
            return 0;
        }

        private static void rates(PrintWriter out, String title, List<GroupRate> rates) {
            out.println("success " + title + ":");
            for (GroupRate g : rates) {
                out.printf(Locale.ROOT, "  %-28s %6d tried %6d accepted  %5.1f%%%n", g.group() == null ? "(none)"
                        : g.group(), g.tried(), g.accepted(), 100 * g.rate());
            }
        }
    }

    @Command(name = "runs", description = "Mining runs with their status and counters.")
    static final class Runs implements Callable<Integer> {
        @ParentCommand
        private KbCommand parent;
        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (KnowledgeBase kb = parent.open()) {
                out.println("run                   status     progress  trials  accepted  invalid   tokens     cost"
                        + "  started");
                for (RunRecord r : kb.runs()) {
                    out.printf(Locale.ROOT, "%-20s  %-9s  %7.0f%%  %6d  %8d  %7d  %7d  %7.2f  %s%n", r.id(),
                            r.status().key(), 100 * r.progress(), r.trials(), r.accepted(), r.invalid(), r.tokens(),
                            r.cost(), r.startedAt() == null ? "-" : r.startedAt());
                }
            }
            return 0;
        }
    }

    @Command(name = "export", description = "Write factors as json (re-importable), csv, or qlib "
            + "(name<TAB>Qlib expression per line).")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        private KbCommand parent;
        @Spec
        private CommandSpec spec;
        @Option(names = "--format", description = "json (default), csv or qlib.")
        private String format = "json";
        @Option(names = "--out", required = true, paramLabel = "FILE")
        private Path out;
        @Option(names = "--status", description = "Only these statuses (repeatable).")
        private List<String> status = List.of();

        @Override
        public Integer call() throws IOException {
            String f = format.toLowerCase(Locale.ROOT);
            if (!List.of("json", "csv", "qlib").contains(f)) {
                throw new QuantAgentCli.UserError("unknown --format '" + format + "' (use json, csv or qlib)");
            }
            try (KnowledgeBase kb = parent.open()) {
                List<FactorRecord> all = kb.list(filter(status, null), KnowledgeBase.Sort.ID, Integer.MAX_VALUE);
                int[] expressions = {0};
                Output.write(out, w -> {
                    if (f.equals("json")) {
                        // with the runs that produced them: their settings travel with the factors
                        List<RunRecord> runs = all.stream().map(FactorRecord::runId).filter(java.util.Objects::nonNull)
                                .distinct().map(kb::run).flatMap(java.util.Optional::stream).toList();
                        Exchange.exportJson(all, runs, w);
                    } else if (f.equals("csv")) {
                        Exchange.exportCsv(all, w);
                    } else {
                        expressions[0] = Exchange.exportQlib(all, w);
                    }
                });
                spec.commandLine().getOut().println("exported " + all.size() + " factors to " + out + (f.equals("qlib")
                        ? ": " + expressions[0] + " as Qlib expressions, " + (all.size() - expressions[0]) + " as "
                        + "comments saying why Qlib cannot express them" : ""));
            }
            return 0;
        }
    }

    @Command(name = "import", description = "Import a json export, merging by canonical hash (nothing duplicated).")
    static final class Import implements Callable<Integer> {
        /** Factors between two progress lines on standard error (each is embedded and stored on its own). */
        static final int PROGRESS_EVERY = 1_000;

        /** The progress line after {@code done} of {@code total} factors (every thousand, and the last), else null. */
        static String progress(int done, int total) {
            return done % PROGRESS_EVERY == 0 || done == total
                    ? String.format(Locale.ROOT, "imported %,d/%,d", done, total) : null;
        }

        @ParentCommand
        private KbCommand parent;
        @Spec
        private CommandSpec spec;
        @Parameters(paramLabel = "FILE")
        private Path file;

        @Override
        public Integer call() throws IOException {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); KnowledgeBase kb = parent.openOrCreate()) {
                PrintWriter err = spec.commandLine().getErr();
                Exchange.ImportResult res = Exchange.importJson(kb, r, (done, total) -> {
                    String line = progress(done, total);
                    if (line != null) {
                        err.println(line);
                        err.flush();
                    }
                }, StoredRuns::checkSettings); // what report --factor will read of each run
                spec.commandLine().getOut().printf("imported %d factors, skipped %d already present%n", res.added(),
                        res.skipped());
            } catch (NoSuchFileException e) {
                throw new QuantAgentCli.UserError("no such file: " + file);
            } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new QuantAgentCli.UserError(file + " is not a knowledge base export: " + e.getMessage());
            } catch (IOException e) {
                throw new QuantAgentCli.UserError(file + ": cannot read: " + DataException.reason(e, file));
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a run and all its factors (needs --yes).")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        private KbCommand parent;
        @Spec
        private CommandSpec spec;
        @Option(names = "--run", required = true, description = "The run to delete.")
        private String run;
        @Option(names = "--yes", description = "Really delete.")
        private boolean yes;

        @Override
        public Integer call() {
            if (!yes) {
                spec.commandLine().getErr().println("error: this deletes run " + run + " and every factor it "
                        + "produced, for good; add --yes to confirm (kb export first to keep a copy)");
                return QuantAgentCli.BAD_INPUT;
            }
            try (KnowledgeBase kb = parent.open()) {
                boolean known = kb.run(run).isPresent();
                int n = kb.deleteRun(run);
                if (!known && n == 0) {
                    throw new QuantAgentCli.UserError("no run " + run + " in " + kb.location());
                }
                spec.commandLine().getOut().println("deleted run " + run + " and its " + n + " factors");
            }
            return 0;
        }
    }
}
