package dev.quantagent.cli;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;

import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

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
            values = sandbox.evaluator(panel).evaluate(factor);
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

    /** The long CSV {@code date,symbol,value}, present values only, full precision; returns the rows written. */
    private static long write(Panel panel, double[] values, Writer w) throws IOException {
        long count = 0;
        CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(w);
        csv.writeRecord("date", "symbol", "value");
        int dates = panel.dateCount();
        for (int t = 0; t < dates; t++) {
            String date = panel.dateLabel(t);
            for (int a = 0; a < panel.assetCount(); a++) {
                double v = values[a * dates + t];
                if (v == v) {
                    csv.writeRecord(date, panel.symbol(a), Double.toString(v));
                    count++;
                }
            }
        }
        csv.flush();
        return count;
    }
}
