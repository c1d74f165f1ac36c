package dev.quantagent.cli;

import dev.quantagent.evaluator.data.DataException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command's result goes: the {@code --out} file (saying so on standard error) or standard output. A file
 * that cannot be written is the user's to fix, so it is a {@link QuantAgentCli.UserError} (exit 2) naming the file
 * and the reason, never an internal error.
 */
final class Output {

    /** Writes a file through a writer (an export streamed as it is produced). */
    @FunctionalInterface
    interface Body {
        void write(Writer w) throws IOException;
    }

    private Output() {
    }

    /** The text to {@code out} if given, saying so on standard error, else to standard output. */
    static void write(CommandSpec spec, Path out, String text) {
        if (out == null) {
            PrintWriter o = spec.commandLine().getOut();
            o.print(text);
            o.flush();
            return;
        }
        write(out, w -> w.write(text));
        spec.commandLine().getErr().println("wrote " + out);
    }

    /** Writes {@code out} (UTF-8) through {@code body}. */
    static void write(Path out, Body body) {
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            body.write(w);
        } catch (IOException e) {
            throw new QuantAgentCli.UserError("--out " + out + ": cannot write: " + DataException.reason(e, out));
        }
    }
}
