package dev.quantagent.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** {@code --kb}, shared by the commands that open the knowledge base (a picocli mixin). */
final class KbOption {

    @Option(names = "--kb", paramLabel = "PATH",
            description = "Knowledge base directory (default: $QUANTAGENT_KB, else $QUANTAGENT_HOME/kb).")
    Path kb;

    /** Where the knowledge base is: the option, else the environment, else the home. */
    Path location() {
        return Home.kb(kb);
    }

    /** Whether --kb was given (a hint to the user then repeats it). */
    boolean given() {
        return kb != null;
    }
}
