package dev.quantagent.cli;

import dev.quantagent.evaluator.data.GroupsCsv;
import dev.quantagent.evaluator.data.PanelCache;
import dev.quantagent.evaluator.synth.SyntheticMarket;
import dev.quantagent.sandbox.Panel;

import java.nio.file.Path;

/**
 * The panel a command works on: the {@code --data} file (through the binary cache) with optional {@code --groups},
 * or, without {@code --data}, the embedded synthetic market (100 assets, 3 years, seed 42, with planted alphas and
 * sector/industry/subindustry groups), so every command runs on a fresh machine with no data at hand.
 */
final class MarketData {

    private MarketData() {
    }

    static Panel load(Path data, Path groups, boolean useCache) {
        if (data == null) {
            if (groups != null) {
                throw new QuantAgentCli.UserError("--groups needs --data (the embedded market has its own groups)");
            }
            return SyntheticMarket.generate(SyntheticMarket.Config.DEFAULT);
        }
        Panel panel = PanelCache.load(data, useCache ? Home.cache() : null);
        return groups == null ? panel : GroupsCsv.withGroups(panel, groups);
    }

    /** How reports name the data. */
    static String describe(Path data) {
        return data == null ? "the embedded synthetic market (quantagent data synth, seed 42)" : data.toString();
    }
}
