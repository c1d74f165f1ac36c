package dev.quantagent.cli;

import dev.quantagent.evaluator.data.AtomicFile;
import dev.quantagent.evaluator.data.DataException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command's result goes: the {@code --out} file (saying so on standard error) or standard output. A file
 * that cannot be written is the user's to fix, so it is a {@link QuantAgentCli.UserError} (exit 2) naming the file
 * and the reason, never an internal error.
 */
final class Output {

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

    /** Writes {@code out} (UTF-8) through {@code body}, whole or not at all ({@link AtomicFile}). */
    static void write(Path out, AtomicFile.IoConsumer<Writer> body) {
        write("--out", out, body);
    }

    /**
     * Writes the file an option names (UTF-8, gzip for a {@code .gz} name) through {@code body}, whole or not at all
     * ({@link AtomicFile}).
     */
    static void write(String option, Path file, AtomicFile.IoConsumer<Writer> body) {
        try {
            AtomicFile.writeText(file, body);
        } catch (IOException e) {
            throw cannotWrite(option, file, e);
        }
    }

    /**
     * Refuses at once a file that could not be written (a directory, a device, a pipe, a missing folder), for
     * commands that work long before they write.
     */
    static void check(String option, Path file) {
        try {
            AtomicFile.checkTarget(file);
        } catch (IOException e) {
            throw cannotWrite(option, file, e);
        }
    }

    static QuantAgentCli.UserError cannotWrite(String option, Path file, IOException e) {
        return new QuantAgentCli.UserError(option + " " + file + ": cannot write: " + DataException.reason(e, file));
    }
}
