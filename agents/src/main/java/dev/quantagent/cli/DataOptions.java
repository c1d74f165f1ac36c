package dev.quantagent.cli;

import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.data.PanelCache;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * {@code --data}, {@code --groups} and {@code --no-cache}, shared by every command that works on market data (a
 * picocli mixin).
 */
final class DataOptions {

    /** The data set key of the embedded synthetic market, where a file's is {@link PanelCache#key}. */
    static final String SYNTHETIC_KEY = "synthetic-default";

    @Option(names = "--data", paramLabel = "FILE", description = "Long CSV or CSV.gz with a header: date, symbol and "
            + "numeric columns (default: the embedded synthetic market).")
    Path data;

    @Option(names = "--groups", paramLabel = "FILE",
            description = "CSV mapping symbol to group columns (sector, industry, subindustry).")
    Path groups;

    @Option(names = "--no-cache", description = "Parse the --data CSV even if a binary copy is cached.")
    boolean noCache;

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
     * The data set's key, under which the knowledge base files its factors and the test split's looks are counted:
     * {@link PanelCache#key} of the --data file, {@value #SYNTHETIC_KEY} for the embedded market. Needs no parsing;
     * a file that is missing or cannot be read is a user error.
     */
    String datasetKey() {
        if (data == null) {
            return SYNTHETIC_KEY;
        }
        try {
            return PanelCache.key(data);
        } catch (NoSuchFileException e) {
            throw new QuantAgentCli.UserError("--data " + data + ": no such file");
        } catch (IOException e) {
            throw new QuantAgentCli.UserError("--data " + data + ": cannot read: " + Output.reason(e, data));
        }
    }

    String describe() {
        return MarketData.describe(data);
    }
}
