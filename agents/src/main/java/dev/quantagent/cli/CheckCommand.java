package dev.quantagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.sandbox.AssetScale;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Sandbox;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", description = "Parse and validate a formula; print its canonical form, hash and complexity.")
final class CheckCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Parameters(paramLabel = "FORMULA", description = "The formula, e.g. \"rank(ts_argmax(signedpower(returns, 2), 5)) - 0.5\"")
    private String formula;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Factor f;
        try {
            f = new Sandbox(Limits.DEFAULT).parse(formula);
        } catch (FormulaException e) {
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(Json.error(e)));
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
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("ok", true);
            o.put("formula", formula);
            o.setAll(Json.factor(f));
            out.println(Json.MAPPER.writeValueAsString(o));
        } else {
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

    /** JSON shapes shared by the commands. */
    static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();

        private Json() {
        }

        static ObjectNode factor(Factor f) {
            ObjectNode o = MAPPER.createObjectNode();
            o.put("canonical", f.canonical());
            o.put("hash", f.hash());
            ObjectNode c = o.putObject("complexity");
            c.put("nodes", f.complexity().nodes());
            c.put("depth", f.complexity().depth());
            c.put("distinct_fields", f.complexity().distinctFields());
            c.put("parameters", f.complexity().parameters());
            f.fields().forEach(o.putArray("fields")::add);
            o.put("lookback", f.lookback());
            AssetScale scale = AssetScale.of(f.expr());
            ObjectNode u = o.putObject("scale");
            u.put("dependent", scale.dependent());
            u.put("price_exponent", scale.price());
            u.put("shares_exponent", scale.shares());
            u.put("why", scale.why());
            return o;
        }

        static ObjectNode error(FormulaException e) {
            ObjectNode o = MAPPER.createObjectNode();
            o.put("ok", false);
            ObjectNode err = o.putObject("error");
            err.put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT));
            err.put("message", e.detail());
            if (e.position() >= 0) {
                err.put("position", e.position());
                err.put("column", e.position() + 1);
            }
            return o;
        }
    }
}
