package dev.quantagent.cli.analysis;

import static dev.quantagent.cli.analysis.Fixture.noisy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quantagent.assistant.Analysis;
import dev.quantagent.assistant.Backtest;
import dev.quantagent.assistant.Metrics;
import dev.quantagent.assistant.Report;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The assistant's reports as markdown and JSON: keys, comparisons, verbosity. */
class AnalysisRenderingTest {

    @Test
    void jsonOutputParsesAndHasTheDocumentedKeys() throws Exception {
        Fixture f = new Fixture("json", "equity", false, noisy(250, 0.0008, 0.01, 12)).trades(40);
        String out = render(List.of(f.backtest()), true, Verbosity.BRIEF);
        JsonNode j = new ObjectMapper().readTree(out);
        for (String key : List.of("strategy", "type", "asset_class", "period", "annualization", "summary", "grade",
                "score", "metrics", "interpretation", "findings", "strengths", "concerns", "recommendations",
                "risk_checklist", "position_sizing", "cost_sensitivity", "in_sample_vs_out_of_sample")) {
            assertTrue(j.has(key), "missing " + key + " in " + j);
        }
        for (Metrics.Def d : Metrics.DEFS) {
            assertTrue(j.get("metrics").has(d.key()), d.key());
            assertFalse(j.get("metrics").get(d.key()).get("explanation").asText().isEmpty());
        }
        assertTrue(j.get("metrics").get("beta").get("value").isNull(), "no benchmark: beta is null");
        assertEquals(3, j.get("cost_sensitivity").size());
        assertTrue(Arrays.asList("A", "B", "C", "D", "F").contains(j.get("grade").asText()));
    }

    @Test
    void comparingTwoVersionsSaysWhichImproved() throws Exception {
        Backtest v10 = new Fixture("v1.0", "equity", false, noisy(250, 0.0002, 0.012, 14)).trades(40).backtest();
        Backtest v11 = new Fixture("v1.1", "equity", false, noisy(250, 0.0012, 0.008, 14)).trades(40).backtest();
        String md = render(List.of(v10, v11), false, Verbosity.BRIEF);
        assertTrue(md.contains("# Comparison: v1.0 → v1.1"), md);
        String summary = md.lines().filter(l -> l.startsWith("v1.0 → v1.1: ")).findFirst().orElseThrow();
        String improved = summary.substring(summary.indexOf("metrics improved:"), summary.indexOf("worsened:"));
        assertTrue(improved.contains("sharpe ratio"), summary);
        assertTrue(improved.contains("volatility"), summary);
        JsonNode j = new ObjectMapper().readTree(render(List.of(v10, v11), true, Verbosity.BRIEF));
        assertEquals(2, j.get("reports").size());
        for (JsonNode m : j.get("comparison").get("metrics")) {
            if (m.get("name").asText().equals("sharpe")) {
                assertEquals("improved", m.get("change").asText());
            }
        }
    }

    @Test
    void theComparisonsGradeRowAndSentenceAgreeWhenOnlyTheFindingsChange() {
        // the same curve and trades; the second states its costs, so its score rises with no metric changed
        Fixture f = new Fixture("v1.0", "equity", false, noisy(250, 0.0008, 0.01, 12)).trades(40);
        f.doc.remove("fees_bps");
        f.doc.remove("slippage_bps");
        Backtest before = f.backtest();
        Backtest after = f.set("strategy", "v1.1").set("fees_bps", 1.0).set("slippage_bps", 1.0).backtest();
        List<Report> reports = List.of(analyze(before), analyze(after));
        assertTrue(reports.get(1).score() > reports.get(0).score());
        assertEquals("improved", Reports.gradeChange(reports));
        String sentence = Reports.comparisonSummary(reports);
        assertTrue(sentence.startsWith(String.format(java.util.Locale.ROOT, "v1.0 → v1.1: grade %s (%.0f) → %s "
                + "(%.0f), improved; metrics improved: none; worsened: none; concerns gone: costs_not_stated",
                reports.get(0).grade(), reports.get(0).score(), reports.get(1).grade(), reports.get(1).score())),
                sentence);
    }

    @Test
    void verbosityControlsHowMuchMarkdownIsPrinted() {
        Backtest bt = new Fixture("v", "crypto", true, noisy(200, 0.001, 0.02, 15)).trades(12).backtest();
        String brief = render(bt, Verbosity.BRIEF);
        String standard = render(bt, Verbosity.STANDARD);
        String detailed = render(bt, Verbosity.DETAILED);
        String expert = render(bt, Verbosity.EXPERT);
        assertFalse(brief.contains("## Metrics"));
        assertTrue(standard.contains("## Metrics") && standard.contains("## Position sizing"));
        assertFalse(standard.contains("## Risk checklist"));
        assertTrue(detailed.contains("## Risk checklist") && detailed.contains("| crypto |"));
        assertTrue(expert.contains("## Thresholds used") && expert.contains("## Cost sensitivity"));
        assertTrue(brief.length() < standard.length() && standard.length() < detailed.length()
                && detailed.length() < expert.length());
    }

    private static String render(List<Backtest> backtests, boolean json, Verbosity v) {
        List<Report> reports = Analysis.analyze(backtests, new Analysis.Options(0, null), null);
        return json ? Reports.json(reports, Instant.EPOCH) : Reports.markdown(reports, v, Instant.EPOCH);
    }

    private static String render(Backtest bt, Verbosity v) {
        return render(List.of(bt), false, v);
    }

    private static Report analyze(Backtest bt) {
        return Analysis.analyze(List.of(bt), new Analysis.Options(0, null), null).get(0);
    }
}
