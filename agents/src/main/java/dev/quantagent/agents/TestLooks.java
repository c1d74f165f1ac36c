package dev.quantagent.agents;

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
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The log of looks at sealed test splits ({@code test-looks.log} in the home): one tab-separated line per factor
 * evaluated on a test split (time, data set key, factor hash, formula, who looked: {@code eval}, {@code pool} or
 * {@code mine RUN}). Every look spends some of the split's value as an out-of-sample check, so every one is written
 * down, before it is taken. A log that cannot be read or written is a {@link DataException} naming the file.
 *
 * @param file the log
 */
public record TestLooks(Path file) {

    /** What one look at test covers: a factor's hash (empty for a combined signal) and its formula or name. */
    public record Entry(String hash, String formula) {
    }

    /** Logs a look per factor under the data set's key. */
    public void log(String datasetKey, List<Factor> factors, String by) {
        logEntries(datasetKey, factors.stream().map(f -> new Entry(f.hash(), f.formula())).toList(), by);
    }

    /** Logs a look per entry (a factor, or a combined signal with no hash) under the data set's key. */
    public void logEntries(String datasetKey, Collection<Entry> looks, String by) {
        String now = Instant.now().toString();
        StringBuilder lines = new StringBuilder();
        for (Entry f : looks) {
            lines.append(String.join("\t", now, datasetKey, f.hash().isEmpty() ? "-" : f.hash(),
                    oneLine(f.formula()), oneLine(by))).append(System.lineSeparator());
        }
        try {
            Files.createDirectories(file.getParent());
            AtomicFile.append(file, lines); // on the disk before the look, or the look does not happen
        } catch (IOException e) {
            throw new DataException("cannot write the log of test looks " + file + ": "
                    + DataException.reason(e, file));
        }
    }

    /**
     * Files the looks logged under one data set key under another (an earlier key scheme's key of the same data),
     * rewriting the log whole or not at all ({@link AtomicFile}).
     */
    public void rename(String from, String to) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
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
                AtomicFile.writeString(file, text);
            }
        } catch (NoSuchFileException e) {
            // no looks logged yet
        } catch (IOException e) {
            throw new DataException("cannot rewrite the log of test looks " + file + ": "
                    + DataException.reason(e, file));
        }
    }

    /** Looks logged for a data set's test split. */
    public long count(String datasetKey) {
        return count(List.of(datasetKey));
    }

    /** Looks logged for a data set's test split under any of its keys. */
    public long count(List<String> keys) {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> {
                String[] cols = l.split("\t", 3);
                return cols.length >= 2 && keys.contains(cols[1]);
            }).count();
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | UncheckedIOException e) {
            throw new DataException("cannot read the log of test looks " + file + ": " + e.getMessage());
        }
    }

    /** How many looks the log holds for a data set, and what each costs. */
    public String sentence(long looks) {
        return String.format(Locale.ROOT, "The test split of this data has now been evaluated %d time%s (log: %s). "
                + "Every look spends some of its value as an out-of-sample check.", looks, looks == 1 ? "" : "s",
                file);
    }

    private static String oneLine(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
