package dev.quantagent.agents.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the backtest assistant: analyses one or more {@link Backtest}s with rules only and renders the
 * reports. Several backtests are compared side by side in the given order (v1.0 → v1.1 → v1.2).
 */
public final class Analysis {

    /** Output formats; HTML is one self-contained page with Chart.js charts. */
    public enum Format { MD, JSON, HTML }

    /**
     * The JSON Schemas (draft 2020-12) of the input document ({@link Backtest}) and of the JSON report
     * ({@code Reports}), shipped beside these classes. Their descriptions are the field reference; tests hold them to
     * what the parser accepts and what the report writes.
     */
    public enum Schema {
        INPUT("backtest.schema.json"), REPORT("report.schema.json");

        private final String file;

        Schema(String file) {
            this.file = file;
        }

        /** The schema document, as shipped. */
        public String text() {
            try (InputStream in = Analysis.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException(file + " is not on the classpath");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * @param riskFree      annual risk-free rate for Sharpe and Sortino (0.0 by default)
     * @param annualization periods per year, or null to infer from the equity curve
     * @param verbosity     how much markdown to print; JSON and HTML are always complete
     * @param regimeWindow  trailing trading days that classify the market regimes (20 by default)
     */
    public record Options(double riskFree, Double annualization, Verbosity verbosity, Format format,
                          int regimeWindow) {
        public Options {
            if (regimeWindow < 2 || regimeWindow > 1000) {
                throw new IllegalArgumentException("--regime-window: the regime window is in trading days, 2 to "
                        + "1000, got " + regimeWindow);
            }
            if (annualization != null && !(annualization > 0 && !annualization.isInfinite())) {
                throw new IllegalArgumentException("annualization must be positive, got " + annualization);
            }
            if (!(Math.abs(riskFree) < 1)) {
                throw new IllegalArgumentException("risk-free rate is an annual fraction (0.04 for 4%), got "
                        + riskFree);
            }
        }

        /** The default regime window, 20 trading days. */
        public Options(double riskFree, Double annualization, Verbosity verbosity, Format format) {
            this(riskFree, annualization, verbosity, format, MarketRegimes.WINDOW_DAYS);
        }
    }

    private Analysis() {
    }

    /** Analyses the backtests and returns the rendered report (markdown, pretty JSON or an HTML page). */
    public static String render(List<Backtest> backtests, Options options) {
        return render(backtests, options, null);
    }

    /**
     * As {@link #render(List, Options)}, each report with an LLM narrative when {@code narrator} is not null: the
     * rule-based report is computed first and stays complete; the narrative is added, labelled, or its absence
     * explained.
     */
    public static String render(List<Backtest> backtests, Options options, Narrator narrator) {
        return render(backtests, options, narrator, Clock.systemUTC());
    }

    /** As {@link #render(List, Options, Narrator)}, the reports stamped with {@code clock}'s time. */
    public static String render(List<Backtest> backtests, Options options, Narrator narrator, Clock clock) {
        Instant generatedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (backtests.isEmpty()) {
            throw new IllegalArgumentException("no backtest to analyse");
        }
        List<Report> reports = new ArrayList<>();
        for (Backtest bt : backtests) {
            Report r = Analyzer.analyze(bt, options);
            reports.add(narrator == null ? r : r.withNarrative(narrator.narrate(r)));
        }
        if (options.format() == Format.JSON) {
            try {
                return Reports.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Reports.json(reports,
                        generatedAt))
                        + "\n";
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        if (options.format() == Format.HTML) {
            return Html.html(reports, generatedAt);
        }
        return Reports.markdown(reports, options.verbosity(), generatedAt);
    }
}
