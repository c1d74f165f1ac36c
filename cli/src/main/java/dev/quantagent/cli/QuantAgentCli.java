package dev.quantagent.cli;

import dev.quantagent.evaluator.data.DataException;
import dev.quantagent.knowledge.Embedder;
import dev.quantagent.knowledge.Embedders;
import dev.quantagent.knowledge.KnowledgeBaseException;
import dev.quantagent.llm.Refused;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.TerminalText;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code quantagent} command. Exit codes: 0 success, 2 bad input (formula, data, options), 1 internal error.
 */
@Command(name = "quantagent", mixinStandardHelpOptions = true, version = "quantagent 0.1.0",
        description = "Autonomous alpha-factor mining and backtest analysis.",
        subcommands = {MineCommand.class, CheckCommand.class, ValuesCommand.class, OpsCommand.class, EvalCommand.class,
            DataCommand.class, ReportCommand.class, PoolCommand.class, KbCommand.class, AnalyzeCommand.class},
        usageHelpAutoWidth = true)
public final class QuantAgentCli implements Runnable {

    /** Exit code for bad input of any kind. */
    static final int BAD_INPUT = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // on the file descriptors, not System.out: a PrintStream swallows a write that fails (a full disk, a closed
        // pipe), and the command would report success with its output lost
        System.exit(run(args, new StandardStream(new FileOutputStream(FileDescriptor.out)),
                new StandardStream(new FileOutputStream(FileDescriptor.err))));
    }

    /** Runs the command line with the given streams; returns the exit code (for tests and embedding). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, Embedders.miniLm());
    }

    /**
     * As {@link #run(String[], PrintWriter, PrintWriter)}, with the embedding model to use when a command needs one
     * (tests pass a fast fake). Commands get their collaborators through picocli's factory, not global state.
     */
    static int run(String[] args, PrintWriter out, PrintWriter err, Supplier<Embedder> embedders) {
        return run(args, out, err, embedders, System.getenv());
    }

    /**
     * As {@link #run(String[], PrintWriter, PrintWriter, Supplier)}, with the environment the LLM settings fall back
     * to ({@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code QUANTAGENT_MODEL}): tests pass their own, so a key
     * on the developer's machine never sends a test to the network.
     */
    static int run(String[] args, PrintWriter out, PrintWriter err, Supplier<Embedder> embedders,
                   Map<String, String> env) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == KbCommand.class) {
                    return cls.cast(new KbCommand(embedders));
                }
                if (cls == MineCommand.class) {
                    return cls.cast(new MineCommand(embedders, env));
                }
                if (cls == AnalyzeCommand.class) {
                    return cls.cast(new AnalyzeCommand(env));
                }
                if (cls == ReportCommand.class) {
                    return cls.cast(new ReportCommand(embedders));
                }
                if (cls == PoolCommand.class) {
                    return cls.cast(new PoolCommand(embedders));
                }
                return defaults.create(cls);
            }
        };
        // everything shown passes through Printable: names, reasons and replies from files and servers (a knowledge
        // base import, an LLM) must not drive the terminal, whichever command prints them; picocli's own colours
        // would be escaped too, so they are off
        PrintWriter shownOut = new PrintWriter(new Printable(out), true);
        PrintWriter shownErr = new PrintWriter(new Printable(err), true);
        CommandLine cl = new CommandLine(new QuantAgentCli(), factory);
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        addHelp(cl);
        // formulas often start with a minus ("-1 * rank(close)"): an argument that is no known option is a formula
        cl.setUnmatchedOptionsArePositionalParams(true);
        // and "@x" is a formula too: picocli would read a file named x and splice its lines in as arguments, echoing
        // them in error messages
        cl.setExpandAtFiles(false);
        cl.setOut(shownOut);
        cl.setErr(shownErr);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof DataException || e instanceof FormulaException || e instanceof UserError
                    || e instanceof KnowledgeBaseException || e instanceof Refused) {
                commandLine.getErr().println("error: " + TerminalText.printable(e.getMessage()));
                return BAD_INPUT;
            }
            commandLine.getErr().println("internal error: " + TerminalText.printable(String.valueOf(e)));
            e.printStackTrace(commandLine.getErr());
            return 1;
        });
        int code = cl.execute(args);
        shownOut.flush();
        shownErr.flush();
        out.flush();
        if (out.checkError()) {
            String why = out instanceof StandardStream s && s.failure() != null ? ": " + s.failure() : "";
            err.println("error: cannot write to standard output" + why + "; the output is lost");
            code = code == 0 ? BAD_INPUT : code;
        }
        err.flush();
        return err.checkError() && code == 0 ? BAD_INPUT : code; // nothing left to say it on
    }

    /**
     * Text on its way to the terminal with every character that would drive it ({@link TerminalText#unprintable}:
     * an escape sequence that recolours, moves the cursor or retitles the window, a bidirectional override) written as
     * its code in Java's escape notation instead; line breaks, tabs and carriage returns (the progress line) pass.
     */
    static final class Printable extends FilterWriter {
        Printable(Writer out) {
            super(out);
        }

        @Override
        public void write(int c) throws IOException {
            write(new char[] {(char) c}, 0, 1);
        }

        @Override
        public void write(String s, int off, int len) throws IOException {
            int from = off;
            for (int i = off; i < off + len; i++) {
                char c = s.charAt(i);
                if (escaped(c)) {
                    out.write(s, from, i - from);
                    out.write(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    from = i + 1;
                }
            }
            out.write(s, from, off + len - from);
        }

        @Override
        public void write(char[] b, int off, int len) throws IOException {
            write(new String(b, off, len), 0, len);
        }

        private static boolean escaped(char c) {
            return c != '\n' && c != '\t' && c != '\r' && TerminalText.unprintable(c);
        }
    }

    /**
     * A standard stream that remembers why writing to it failed (a {@link PrintWriter} only says that it did), so
     * that the command can say it before it exits with an error.
     */
    static final class StandardStream extends PrintWriter {
        private final Recording recording;

        StandardStream(OutputStream stream) {
            this(new Recording(stream));
        }

        private StandardStream(Recording recording) {
            super(new OutputStreamWriter(recording, Charset.defaultCharset()), true);
            this.recording = recording;
        }

        /** Why a write failed, or null. */
        String failure() {
            IOException e = recording.failure;
            return e == null ? null : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }

        private static final class Recording extends FilterOutputStream {
            private IOException failure;

            Recording(OutputStream out) {
                super(out);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                    throw e;
                }
            }

            @Override
            public void flush() throws IOException {
                try {
                    out.flush();
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                    throw e;
                }
            }
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Gives every command without one a {@code -h/--help} option. It must be declared: since arguments that are no
     * known option count as formulas, an undeclared {@code --help} would be read as a formula.
     */
    private static void addHelp(CommandLine c) {
        CommandLine.Model.CommandSpec s = c.getCommandSpec();
        boolean has = s.options().stream().anyMatch(CommandLine.Model.OptionSpec::usageHelp);
        if (!has) {
            s.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help and exit.").build());
        }
        c.getSubcommands().values().forEach(QuantAgentCli::addHelp);
    }

    /** A problem with what the user asked for, reported as one line without a stack trace. */
    static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UserError(String message) {
            super(message);
        }
    }
}
