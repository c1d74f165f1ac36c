package dev.quantagent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quantagent data}: market data sources; on its own it prints its usage. */
@Command(name = "data", description = "Get market data as long CSV for --data.",
        subcommands = {SynthCommand.class}, usageHelpAutoWidth = true)
final class DataCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
