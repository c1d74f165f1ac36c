package dev.quantagent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.cli.render.Json;
import dev.quantagent.sandbox.Op;
import dev.quantagent.sandbox.Operators;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ops", description = "Print the operator reference (generated from the operator registry).")
final class OpsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print the registry as JSON.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ArrayNode all = Json.array();
            for (Op op : Operators.all()) {
                ObjectNode o = all.addObject();
                o.put("name", op.name());
                o.put("signature", op.signature());
                o.put("category", op.category().name().toLowerCase(java.util.Locale.ROOT));
                op.aliases().forEach(o.putArray("aliases")::add);
                if (op.infix() != null) {
                    o.put("infix", op.infix());
                }
                o.put("description", op.doc());
            }
            out.println(Json.pretty(all));
            return 0;
        }
        out.print(dev.quantagent.agents.OperatorReference.text());
        return 0;
    }
}
