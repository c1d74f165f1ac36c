package dev.quantagent.cli;

import dev.quantagent.agents.Conclusion;
import dev.quantagent.evaluator.data.AtomicFile;
import dev.quantagent.evaluator.data.DataException;
import dev.quantagent.sandbox.Factor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The log of looks at sealed test splits, {@code test-looks.log} in the home: one tab-separated line per factor
 * evaluated on a test split (time, data set key, factor hash, formula, who looked: {@code eval} or {@code mine RUN}).
 * Every look spends some of the split's value as an out-of-sample check, so every one is written down.
 */
final class TestLooks {

    private TestLooks() {
    }

    static Path file() {
        return Home.dir().resolve("test-looks.log");
    }

    /** Logs a look per factor under the data set's key. */
    static void log(String datasetKey, List<Factor> factors, String by) {
        log(datasetKey, factors.stream().map(f -> new Conclusion.TestLookEntry(f.hash(), f.formula())).toList(), by);
    }

    /** Logs a look per entry (a factor, or a combined signal with no hash) under the data set's key. */
    static void log(String datasetKey, java.util.Collection<Conclusion.TestLookEntry> looks, String by) {
        Path log = file();
        String now = Instant.now().toString();
        StringBuilder lines = new StringBuilder();
        for (Conclusion.TestLookEntry f : looks) {
            lines.append(String.join("\t", now, datasetKey, f.hash().isEmpty() ? "-" : f.hash(),
                    oneLine(f.formula()), oneLine(by))).append(System.lineSeparator());
        }
        try {
            Files.createDirectories(log.getParent());
            AtomicFile.append(log, lines); // on the disk before the look, or the look does not happen
        } catch (IOException e) {
            throw new QuantAgentCli.UserError("cannot write the log of test looks " + log + ": "
                    + DataException.reason(e, log));
        }
    }

    /**
     * Files the looks logged under one data set key under another (an earlier key scheme's key of the same data),
     * rewriting the log whole or not at all ({@link AtomicFile}).
     */
    static void rename(String from, String to) {
        Path log = file();
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            boolean changed = false;
            for (int i = 0; i < lines.size(); i++) {
                String[] cols = lines.get(i).split("\t", -1);
                if (cols.length >= 2 && cols[1].equals(from)) {
                    cols[1] = to;
                    lines.set(i, String.join("\t", cols));
                    changed = true;
                }
            }
            if (changed) {
                StringBuilder text = new StringBuilder();
                lines.forEach(l -> text.append(l).append(System.lineSeparator()));
                AtomicFile.writeString(log, text);
            }
        } catch (NoSuchFileException e) {
            // no looks logged yet
        } catch (IOException e) {
            throw new QuantAgentCli.UserError("cannot rewrite the log of test looks " + log + ": "
                    + DataException.reason(e, log));
        }
    }

    /** Looks logged for a data set's test split. */
    static long count(String datasetKey) {
        return count(List.of(datasetKey));
    }

    /** Looks logged for a data set's test split under any of its keys. */
    static long count(List<String> keys) {
        try (var lines = Files.lines(file(), StandardCharsets.UTF_8)) {
            return lines.filter(l -> {
                String[] cols = l.split("\t", 3);
                return cols.length >= 2 && keys.contains(cols[1]);
            }).count();
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | UncheckedIOException e) {
            throw new QuantAgentCli.UserError("cannot read the log of test looks " + file() + ": " + e.getMessage());
        }
    }

    static String sentence(long looks) {
        return String.format(Locale.ROOT, "The test split of this data has now been evaluated %d time%s (log: %s). "
                + "Every look spends some of its value as an out-of-sample check.", looks, looks == 1 ? "" : "s",
                file());
    }

    private static String oneLine(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
