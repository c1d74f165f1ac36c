package dev.quantagent.cli;

import dev.quantagent.sandbox.Panel;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** {@code --data} and {@code --groups}, shared by every command that works on market data (a picocli mixin). */
final class DataOptions {

    @Option(names = "--data", paramLabel = "FILE", description = "Long CSV or CSV.gz with a header: date, symbol and "
            + "numeric columns (default: the embedded synthetic market).")
    Path data;

    @Option(names = "--groups", paramLabel = "FILE",
            description = "CSV mapping symbol to group columns (sector, industry, subindustry).")
    Path groups;

    Panel load(boolean useCache) {
        return MarketData.load(data, groups, useCache);
    }

    String describe() {
        return MarketData.describe(data);
    }
}
