package dev.quantagent.cli;

import dev.quantagent.evaluator.BookConfig;

import picocli.CommandLine.Option;

/** The portfolio settings shared by eval, mine and pool (a picocli mixin); a setting left out keeps the default. */
final class BookOptions {

    @Option(names = "--topk", paramLabel = "K", description = "Names held by the TopK-dropout book (default: a "
            + "tenth of the assets, at most 50).")
    Integer topk;

    @Option(names = "--dropout", paramLabel = "N", description = "Names the TopK-dropout book replaces at most per "
            + "rebalance (default: a tenth of topk).")
    Integer dropout;

    @Option(names = "--rebalance-every", paramLabel = "BARS|auto", description = "Bars between rebalances of the TopK "
            + "and buffered books, or auto (default): the holding of 1, 5, 10 or 20 bars that did best after costs on "
            + "train.")
    String rebalanceEvery;

    @Option(names = "--buffer", paramLabel = "Q", description = "Quantiles a name of the buffered long-short may "
            + "fall beyond its entry quantile before it is sold (default 1).")
    Integer buffer;

    /** Whether any of these options was given. */
    boolean given() {
        return topk != null || dropout != null || rebalanceEvery != null || buffer != null;
    }

    /** The settings over {@code base}. */
    BookConfig over(BookConfig base) {
        int every = base.rebalanceEvery();
        if (rebalanceEvery != null) {
            try {
                every = rebalanceEvery.equalsIgnoreCase("auto") ? 0 : Integer.parseInt(rebalanceEvery.trim());
            } catch (NumberFormatException e) {
                throw new QuantAgentCli.UserError("--rebalance-every " + rebalanceEvery + ": give a number of bars or "
                        + "auto");
            }
            if (every < 1 && !rebalanceEvery.equalsIgnoreCase("auto")) {
                throw new QuantAgentCli.UserError("--rebalance-every " + rebalanceEvery + ": at least 1 bar (or auto)");
            }
        }
        try {
            return new BookConfig(topk != null ? topk : base.topk(), dropout != null ? dropout : base.dropout(), every,
                    buffer != null ? buffer : base.buffer());
        } catch (IllegalArgumentException e) {
            throw new QuantAgentCli.UserError("--topk/--dropout/--rebalance-every/--buffer: " + e.getMessage());
        }
    }
}
