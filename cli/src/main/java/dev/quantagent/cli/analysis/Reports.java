package dev.quantagent.cli.analysis;

import static dev.quantagent.assistant.Formats.dailyPct;
import static dev.quantagent.assistant.Formats.format;
import static dev.quantagent.assistant.Formats.num;
import static dev.quantagent.assistant.Formats.pct;
import static dev.quantagent.cli.render.Json.add;
import static dev.quantagent.cli.render.Json.put;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.assistant.Backtest;
import dev.quantagent.assistant.Formats;
import dev.quantagent.assistant.Interpretation;
import dev.quantagent.assistant.Market;
import dev.quantagent.assistant.MarketRegimes;
import dev.quantagent.assistant.Metrics;
import dev.quantagent.assistant.Narrative;
import dev.quantagent.assistant.Panels;
import dev.quantagent.assistant.Report;
import dev.quantagent.assistant.Report.CheckItem;
import dev.quantagent.assistant.Report.CostCase;
import dev.quantagent.assistant.Report.Finding;
import dev.quantagent.assistant.Report.Recommendation;
import dev.quantagent.assistant.Report.Severity;
import dev.quantagent.cli.render.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The assistant's reports ({@code analyze}) as markdown (by verbosity) and JSON (always complete, described by
 * {@code report.schema.json} beside this class), one report or several versions compared; and the wording the HTML
 * page ({@link dev.quantagent.cli.html.AnalysisPage}) shares with the markdown.
 */
public final class Reports {

    /** The reports as pretty JSON (always complete, whatever the verbosity), stamped {@code generatedAt}. */
    public static String json(List<Report> reports, Instant generatedAt) {
        return Json.pretty(tree(reports, generatedAt)) + "\n";
    }

