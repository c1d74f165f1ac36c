package dev.quantagent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.cli.render.Json;
import dev.quantagent.evaluator.Frequency;
import dev.quantagent.evaluator.data.DataQuality;
import dev.quantagent.evaluator.data.GroupsCsv;
import dev.quantagent.evaluator.data.PanelCache;
import dev.quantagent.sandbox.Panel;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect", description = "Describe a data file: shape, frequency, fields, groups, and everything "
        + "unusual in it (missing cells, contradictory bars, late starters, gaps, big moves), with examples.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Long CSV or CSV.gz.")
    private Path data;

    @Option(names = "--groups", paramLabel = "FILE", description = "CSV mapping symbol to group columns.")
    private Path groups;

    @Option(names = "--json", description = "Print one JSON object.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Panel p = PanelCache.load(data, Home.cache());
        if (groups != null) {
            p = GroupsCsv.withGroups(p, groups);
        }
        DataQuality q = DataQuality.inspect(p);
        Frequency f = Frequency.infer(p);
        if (json) {
            ObjectNode o = Json.object();
            o.put("file", data.toString());
            o.put("dates", p.dateCount());
            o.put("assets", p.assetCount());
            o.put("first", p.dateLabel(0));
            o.put("last", p.dateLabel(p.dateCount() - 1));
            o.put("frequency", f.name());
            o.put("periods_per_year", f.periodsPerYear());
            p.fieldNames().forEach(o.putArray("fields")::add);
            p.groupNames().forEach(o.putArray("groups")::add);
            ObjectNode missing = o.putObject("missing");
            q.missingByField().forEach(missing::put);
            o.put("ohlc_violations", q.ohlcViolations());
            o.put("non_positive_closes", q.nonPositive());
            o.put("zero_volume", q.zeroVolume());
            o.put("late_starters", q.lateStarters());
            o.put("early_enders", q.earlyEnders());
            o.put("dates_missing_inside", q.holes());
            o.put("symbols_with_missing_dates", q.symbolsWithHoles());
            o.put("gaps", q.gaps());
            o.put("moves_over_40pct", q.bigMoves());
            ObjectNode ungrouped = o.putObject("symbols_without_group");
            q.ungrouped().forEach(ungrouped::put);
            ObjectNode ex = o.putObject("examples");
            for (Map.Entry<String, List<String>> e : q.examples().entrySet()) {
                e.getValue().forEach(ex.putArray(e.getKey())::add);
            }
            out.println(Json.line(o));
            return 0;
        }
        out.printf(Locale.ROOT, "%s: %d dates x %d assets, %s .. %s, %s%n", data, p.dateCount(), p.assetCount(),
                p.dateLabel(0), p.dateLabel(p.dateCount() - 1), f.name());
        out.println("fields: " + String.join(", ", p.fieldNames()));
        if (!p.groupNames().isEmpty()) {
            out.println("groups: " + String.join(", ", p.groupNames()));
        }
        out.println("quality: " + q.summary());
        for (Map.Entry<String, List<String>> e : q.examples().entrySet()) {
            out.println("  " + e.getKey() + ", e.g.:");
            e.getValue().forEach(s -> out.println("    " + s));
        }
        return 0;
    }
}
