package dev.quantagent.cli;

import dev.quantagent.knowledge.Embedder;
import dev.quantagent.knowledge.HashingEmbedder;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;

/** One run of the command line in-process, for tests: exit code and what it printed. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        return of(HashingEmbedder::new, args);
    }

    /** With the embedding model commands get when they need one. */
    static CliRun of(Supplier<Embedder> embedders, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = QuantAgentCli.run(args, new PrintWriter(out), new PrintWriter(err), embedders);
        return new CliRun(code, out.toString(), err.toString());
    }
}