    /**
     * The JSON Schema (draft 2020-12) of the JSON report, shipped beside this class: its descriptions are the field
     * reference, and tests hold it to what {@link #json} writes.
     */
    public static String schema() {
        String file = "report.schema.json";
        try (InputStream in = Reports.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metrics a comparison shows, in order. */
    public static final List<String> COMPARED = List.of("total_return", "annual_return", "volatility", "sharpe",
            "sortino", "calmar", "max_drawdown", "win_rate", "profit_factor", "expectancy", "trade_count");

    private Reports() {
    }

    // ---------------------------------------------------------------- markdown

    /** The reports as markdown, as much as {@code v} asks for, stamped {@code generatedAt}. */
    public static String markdown(List<Report> reports, Verbosity v, Instant generatedAt) {
        StringBuilder sb = new StringBuilder();
        if (reports.size() > 1) {
            comparisonMarkdown(reports, sb);
            for (Report r : reports) {
                sb.append('\n');
                markdown(r, v, sb, "##");
            }
        } else {
            markdown(reports.get(0), v, sb, "#");
        }
        List<String> ids = new ArrayList<>();
        for (Report r : reports) {
            ids.add(reportId(r, generatedAt));
        }
        sb.append("\n_Report ").append(String.join(", ", ids)).append(", generated ").append(generatedAt)
                .append("._\n");
        return sb.toString();
    }

    /**
     * A report's id: the strategy (letters, digits, dots, underscores and dashes), the generation time, and 8 hex digits of a hash
     * of what was analysed (curve, trades, costs), so two reports of the same input at the same second share an id
     * and different inputs do not.
     */
    public static String reportId(Report r, Instant generatedAt) {
        Backtest bt = r.backtest();
        int h = java.util.Objects.hash(bt.strategy(), bt.assetClass(), bt.feesBps(), bt.slippageBps(), bt.leverage(),
                java.util.Arrays.hashCode(bt.equityTime()), java.util.Arrays.hashCode(bt.equity()),
                bt.trades().hashCode(), bt.benchmarkTime() == null ? 0 : java.util.Arrays.hashCode(bt.benchmarkPrice()));
        String slug = bt.strategy().replaceAll("[^A-Za-z0-9._]+", "-").replaceAll("^-+|-+$", "");
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(generatedAt);
        return (slug.isEmpty() ? "report" : slug) + "-" + stamp + "-" + String.format(Locale.ROOT, "%08x", h);
    }

    private static void markdown(Report r, Verbosity v, StringBuilder sb, String h) {
        Backtest bt = r.backtest();
        boolean standard = v.compareTo(Verbosity.STANDARD) >= 0;
        boolean detailed = v.compareTo(Verbosity.DETAILED) >= 0;
        boolean expert = v == Verbosity.EXPERT;
        sb.append(h).append(" Backtest analysis: ").append(bt.strategy()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "**Grade %s** (score %.0f/100). %s%n%n", r.grade(), r.score(),
                r.summary()));
        Narrative n = r.narrative();
        if (n != null) {
            sb.append(n.used() ? "> **LLM narrative**, " + narrativeLabel(n) + ":\n>\n> " + n.summary()
                    .replace("\n", "\n> ") : "> **No LLM narrative**: " + n.fallback() + ". The rule-based summary "
                    + "above stands (" + n.model() + ", " + usage(n) + ").").append("\n\n");
        }
        if (standard) {
            sb.append(String.format(Locale.ROOT, "%s, %s to %s, %s periods a year.%n%n",
                    bt.assetClass().name().toLowerCase(Locale.ROOT), Formats.day(bt.periodStart()),
                    Formats.day(bt.periodEnd()), num(r.metrics().periodsPerYear())));
        }
        String hh = h + "#";
        List<Finding> concerns = new ArrayList<>();
        for (Finding f : r.findings()) {
            if (standard || f.severity().compareTo(Severity.MEDIUM) <= 0) {
                concerns.add(f);
            }
        }
        if (!standard && concerns.size() > 3) {
            concerns = concerns.subList(0, 3);
        }
        sb.append(hh).append(" Concerns\n\n");
        if (concerns.isEmpty()) {
            sb.append("None found by the rules.\n");
        }
        for (Finding f : concerns) {
            sb.append("- **").append(f.severity().name().toLowerCase(Locale.ROOT)).append("** ")
                    .append(f.title()).append(": ").append(f.detail()).append(" `").append(f.code()).append("`\n");
        }
        sb.append('\n');
        if (standard) {
            sb.append(hh).append(" Strengths\n\n");
            if (r.strengths().isEmpty()) {
                sb.append("None stand out.\n");
            }
            for (String s : r.strengths()) {
                sb.append("- ").append(s).append('\n');
            }
            sb.append('\n');
            sb.append(hh).append(" Metrics\n\n");
            sb.append(detailed ? "| metric | value | meaning |\n|---|---:|---|\n" : "| metric | value |\n|---|---:|\n");
            for (Map.Entry<String, Double> e : r.metrics().values().entrySet()) {
                Metrics.Def d = Metrics.def(e.getKey());
                sb.append("| ").append(d.label()).append(" | ").append(format(d, e.getValue()));
                sb.append(detailed ? " | " + d.explanation() + " |\n" : " |\n");
            }
            sb.append('\n');
            sb.append(hh).append(" Interpretation\n\n");
            sb.append("- Sharpe band: **").append(r.sharpeBand().label()).append("**: ")
                    .append(r.sharpeBand().meaning()).append(".\n");
            sb.append("- Drawdown band: **").append(r.drawdownBand().label()).append("**: ")
                    .append(r.drawdownBand().meaning()).append("; suits ").append(r.drawdownBand().suitableFor())
                    .append(".\n");
            sb.append("- Trade profile: ").append(r.profile()).append(".\n\n");
            regimesMarkdown(r, hh, sb);
        }
        sb.append(hh).append(" Recommendations\n\n");
        List<Recommendation> recs = r.recommendations();
        if (!standard && recs.size() > 3) {
            recs = recs.subList(0, 3);
        }
        if (recs.isEmpty()) {
            sb.append("Nothing pressing; keep monitoring live results against the backtest.\n");
        }
        for (Recommendation rec : recs) {
            sb.append("- **").append(rec.priority().name().toLowerCase(Locale.ROOT)).append("** (")
                    .append(rec.category().label).append(") ").append(rec.title());
            if (standard) {
                sb.append(": expected impact: ").append(rec.expectedImpact());
            }
            sb.append('\n');
            if (detailed) {
                for (String step : rec.steps()) {
                    sb.append("  1. ").append(step).append('\n');
                }
            }
            String deeper = deepening(r, rec);
            if (!deeper.isEmpty()) {
                sb.append("  - *LLM*: ").append(deeper.replace("\n", " ")).append('\n');
            }
        }
        sb.append('\n');
        if (standard) {
            sb.append(hh).append(" Position sizing\n\n").append(r.sizing().guidance()).append("\n\n");
        }
        if (detailed) {
            sb.append(hh).append(" Risk checklist\n\n| area | item | status | note |\n|---|---|---|---|\n");
            for (CheckItem c : r.checklist()) {
                sb.append("| ").append(c.area()).append(" | ").append(c.item()).append(" | ").append(c.status())
                        .append(" | ").append(c.note()).append(" |\n");
            }
            sb.append('\n');
        }
        if (expert) {
            if (!r.costs().isEmpty()) {
                sb.append(hh).append(" Cost sensitivity\n\n| costs | round trip | mean trade return | profit factor "
                        + "| edge |\n|---|---:|---:|---:|---|\n");
                for (CostCase c : r.costs()) {
                    sb.append(String.format(Locale.ROOT, "| %.0fx | %.3f%% | %.3f%% | %s | %s |%n", c.multiplier(),
                            100 * c.roundTripCost(), 100 * c.meanTradeReturn(), num(c.profitFactor()),
                            c.edgeSurvives() ? "survives" : "gone"));
                }
                sb.append('\n');
            }
            if (r.halves() != null) {
                Report.Halves hv = r.halves();
                sb.append(hh).append(" In sample vs out of sample\n\n| | periods | Sharpe | annual return |\n"
                        + "|---|---:|---:|---:|\n");
                sb.append(String.format(Locale.ROOT, "| in sample | %d | %s | %s |%n| out of sample | %d | %s | %s |%n%n",
                        hv.isPeriods(), num(hv.isSharpe()), pct(hv.isAnnualReturn()), hv.oosPeriods(),
                        num(hv.oosSharpe()), pct(hv.oosAnnualReturn())));
            }
            double[] losses = r.lossesBy().get("weekday_losses");
            double[] trades = r.lossesBy().get("weekday_trades");
            if (bt.origin().tradesGiven()) {
                sb.append(hh).append(" Losing trades by entry weekday\n\n| | Mon | Tue | Wed | Thu | Fri | Sat | Sun |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|\n| losses / trades |");
                for (int i = 0; i < 7; i++) {
                    sb.append(String.format(Locale.ROOT, " %.0f / %.0f |", losses[i], trades[i]));
                }
                sb.append("\n\n");
            }
            sb.append(hh).append(" Thresholds used\n\n");
            sb.append("Sharpe bands (").append(r.backtest().assetClass().name().toLowerCase(Locale.ROOT))
                    .append("): ");
            List<String> parts = new ArrayList<>();
            for (Interpretation.Band b : Interpretation.sharpeTable(r.backtest().assetClass())) {
                parts.add(b.label() + " < " + num(b.upper()));
            }
            sb.append(String.join(", ", parts)).append(". Drawdown bands: ");
            parts.clear();
            for (Interpretation.Band b : Interpretation.drawdownTable(r.backtest().assetClass())) {
                parts.add(b.label() + " < " + pct(b.upper()));
            }
            sb.append(String.join(", ", parts)).append(". Minimum trades: ").append(Interpretation.MIN_TRADES)
                    .append(".\n");
        }
    }

    /** The benchmark comparison and, when there are enough common intervals, the regime table. */
    private static void regimesMarkdown(Report r, String hh, StringBuilder sb) {
        if (r.market() == null) {
            return;
        }
        sb.append(hh).append(" Benchmark and market regimes\n\n").append(benchmarkSentence(r)).append("\n\n");
        if (r.regimes().isEmpty()) {
            return;
        }
        sb.append(regimeDefinition(r)).append("\n\n");
        sb.append("| ").append(String.join(" | ", REGIME_COLUMNS)).append(" |\n|---|---|---:|---:|---:|---:|---:|---:|"
                + "---:|---:|---:|\n");
        for (Report.Regime g : r.regimes()) {
            List<String> cells = regimeCells(g);
            if (g.flagged()) {
                cells.set(1, "**" + cells.get(1) + "** (flagged)");
            }
            sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        sb.append('\n');
    }

    /** The regime table's columns, for markdown and HTML alike. */
    public static final List<String> REGIME_COLUMNS = List.of("group", "regime", "periods", "days", "share of time",
            "strategy a day", "strategy in all", "benchmark a day", "benchmark in all", "share of losses",
            "loss speed");

    public static List<String> regimeCells(Report.Regime g) {
        return new ArrayList<>(List.of(g.group(), g.name(), String.valueOf(g.periods()), String.valueOf(g.days()),
                pct(g.share()), dailyPct(g.strategyDaily()), pct(g.strategyTotal()), dailyPct(g.benchmarkDaily()),
                pct(g.benchmarkTotal()), pct(g.shareOfLosses()),
                g.lossIntensity() != g.lossIntensity() ? "n/a" : Double.isInfinite(g.lossIntensity()) ? "∞"
                        : String.format(Locale.ROOT, "%.2fx", g.lossIntensity())));
    }

    /** Which benchmark, how it lines up with the curve, beta and correlation: one sentence. */
    public static String benchmarkSentence(Report r) {
        Market mk = r.market();
        Backtest bt = r.backtest();
        long[] span = mk.matchedSpan();
        String name = bt.origin().benchmarkFile() != null ? bt.origin().benchmarkFile() : "the document's benchmark";
        return String.format(Locale.ROOT, "Benchmark %s: a price on %d of %d equity points (matched by %s), %s to %s, "
                + "%d common intervals; beta %s, correlation %s.", name, mk.matchedCount(), mk.equityTimes().length,
                mk.byDate() ? "date" : "exact time", mk.byDate() ? Formats.day(span[0]) : Formats.time(span[0]),
                mk.byDate() ? Formats.day(span[1]) : Formats.time(span[1]), mk.intervals(),
                num(r.metrics().beta()), num(r.metrics().correlation()));
    }

    public static String regimeDefinition(Report r) {
        return "Regimes on the calendar's clock: each trading day of the benchmark is bull or bear by the sign of its "
                + "compounded return over the trailing " + r.regimeWindow() + " trading days and high or low "
                + "volatility by the standard deviation of those daily returns against its median; its volatility is "
                + "also ranked against the 25th and 75th percentiles, and its trend strength by Wilder's ADX(14) on "
                + "daily bars (trending above 25, ranging below 20). Each interval of the strategy takes its day's "
                + "regimes, and spans the trading days from the day after its start to its end. Returns are the "
                + "compounded return over the regime's intervals and its geometric mean per trading day ((1 + "
                + "return)^(1 / days) - 1, alike for any bar); share of losses is the regime's part of the "
                + "strategy's negative returns; loss speed is losses per interval there over losses per interval in "
                + "the rest of the time. Flagged: loses money over at least " + MarketRegimes.MIN_DAYS + " trading "
                + "days with a loss speed of at least " + MarketRegimes.LOSS_INTENSITY + "x.";
    }

    private static void comparisonMarkdown(List<Report> reports, StringBuilder sb) {
        List<String> names = new ArrayList<>();
        for (Report r : reports) {
            names.add(r.strategy());
        }
        sb.append("# Comparison: ").append(String.join(" → ", names)).append("\n\n");
        sb.append("| metric | ").append(String.join(" → ", names)).append(" | change |\n|---|---|---|\n");
        sb.append("| Grade | ");
        List<String> cells = new ArrayList<>();
        for (Report r : reports) {
            cells.add(r.grade() + String.format(Locale.ROOT, " (%.0f)", r.score()));
        }
        sb.append(String.join(" → ", cells)).append(" | ")
                .append(gradeChange(reports)).append(" |\n");
        for (String key : COMPARED) {
            Metrics.Def d = Metrics.def(key);
            cells.clear();
            for (Report r : reports) {
                cells.add(format(d, r.metrics().values().get(key)));
            }
            sb.append("| ").append(d.label()).append(" | ").append(String.join(" → ", cells)).append(" | ")
                    .append(change(first(reports, key), last(reports, key), d.better())).append(" |\n");
        }
        sb.append('\n').append(comparisonSummary(reports)).append('\n');
    }

    private static double first(List<Report> reports, String key) {
        return reports.get(0).metrics().values().get(key);
    }

    private static double last(List<Report> reports, String key) {
        return reports.get(reports.size() - 1).metrics().values().get(key);
    }

    /** The grade's change, last against first: by letter (a cap can move it at an equal score), else by score. */
    public static String gradeChange(List<Report> reports) {
        Report a = reports.get(0);
        Report b = reports.get(reports.size() - 1);
        int c = a.grade().compareTo(b.grade()); // "A" < "B": a later letter is worse
        return c != 0 ? (c < 0 ? "worsened" : "improved") : change(a.score(), b.score(), 1);
    }

    /** improved / worsened / unchanged from a to b, for a metric where {@code better} says which way is good. */
    public static String change(double a, double b, int better) {
        if (a != a || b != b) {
            return "n/a";
        }
        if (Math.abs(b - a) <= 1e-9 * Math.max(1, Math.abs(a))) {
            return "unchanged";
        }
        if (better == 0) {
            return b > a ? "higher" : "lower";
        }
        return (b - a) * better > 0 ? "improved" : "worsened";
    }

    /**
     * The comparison in one sentence, last version against the first and named in the title's order: the grade's
     * move with the same word as the table's grade row, the metrics that improved and worsened, and the concerns
     * (finding codes, medium and above) gone and new.
     */
    public static String comparisonSummary(List<Report> reports) {
        Report a = reports.get(0);
        Report b = reports.get(reports.size() - 1);
        List<String> better = new ArrayList<>();
        List<String> worse = new ArrayList<>();
        for (String key : COMPARED) {
            Metrics.Def d = Metrics.def(key);
            double x = first(reports, key);
            double y = last(reports, key);
            String c = change(x, y, d.better());
            String item = d.label().toLowerCase(Locale.ROOT) + " (" + format(d, x) + " → " + format(d, y) + ")";
            if (c.equals("improved")) {
                better.add(item);
            } else if (c.equals("worsened")) {
                worse.add(item);
            }
        }
        List<String> before = concernCodes(a);
        List<String> after = concernCodes(b);
        List<String> gone = new ArrayList<>(before);
        gone.removeAll(after);
        List<String> fresh = new ArrayList<>(after);
        fresh.removeAll(before);
        return String.format(Locale.ROOT, "%s → %s: grade %s (%.0f) → %s (%.0f), %s; metrics improved: %s; worsened: "
                        + "%s; concerns gone: %s; new: %s.", a.strategy(), b.strategy(), a.grade(), a.score(),
                b.grade(), b.score(), gradeChange(reports), better.isEmpty() ? "none" : String.join(", ", better),
                worse.isEmpty() ? "none" : String.join(", ", worse), gone.isEmpty() ? "none" : String.join(", ", gone),
                fresh.isEmpty() ? "none" : String.join(", ", fresh));
    }

    private static List<String> concernCodes(Report r) {
        List<String> codes = new ArrayList<>();
        for (Finding f : r.findings()) {
            if (f.severity().compareTo(Severity.MEDIUM) <= 0 && !codes.contains(f.code())) {
                codes.add(f.code());
            }
        }
        return codes;
    }

    /** Who wrote the narrative and what it cost, for its label. */
    public static String narrativeLabel(Narrative n) {
        return "written by " + n.model() + ", every number checked against the computed figures; " + usage(n);
    }

    public static String usage(Narrative n) {
        return String.format(Locale.ROOT, "%,d tokens, $%.4f", n.tokens(), n.cost());
    }

    /** The narrative's deepening of a recommendation, or "". */
    public static String deepening(Report r, Recommendation rec) {
        Narrative n = r.narrative();
        if (n == null || !n.used()) {
            return "";
        }
        int i = r.recommendations().indexOf(rec);
        return i < 0 || i >= n.deepenings().size() ? "" : n.deepenings().get(i);
    }

    // ---------------------------------------------------------------- JSON

    /**
     * One report's object, or for several {@code {"comparison": {...}, "reports": [...]}}. Both shapes are documented
     * in {@code report.schema.json} beside this class, whose objects admit no other field: a field added here must be
     * described there too, or {@code AnalyzeCliTest}'s schema checks fail.
     */
    static ObjectNode tree(List<Report> reports, Instant generatedAt) {
        if (reports.size() == 1) {
            return tree(reports.get(0), generatedAt);
        }
        ObjectNode o = Json.object();
        ObjectNode c = o.putObject("comparison");
        ArrayNode order = c.putArray("order");
        for (Report r : reports) {
            order.add(r.strategy());
        }
        ArrayNode grades = c.putArray("grades");
        for (Report r : reports) {
            grades.add(r.grade());
        }
        ArrayNode ms = c.putArray("metrics");
        for (String key : COMPARED) {
            ObjectNode m = ms.addObject();
            m.put("name", key);
            ArrayNode vals = m.putArray("values");
            for (Report r : reports) {
                add(vals, r.metrics().values().get(key));
            }
            m.put("change", change(first(reports, key), last(reports, key), Metrics.def(key).better()));
        }
        c.put("summary", comparisonSummary(reports));
        ArrayNode rs = o.putArray("reports");
        for (Report r : reports) {
            rs.add(tree(r, generatedAt));
        }
        return o;
    }

    static ObjectNode tree(Report r, Instant generatedAt) {
        Backtest bt = r.backtest();
        ObjectNode o = Json.object();
        o.put("report_id", reportId(r, generatedAt));
        o.put("generated_at", generatedAt.toString());
        o.put("strategy", bt.strategy());
        o.put("type", bt.type());
        o.put("asset_class", bt.assetClass().name().toLowerCase(Locale.ROOT));
        ObjectNode period = o.putObject("period");
        period.put("start", Formats.day(bt.periodStart()));
        period.put("end", Formats.day(bt.periodEnd()));
        o.put("annualization", r.metrics().periodsPerYear());
        o.put("summary", r.summary());
        o.put("grade", r.grade());
        o.put("score", Math.round(r.score() * 10) / 10.0);
        ObjectNode metrics = o.putObject("metrics");
        for (Map.Entry<String, Double> e : r.metrics().values().entrySet()) {
            ObjectNode m = metrics.putObject(e.getKey());
            put(m, "value", e.getValue());
            m.put("explanation", Metrics.def(e.getKey()).explanation());
        }
        ObjectNode interp = o.putObject("interpretation");
        interp.put("sharpe_band", r.sharpeBand().label());
        interp.put("drawdown_band", r.drawdownBand().label());
        interp.put("drawdown_suits", r.drawdownBand().suitableFor());
        interp.put("profile", r.profile());
        ArrayNode findings = o.putArray("findings");
        for (Finding f : r.findings()) {
            ObjectNode x = findings.addObject();
            x.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
            x.put("code", f.code());
            x.put("title", f.title());
            x.put("detail", f.detail());
        }
        ArrayNode strengths = o.putArray("strengths");
        r.strengths().forEach(strengths::add);
        ArrayNode concerns = o.putArray("concerns");
        for (Finding f : r.findings()) {
            if (f.severity().compareTo(Severity.MEDIUM) <= 0) {
                concerns.add(f.title() + ": " + f.detail());
            }
        }
        ArrayNode recs = o.putArray("recommendations");
        for (Recommendation rec : r.recommendations()) {
            ObjectNode x = recs.addObject();
            x.put("priority", rec.priority().name().toLowerCase(Locale.ROOT));
            x.put("category", rec.category().label);
            x.put("title", rec.title());
            x.put("expected_impact", rec.expectedImpact());
            ArrayNode steps = x.putArray("steps");
            rec.steps().forEach(steps::add);
        }
        ArrayNode checklist = o.putArray("risk_checklist");
        for (CheckItem c : r.checklist()) {
            ObjectNode x = checklist.addObject();
            x.put("area", c.area());
            x.put("item", c.item());
            x.put("status", c.status());
            x.put("note", c.note());
        }
        ObjectNode sizing = o.putObject("position_sizing");
        sizing.put("tier", r.sizing().tier());
        range(sizing.putArray("max_position"), r.sizing().maxPosition());
        range(sizing.putArray("portfolio_risk"), r.sizing().portfolioRisk());
        range(sizing.putArray("leverage"), r.sizing().leverage());
        sizing.put("guidance", r.sizing().guidance());
        ArrayNode reasons = sizing.putArray("reasons");
        r.sizing().reasons().forEach(reasons::add);
        ArrayNode costs = o.putArray("cost_sensitivity");
        for (CostCase c : r.costs()) {
            ObjectNode x = costs.addObject();
            x.put("multiplier", c.multiplier());
            put(x, "round_trip_cost", c.roundTripCost());
            put(x, "mean_trade_return", c.meanTradeReturn());
            put(x, "profit_factor", c.profitFactor());
            x.put("edge_survives", c.edgeSurvives());
        }
        put(o, "breakeven_round_trip_cost", r.breakevenCost());
        Backtest.Extras extras = r.backtest().extras();
        ObjectNode fees = o.putObject("execution");
        put(fees, "fees_bps", bt.feesBps());
        put(fees, "slippage_bps", bt.slippageBps());
        put(fees, "maker_fee_bps", extras.makerFeeBps());
        put(fees, "taker_fee_bps", extras.takerFeeBps());
        put(fees, "maker_share", extras.makerShare());
        put(fees, "adv", extras.adv());
        if (r.funding() != null) {
            ObjectNode f = o.putObject("funding");
            f.put("source", extras.fundingRates().source());
            f.put("charged_trades", r.funding().charged());
            f.put("unmatched_trades", r.funding().unmatched());
            f.put("settlements", r.funding().settlements());
            put(f, "charged", r.funding().total());
            put(f, "stated", bt.funding());
            put(f, "monthly_rate", r.metrics().fundingMonthly());
        } else {
            o.putNull("funding");
        }
        ArrayNode stated = o.putArray("stated_regime_performance");
        extras.statedRegimes().forEach((k, v) -> put(stated.addObject().put("regime", k), "return", v));
        if (r.market() != null) {
            Market mk = r.market();
            ObjectNode b = o.putObject("benchmark");
            b.put("source", r.backtest().origin().benchmarkFile());
            b.put("matched_by", mk.byDate() ? "date" : "time");
            b.put("equity_points", mk.equityTimes().length);
            b.put("matched_points", mk.matchedCount());
            b.put("intervals", mk.intervals());
            b.put("first", Formats.time(mk.matchedSpan()[0]));
            b.put("last", Formats.time(mk.matchedSpan()[1]));
        } else {
            o.putNull("benchmark");
        }
        if (!r.regimes().isEmpty()) {
            ObjectNode g = o.putObject("regimes");
            g.put("window_days", r.regimeWindow());
            if (r.problem() != null) {
                g.put("problem", r.problem().name());
            } else {
                g.putNull("problem");
            }
            ArrayNode rows = g.putArray("rows");
            for (Report.Regime x : r.regimes()) {
                ObjectNode row = rows.addObject();
                row.put("group", x.group());
                row.put("regime", x.name());
                row.put("periods", x.periods());
                row.put("days", x.days());
                put(row, "share", x.share());
                put(row, "strategy_daily_return", x.strategyDaily());
                put(row, "strategy_total_return", x.strategyTotal());
                put(row, "benchmark_daily_return", x.benchmarkDaily());
                put(row, "benchmark_total_return", x.benchmarkTotal());
                put(row, "mean_period_return", x.meanReturn());
                put(row, "share_of_losses", x.shareOfLosses());
                put(row, "loss_speed", x.lossIntensity());
                row.put("flagged", x.flagged());
            }
        } else {
            o.putNull("regimes");
        }
        o.set("figures", figuresJson(r));
        if (r.narrative() != null) {
            o.set("narrative", narrativeJson(r));
        }
        if (r.halves() != null) {
            ObjectNode h = o.putObject("in_sample_vs_out_of_sample");
            put(h, "in_sample_sharpe", r.halves().isSharpe());
            put(h, "out_of_sample_sharpe", r.halves().oosSharpe());
            put(h, "in_sample_annual_return", r.halves().isAnnualReturn());
            put(h, "out_of_sample_annual_return", r.halves().oosAnnualReturn());
        } else {
            o.putNull("in_sample_vs_out_of_sample");
        }
        return o;
    }

    /** At most this many points of each rolling series go into the JSON report (evenly spaced, the last kept). */
    static final int MAX_POINTS = 500;

    /** The quantstats-style figures: rolling series (thinned to {@value #MAX_POINTS}), worst drawdowns, months. */
    private static ObjectNode figuresJson(Report r) {
        Panels p = r.panels();
        ObjectNode o = Json.object();
        if (r.backtest().inSampleEnd() != null) {
            o.put("in_sample_end", Formats.time(r.backtest().inSampleEnd()));
        } else {
            o.putNull("in_sample_end");
        }
        ObjectNode roll = o.putObject("rolling");
        roll.put("window_days", p.windowDays());
        roll.put("window_periods", p.window());
        series(roll.putArray("sharpe"), p.rollTime(), p.rollSharpe());
        series(roll.putArray("volatility"), p.rollTime(), p.rollVol());
        if (p.betaTime().length > 0) {
            series(roll.putArray("beta"), p.betaTime(), p.rollBeta());
        } else {
            roll.putNull("beta");
        }
        ArrayNode dds = o.putArray("worst_drawdowns");
        for (Panels.Drawdown d : p.drawdowns()) {
            ObjectNode x = dds.addObject();
            x.put("start", Formats.time(d.start()));
            x.put("valley", Formats.time(d.valley()));
            x.put("end", Formats.time(d.end()));
            if (d.recovery() >= 0) {
                x.put("recovery", Formats.time(d.recovery()));
            } else {
                x.putNull("recovery");
            }
            put(x, "depth", d.depth());
            x.put("days", d.days());
        }
        ArrayNode months = o.putArray("monthly_returns");
        for (Panels.Month m : p.months()) {
            put(months.addObject().put("month", String.format(Locale.ROOT, "%04d-%02d", m.year(), m.month())),
                    "return", m.ret());
        }
        return o;
    }

    private static void series(ArrayNode out, long[] time, double[] v) {
        int step = Math.max(1, (int) Math.ceil(v.length / (double) MAX_POINTS));
        for (int i = 0; i < v.length; i++) {
            if (i % step == 0 || i == v.length - 1) {
                ObjectNode x = out.addObject().put("time", Formats.time(time[i]));
                put(x, "value", v[i]);
            }
        }
    }

    private static void range(ArrayNode a, double[] lowHigh) {
        add(a, lowHigh[0]);
        add(a, lowHigh[1]);
    }

    private static ObjectNode narrativeJson(Report r) {
        Narrative n = r.narrative();
        ObjectNode o = Json.object();
        o.put("source", "llm");
        o.put("model", n.model());
        o.put("used", n.used());
        o.put("summary", n.summary());
        ArrayNode recs = o.putArray("recommendations");
        for (int i = 0; i < n.deepenings().size() && i < r.recommendations().size(); i++) {
            if (!n.deepenings().get(i).isEmpty()) {
                recs.addObject().put("title", r.recommendations().get(i).title())
                        .put("deepening", n.deepenings().get(i));
            }
        }
        o.put("fallback", n.fallback());
        ArrayNode rejected = o.putArray("rejected");
        n.rejected().forEach(rejected::add);
        o.put("replies", n.replies());
        o.put("prompt_tokens", n.promptTokens());
        o.put("completion_tokens", n.completionTokens());
        put(o, "cost", n.cost());
        return o;
    }
}
