package dev.quantagent.cli;

import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "values", description = "Evaluate a formula over a data file and write its values as long CSV "
        + "(date,symbol,value; present cells only; full double precision).")
final class ValuesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataOptions market;

    @Option(names = "--out", required = true, paramLabel = "OUT",
            description = "Output CSV; gzip-compressed when the name ends in .gz; - for standard output.")
    private Path out;

    @Parameters(paramLabel = "FORMULA", description = "The factor formula.")
    private String formula;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Sandbox sandbox = new Sandbox(Limits.DEFAULT);
        Factor factor;
        try {
            factor = sandbox.parse(formula); // before loading data: a typo should not cost a 30 MB parse
        } catch (FormulaException e) {
            throw report(e, err);
        }
        if (!out.toString().equals("-")) {
            Output.check("--out", out); // before the data is read: a refused --out should cost nothing
        }
        long started = System.nanoTime();
        Panel panel = market.load();
        long loaded = System.nanoTime();
        double[] values;
        try {
            // one formula: every core on each of its kernels
            values = sandbox.evaluator(panel).threads(InOrder.threads()).evaluate(factor);
        } catch (FormulaException e) {
            throw report(e, err);
        }
        long evaluated = System.nanoTime();
        long written;
        if (out.toString().equals("-")) {
            PrintWriter o = spec.commandLine().getOut();
            written = write(panel, values, o);
            o.flush();
        } else {
            written = write(panel, values);
        }
        err.printf(Locale.ROOT, "wrote %,d values (%.1f%% of %,d cells, %d dates x %d assets) to %s"
                        + " [load %.0f ms, evaluate %.1f ms]%n", written, 100.0 * written / panel.cells(),
                panel.cells(), panel.dateCount(), panel.assetCount(),
                out.toString().equals("-") ? "standard output" : out, (loaded - started) / 1e6,
                (evaluated - loaded) / 1e6);
        return 0;
    }

    private FormulaException report(FormulaException e, PrintWriter err) {
        String pointer = e.pointer(formula);
        if (!pointer.isEmpty()) {
            // the handler prints the message; show where first
            err.println(pointer.replaceAll("(?m)^", "  "));
        }
        return e;
    }

    /** Writes the file whole or not at all: a failure never leaves a truncated output behind. */
    private long write(Panel panel, double[] values) {
        long[] count = new long[1];
        Output.write(out, w -> count[0] = write(panel, values, w));
        return count[0];
    }

    /** Dates formatted per piece of work: about 30,000 rows, enough to outweigh handing it to a thread. */
    private static final int DATES_PER_CHUNK = 64;

    /**
     * The long CSV {@code date,symbol,value}, present values only, full precision; returns the rows written. Rows are
     * formatted on every core, a chunk of dates each (formatting 600,000 doubles took most of the command's time),
     * and written in date order, the same bytes as one by one.
     */
    private static long write(Panel panel, double[] values, Writer w) throws IOException {
        int dates = panel.dateCount();
        List<Integer> chunks = new ArrayList<>();
        for (int t = 0; t < dates; t += DATES_PER_CHUNK) {
            chunks.add(t);
        }
        long[] count = {0};
        w.write(csv(out -> out.writeRecord("date", "symbol", "value")));
        InOrder.map(chunks, InOrder.threads(), () -> null, (unused, from) -> {
            long[] rows = {0};
            String text = csv(out -> {
                for (int t = from; t < Math.min(dates, from + DATES_PER_CHUNK); t++) {
                    String date = panel.dateLabel(t);
                    for (int a = 0; a < panel.assetCount(); a++) {
                        double v = values[a * dates + t];
                        if (v == v) {
                            out.writeRecord(date, panel.symbol(a), Double.toString(v));
                            rows[0]++;
                        }
                    }
                }
            });
            return new Chunk(text, rows[0]);
        }, chunk -> {
            w.write(chunk.text());
            count[0] += chunk.rows();
        });
        w.flush();
        return count[0];
    }

    private record Chunk(String text, long rows) {
    }

    /** What the records written by {@code rows} look like as CSV. */
    private static String csv(java.util.function.Consumer<CsvWriter> rows) {
        StringWriter text = new StringWriter();
        CsvWriter out = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(text);
        rows.accept(out);
        try {
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }
}
