package dev.quantagent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.cli.render.FormulaJson;
import dev.quantagent.cli.render.Json;
import dev.quantagent.sandbox.AssetScale;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Sandbox;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "check", description = "Parse and validate a formula; print its canonical form, hash and complexity. "
        + "A field that the usual price data lacks is a warning naming the closest field; with --data or --fields it "
        + "is an error.")
final class CheckCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Option(names = "--data", paramLabel = "FILE", description = "Check the fields against this data's columns "
            + "(as eval reads it).")
    private Path data;

    @Option(names = "--fields", paramLabel = "NAME,...", split = ",", description = "Check the fields against these "
            + "columns (returns, vwap and adv{d} derive from close, high, low and volume).")
    private List<String> fields;

    @Parameters(paramLabel = "FORMULA", description = "The formula, e.g. \"rank(ts_argmax(signedpower(returns, 2), 5)) - 0.5\"")
    private String formula;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (data != null && fields != null) {
            throw new QuantAgentCli.UserError("--data and --fields both name the data's columns: give one");
        }
        Factor f;
        FormulaException unusual;
        try {
            f = new Sandbox(Limits.DEFAULT).parse(formula);
            List<String> columns = data != null ? Sandbox.fields(MarketData.load(data, null, true)) : fields;
            if (columns != null) {
                Sandbox.checkFields(f, columns.stream().map(String::trim).toList());
            }
            unusual = columns == null ? Sandbox.unusualField(f) : null;
        } catch (FormulaException e) {
            if (json) {
                out.println(Json.line(FormulaJson.error(e)));
            } else {
                PrintWriter err = spec.commandLine().getErr();
                err.println("error: " + e.getMessage());
                String pointer = e.pointer(formula);
                if (!pointer.isEmpty()) {
                    err.println(pointer.replaceAll("(?m)^", "  "));
                }
            }
            return QuantAgentCli.BAD_INPUT;
        }
        if (json) {
            ObjectNode o = Json.object();
            o.put("ok", true);
            o.put("formula", formula);
            o.setAll(FormulaJson.of(f));
            ArrayNode warnings = o.putArray("warnings");
            if (unusual != null) {
                warnings.add(warning(unusual));
            }
            out.println(Json.line(o));
        } else {
            if (unusual != null) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("warning: " + warning(unusual));
                err.println(unusual.pointer(formula).replaceAll("(?m)^", "  "));
            }
            out.println("canonical:  " + f.canonical());
            out.println("hash:       " + f.hash());
            out.printf("complexity: %d nodes, depth %d, %d distinct field%s, %d numeric parameter%s%n",
                    f.complexity().nodes(), f.complexity().depth(), f.complexity().distinctFields(),
                    f.complexity().distinctFields() == 1 ? "" : "s", f.complexity().parameters(),
                    f.complexity().parameters() == 1 ? "" : "s");
            out.println("fields:     " + String.join(", ", f.fields()));
            out.println("lookback:   " + f.lookback() + " rows before the first value");
            AssetScale scale = AssetScale.of(f.expr());
            out.println("scale:      " + (scale.dependent() ? "depends on each asset's price or volume level: "
                    + scale.why() + " (the Judge rejects this)" : "free of each asset's price and volume level"));
        }
        return 0;
    }

    /** A field the usual price data lacks: fine for data that has it, a typo otherwise. */
    private static String warning(FormulaException unusual) {
        return unusual.getMessage() + "; if your data has such a column, check --data FILE (or --fields "
                + "NAME,...) checks against it";
    }
}
