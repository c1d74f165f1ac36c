package dev.quantagent.cli;

import dev.quantagent.agents.LlmSettings;
import dev.quantagent.agents.LlmWriter;
import dev.quantagent.agents.analysis.Analysis;
import dev.quantagent.agents.analysis.Backtest;
import dev.quantagent.agents.analysis.BacktestFormatException;
import dev.quantagent.agents.analysis.Narrator;
import dev.quantagent.agents.analysis.Verbosity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "analyze", description = "Analyse one or more backtests (JSON): recomputed metrics, pitfalls, grade "
        + "A-F, recommendations and risk checklist; several inputs are compared side by side in order. When an LLM "
        + "is configured (an API key, or --base-url / --model), it adds a narrative whose numbers are checked "
        + "against the computed figures.")
final class AnalyzeCommand implements Callable<Integer> {

    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "Backtest JSON files (schema: README).")
    private List<Path> inputs;

    @Option(names = "--benchmark", paramLabel = "FILE",
            description = "Benchmark prices ([{time, price}]) for every input, replacing their own.")
    private Path benchmark;

    @Option(names = "--format", defaultValue = "md", paramLabel = "md|json|html",
            description = "Output format (md); html is one self-contained page with charts.")
    private String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report here instead of stdout.")
    private Path out;

    @Option(names = "--verbosity", defaultValue = "standard", paramLabel = "LEVEL",
            description = "brief, standard (default), detailed or expert.")
    private String verbosity;

    @Option(names = "--risk-free", defaultValue = "0.0", paramLabel = "R",
            description = "Annual risk-free rate for Sharpe and Sortino (0.0).")
    private double riskFree;

    @Option(names = "--annualization", paramLabel = "N",
            description = "Periods per year (default: inferred; 252 weekday daily, 365 daily crypto, 8760 hourly).")
    private Double annualization;

    @Mixin
    private LlmOptions llm;

    @Option(names = "--no-llm", description = "Rules only, even when an LLM is configured.")
    private boolean noLlm;

    /** @param env where the LLM settings fall back to ({@code OPENAI_API_KEY} ...) */
    AnalyzeCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        Analysis.Format fmt = enumOption(Analysis.Format.class, format, "--format", "md, json, html");
        Verbosity v = enumOption(Verbosity.class, verbosity, "--verbosity", "brief, standard, detailed, expert");
        Analysis.Options options;
        try {
            options = new Analysis.Options(riskFree, annualization, v, fmt);
        } catch (IllegalArgumentException e) {
            throw new QuantAgentCli.UserError(e.getMessage());
        }
        try {
            Object[] bench = benchmark == null ? null : Backtest.parseBenchmark(read(benchmark), benchmark.toString());
            List<Backtest> backtests = new ArrayList<>();
            for (Path p : inputs) {
                Backtest bt = Backtest.parse(read(p), p.toString());
                backtests.add(bench == null ? bt : bt.withBenchmark((long[]) bench[0], (double[]) bench[1]));
            }
            Narrator narrator = null;
            if (!noLlm && llm.configured(env)) {
                LlmSettings settings = llm.settings(env);
                narrator = new Narrator(LlmWriter.openAi(settings), settings, d -> Thread.sleep(d.toMillis()));
            }
            String report = Analysis.render(backtests, options, narrator);
            if (narrator != null) {
                spec.commandLine().getErr().printf(Locale.ROOT, "LLM narrative: %s, %,d tokens ($%.4f)%n",
                        narrator.model(), narrator.promptTokens() + narrator.completionTokens(), narrator.cost());
            }
            if (out != null) {
                Files.writeString(out, report, StandardCharsets.UTF_8);
                spec.commandLine().getErr().println("wrote " + out);
            } else {
                spec.commandLine().getOut().print(report);
            }
        } catch (BacktestFormatException e) {
            throw new QuantAgentCli.UserError(e.getMessage());
        }
        return 0;
    }

    private static String read(Path p) throws IOException {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new QuantAgentCli.UserError(p + ": no such file");
        }
    }

    private static <E extends Enum<E>> E enumOption(Class<E> type, String value, String option, String allowed) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new QuantAgentCli.UserError(option + ": expected one of " + allowed + ", got \"" + value + "\"");
        }
    }
}
