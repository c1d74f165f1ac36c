package dev.quantagent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quantagent data}: a parent for the commands that fetch or make market data files. */
@Command(name = "data", description = "Make, fetch or inspect market data files in the long CSV format --data reads.",
        subcommands = {SynthCommand.class, BybitCommand.class, InspectCommand.class},
        usageHelpAutoWidth = true)
final class DataCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut()); // no subcommand given: say which there are
    }
}
