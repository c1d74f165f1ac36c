package dev.quantagent.cli;

import dev.quantagent.knowledge.Embedder;
import dev.quantagent.knowledge.HashingEmbedder;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.function.Supplier;

/** One run of the command line in-process, for tests: exit code and what it printed. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        return of(HashingEmbedder::new, args);
    }

    /** With the embedding model commands get when they need one; no LLM is configured. */
    static CliRun of(Supplier<Embedder> embedders, String... args) {
        return of(embedders, Map.of(), args);
    }

    /** With the environment the LLM settings read ({@code OPENAI_API_KEY} ...). */
    static CliRun withEnv(Map<String, String> env, String... args) {
        return of(HashingEmbedder::new, env, args);
    }

    private static CliRun of(Supplier<Embedder> embedders, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = QuantAgentCli.run(args, new PrintWriter(out), new PrintWriter(err), embedders, env);
        return new CliRun(code, out.toString(), err.toString());
    }
}
