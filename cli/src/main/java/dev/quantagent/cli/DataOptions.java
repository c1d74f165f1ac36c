package dev.quantagent.cli;

import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.data.AtomicFile;
import dev.quantagent.evaluator.data.DataException;
import dev.quantagent.evaluator.data.PanelCache;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * {@code --data}, {@code --groups} and {@code --no-cache}, shared by every command that works on market data (a
 * picocli mixin).
 */
final class DataOptions {

    /** The data set key of the embedded synthetic market, where a file's is {@link PanelCache#contentKey}. */
    static final String SYNTHETIC_KEY = "synthetic-default";

    @Option(names = "--data", paramLabel = "FILE", description = "Long CSV or CSV.gz with a header: date, symbol and "
            + "numeric columns (default: the embedded synthetic market).")
    Path data;

    @Option(names = "--groups", paramLabel = "FILE",
            description = "CSV mapping symbol to group columns (sector, industry, subindustry).")
    Path groups;

    @Option(names = "--no-cache", description = "Parse the --data CSV even if a binary copy is cached (and digest "
            + "it afresh).")
    boolean noCache;

    /** The --data file's keys once known: a command asks several times. */
    private String contentKey;
    private String pathKey;

    /** The panel: the --data file (through the binary cache unless --no-cache) or the embedded market. */
    Panel load() {
        return MarketData.load(data, groups, !noCache);
    }

    /**
     * {@link #load()} prepared for evaluation; data the configuration cannot use (no close column, an empty split)
     * is a user error.
     */
    Evaluation prepare(EvaluationConfig config, Sandbox sandbox) {
        Panel panel = load();
        try {
            return Evaluation.prepare(panel, config, sandbox);
        } catch (IllegalArgumentException e) {
            throw new QuantAgentCli.UserError(e.getMessage());
        }
    }

    /**
     * The data set's key, under which the knowledge base files its factors and runs and the test split's looks are
     * counted: a digest of the --data file's bytes, so that a copy or a moved file is the same data set and an edited
     * one is not; {@value #SYNTHETIC_KEY} for the embedded market. The digest is remembered in the home's cache by
     * the file's path, size and modification time, so a 30 MB file is read for it once; {@code --no-cache} trusts
     * no memo and computes it afresh.
     */
    String datasetKey() {
        if (data == null) {
            return SYNTHETIC_KEY;
        }
        if (contentKey == null) {
            contentKey = contentKey();
        }
        return contentKey;
    }

    private String contentKey() {
        return contentKey(!noCache);
    }

    private String contentKey(boolean trustMemo) {
        Path memo = Home.cache().resolve(legacyKey() + ".key");
        try {
            String known = trustMemo ? Files.readString(memo, StandardCharsets.UTF_8).strip() : "";
            if (known.matches("[0-9a-f]{24}")) {
                return known;
            }
        } catch (IOException e) {
            // not computed yet (or unreadable): compute it
        }
        String key;
        try {
            key = PanelCache.contentKey(data);
        } catch (IOException e) {
            throw new QuantAgentCli.UserError("--data " + data + ": cannot read: " + DataException.reason(e, data));
        }
        try {
            Files.createDirectories(memo.getParent());
            AtomicFile.writeString(memo, key);
        } catch (IOException e) {
            // a memo that cannot be written only costs a second read next time
        }
        return key;
    }

    /**
     * The key earlier versions used for a --data file ({@link PanelCache#key}: its path, size and modification
     * time); runs and factors stored under it are still found when the file has not moved.
     */
    String legacyKey() {
        if (pathKey != null) {
            return pathKey;
        }
        try {
            pathKey = PanelCache.key(data);
            return pathKey;
        } catch (NoSuchFileException e) {
            throw new QuantAgentCli.UserError("--data " + data + ": no such file");
        } catch (IOException e) {
            throw new QuantAgentCli.UserError("--data " + data + ": cannot read: " + DataException.reason(e, data));
        }
    }

    /** This data's keys: the current one first, then the earlier scheme's (the test-look log holds both). */
    java.util.List<String> keys() {
        return data == null ? java.util.List.of(SYNTHETIC_KEY) : java.util.List.of(datasetKey(), legacyKey());
    }

    /**
     * Files what the knowledge base holds under this file's earlier key ({@link #legacyKey}: its path, size and
     * modification time) under its content key, so that retrieval, novelty and the count of trials see it; the
     * test-look log's lines too. Only while the file is where it was mined, unmodified: the earlier key is found
     * only then. The digest is computed afresh for a move (a stale memo would file the records for good under
     * another data set's key). Later calls find nothing left to move.
     *
     * @return the factors and runs moved
     */
    int fileUnderContentKey(KnowledgeBase base) {
        if (data == null || !base.holds(legacyKey())) {
            return 0;
        }
        contentKey = contentKey(false);
        Home.testLooks().rename(legacyKey(), contentKey);
        return base.renameDataset(legacyKey(), contentKey);
    }

    /** Where the data comes from, for records and messages: the file's absolute path, or the embedded market. */
    String source() {
        return data == null ? "the embedded synthetic market" : data.toAbsolutePath().normalize().toString();
    }

    /** Whether a stored data set key is this data's (under the current or the earlier scheme). */
    boolean isThisData(String storedKey) {
        return storedKey.equals(datasetKey()) || data != null && storedKey.equals(legacyKey());
    }

    String describe() {
        return MarketData.describe(data);
    }

    /** Whether this is the embedded synthetic market, whose planted alphas are known. */
    boolean isSynthetic() {
        return data == null;
    }
}
