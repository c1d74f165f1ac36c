package dev.quantagent.cli;

import dev.quantagent.assistant.Analysis;
import dev.quantagent.assistant.Backtest;
import dev.quantagent.assistant.BacktestCsv;
import dev.quantagent.assistant.BacktestFormatException;
import dev.quantagent.assistant.Narrator;
import dev.quantagent.assistant.Report;
import dev.quantagent.cli.analysis.Reports;
import dev.quantagent.cli.analysis.Verbosity;
import dev.quantagent.cli.html.AnalysisPage;
import dev.quantagent.evaluator.data.DataException;
import dev.quantagent.llm.LlmChat;
import dev.quantagent.llm.LlmSettings;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "analyze", description = "Analyse one or more backtests (JSON documents, or trades and equity-curve "
        + "CSV files): recomputed metrics, pitfalls, market regimes, grade A-F, recommendations and risk checklist; "
        + "several backtests are compared side by side in order (the JSON files, then the CSV backtests). When an "
        + "LLM is configured (an API key, or --base-url / --model), it adds a narrative whose numbers are checked "
        + "against the computed figures.")
final class AnalyzeCommand implements Callable<Integer> {

    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "INPUT", arity = "0..*", description = "Backtest JSON files (schema: --schema input).")
    private List<Path> inputs = new ArrayList<>();

    @ArgGroup(exclusive = false, multiplicity = "0..*", heading = "%nA backtest from CSV files (these options "
            + "describe one backtest; an option given again, such as a second --trades, starts the next):%n")
    private List<CsvBacktest> csvBacktests = new ArrayList<>();

    @Option(names = "--benchmark", paramLabel = "FILE",
            description = "Benchmark prices for every backtest, replacing their own: CSV (time + close/price), the "
                    + "long CSV of --data (with --benchmark-symbol), or JSON [{time, price}].")
    private Path benchmark;

    @Option(names = "--funding-rates", paramLabel = "FILE",
            description = "Funding rates to charge every backtest's trades with: CSV of funding_time, symbol, "
                    + "funding_rate per settlement (Binance's or Bybit's history).")
    private Path fundingRates;

    @Option(names = "--benchmark-symbol", paramLabel = "SYMBOL",
            description = "The symbol to take from a long (multi-symbol) --benchmark CSV.")
    private String benchmarkSymbol;

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

    @Option(names = "--regime-window", defaultValue = "20", paramLabel = "DAYS",
            description = "Trailing trading days that classify the market regimes, whatever the bar (20).")
    private int regimeWindow;

    @Mixin
    private LlmOptions llm;

    @Option(names = "--no-llm", description = "Rules only, even when an LLM is configured.")
    private boolean noLlm;

    @Option(names = "--schema", paramLabel = "input|report",
            description = "Print the JSON Schema (draft 2020-12) of the input document or of the --format json report "
                    + "(to --out if given) and exit.")
    private String schema;

    /** @param env where the LLM settings fall back to ({@code OPENAI_API_KEY} ...) */
    AnalyzeCommand(Map<String, String> env) {
        this.env = env;
    }

    /** One backtest given as CSV files, with what a JSON document would state about it. */
    static final class CsvBacktest {
        @Option(names = "--trades", paramLabel = "FILE", description = "Trades CSV, one row per round trip.")
        Path trades;

        @Option(names = "--equity", paramLabel = "FILE", description = "Equity-curve CSV (time, equity[, benchmark]).")
        Path equity;

        @Option(names = "--strategy", paramLabel = "NAME",
                description = "Strategy id in the report (default: from the file names).")
        String strategy;

        @Option(names = "--type", paramLabel = "TEXT",
                description = "Strategy type, free text; 'perpetual' or 'swap' in it means funding is expected.")
        String type;

        @Option(names = "--asset-class", paramLabel = "CLASS",
                description = "Required: equity, crypto, forex, futures or options.")
        String assetClass;

        @Option(names = "--capital", paramLabel = "X",
                description = "Starting capital, to build the equity curve from the trades when no --equity is given.")
        Double capital;

        @Option(names = "--leverage", paramLabel = "X", description = "Leverage (1).")
        Double leverage;

        @Option(names = "--fees-bps", paramLabel = "N", description = "Fees per side in basis points.")
        Double feesBps;

        @Option(names = "--slippage-bps", paramLabel = "N", description = "Slippage per side in basis points.")
        Double slippageBps;

        @Option(names = "--maker-fee-bps", paramLabel = "N",
                description = "Maker fee per side (instead of --fees-bps, with --taker-fee-bps and --maker-share).")
        Double makerFeeBps;

        @Option(names = "--taker-fee-bps", paramLabel = "N", description = "Taker fee per side.")
        Double takerFeeBps;

        @Option(names = "--maker-share", paramLabel = "S",
                description = "Share of fills as maker, 0 to 1 (0 with a taker fee).")
        Double makerShare;

        @Option(names = "--parameters", paramLabel = "N", description = "How many parameters were tuned.")
        Integer parameters;

        @Option(names = "--trials", paramLabel = "N", description = "How many variants were tried (data snooping).")
        Integer trials;

        @Option(names = "--adv", paramLabel = "X",
                description = "The instrument's average daily traded value, for the liquidity check.")
        Double adv;

        @Option(names = "--funding", paramLabel = "X",
                description = "Total funding paid (default: the sum of the trades' funding column).")
        Double funding;

        @Option(names = "--in-sample-end", paramLabel = "TIME",
                description = "Last time of the in-sample part: enables the overfitting check.")
        String inSampleEnd;

        @Option(names = "--period", paramLabel = "FROM..TO",
                description = "The backtest's stated period (default: the data's first to last time).")
        String period;

        @Option(names = "--universe-fixed", description = "The symbols were picked with hindsight (survivorship).")
        boolean universeFixed;
    }

    /** The documents {@code --schema} prints. */
    private enum SchemaName { INPUT, REPORT }

    /** Markdown, JSON, or one self-contained HTML page with charts. */
    private enum Format { MD, JSON, HTML }

    @Override
    public Integer call() {
        if (schema != null) {
            // before the input checks: the schema is what a user reads before having a backtest to give
            boolean input = enumOption(SchemaName.class, schema, "--schema", "input, report") == SchemaName.INPUT;
            Output.write(spec, out, input ? Analysis.inputSchema() : Reports.schema());
            return 0;
        }
        Format fmt = enumOption(Format.class, format, "--format", "md, json, html");
        Verbosity v = enumOption(Verbosity.class, verbosity, "--verbosity", "brief, standard, detailed, expert");
        Analysis.Options options;
        try {
            options = new Analysis.Options(riskFree, annualization, regimeWindow);
        } catch (IllegalArgumentException e) {
            throw new QuantAgentCli.UserError(e.getMessage());
        }
        if (inputs.isEmpty() && csvBacktests.isEmpty()) {
            throw new QuantAgentCli.UserError("no backtest given: a JSON file, or --trades FILE and/or --equity FILE");
        }
        if (benchmarkSymbol != null && benchmark == null) {
            throw new QuantAgentCli.UserError("--benchmark-symbol needs --benchmark FILE");
        }
        try {
            Backtest.Series bench = benchmark == null ? null : benchmark();
            List<Backtest> backtests = new ArrayList<>();
            for (Path p : inputs) {
                String text = read(p);
                if (!looksLikeJson(text)) {
                    throw new QuantAgentCli.UserError(p + ": not a JSON document; a CSV file goes after --trades or "
                            + "--equity");
                }
                backtests.add(Backtest.parse(text, p.toString()));
            }
            for (int i = 0; i < csvBacktests.size(); i++) {
                backtests.add(csv(csvBacktests.get(i), i + 1));
            }
            if (bench != null) {
                backtests.replaceAll(bt -> bt.withBenchmark(bench));
            }
            if (fundingRates != null) {
                Backtest.FundingRates rates = BacktestCsv.fundingRates(read(fundingRates), fundingRates.toString());
                backtests.replaceAll(bt -> bt.withFundingRates(rates));
            }
            Narrator narrator = !noLlm && llm.configured(env) ? narrator(backtests.size()) : null;
            Instant generatedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<Report> reports = Analysis.analyze(backtests, options, narrator);
            String report = switch (fmt) {
                case MD -> Reports.markdown(reports, v, generatedAt);
                case JSON -> Reports.json(reports, generatedAt);
                case HTML -> AnalysisPage.html(reports, generatedAt);
            };
            if (narrator != null) {
                spec.commandLine().getErr().printf(Locale.ROOT, "LLM narrative: %s, %,d tokens ($%.4f)%n",
                        narrator.model(), narrator.promptTokens() + narrator.completionTokens(), narrator.cost());
            }
            Output.write(spec, out, report);
        } catch (BacktestFormatException e) {
            throw new QuantAgentCli.UserError(e.getMessage());
        }
        return 0;
    }

    /** The configured LLM's narrator, saying on standard error as each of the {@code count} narratives starts. */
    private Narrator narrator(int count) {
        LlmSettings settings = llm.settings(env);
        PrintWriter err = spec.commandLine().getErr();
        int[] started = {0};
        return new Narrator(LlmChat.openAi(settings), settings, d -> Thread.sleep(d.toMillis()))
                .onStart(strategy -> {
                    err.printf(Locale.ROOT, "LLM narrative %d/%d: %s (%s)...%n", ++started[0], count, strategy,
                            settings.model());
                    err.flush();
                });
    }

    private Backtest.Series benchmark() {
        String text = read(benchmark);
        if (looksLikeJson(text)) {
            if (benchmarkSymbol != null) {
                throw new QuantAgentCli.UserError("--benchmark-symbol applies to a long CSV benchmark, " + benchmark
                        + " is JSON");
            }
            return Backtest.parseBenchmark(text, benchmark.toString());
        }
        return BacktestCsv.benchmark(text, benchmark.toString(), benchmarkSymbol);
    }

    /** The n-th CSV backtest, its options checked with messages that name them. */
    private static Backtest csv(CsvBacktest c, int n) {
        String which = "CSV backtest " + n;
        if (c.trades == null && c.equity == null) {
            throw new QuantAgentCli.UserError(which + ": give --trades FILE and/or --equity FILE");
        }
        which += " (" + (c.trades != null ? c.trades : c.equity) + ")";
        if (c.assetClass == null) {
            throw new QuantAgentCli.UserError(which + ": --asset-class is required (equity, crypto, forex, futures "
                    + "or options): the interpretation's bars depend on it");
        }
        Backtest.AssetClass ac = enumOption(Backtest.AssetClass.class, c.assetClass, which + ": --asset-class",
                "equity, crypto, forex, futures, options");
        if (c.equity == null && c.capital == null) {
            throw new QuantAgentCli.UserError(which + ": trades without --equity need --capital X (the starting "
                    + "capital) to build the equity curve from their P&L, or give the curve with --equity FILE");
        }
        if (c.equity != null && c.capital != null) {
            throw new QuantAgentCli.UserError(which + ": --capital builds an equity curve from the trades; --equity "
                    + c.equity + " is one already");
        }
        Long from = null;
        Long to = null;
        if (c.period != null) {
            String[] parts = c.period.split("\\.\\.", -1);
            if (parts.length != 2) {
                throw new QuantAgentCli.UserError(which + ": --period: expected FROM..TO, got \"" + c.period + "\"");
            }
            from = time(parts[0], "--period", which);
            to = time(parts[1], "--period", which);
        }
        BacktestCsv.Meta meta;
        try {
            double schedule = Backtest.scheduleFee(nan(c.makerFeeBps), nan(c.takerFeeBps), nan(c.makerShare),
                    (field, what) -> new IllegalArgumentException("--" + field.replace('_', '-') + " " + what
                            .replace("maker_fee_bps", "--maker-fee-bps").replace("taker_fee_bps", "--taker-fee-bps")
                            .replace("maker_share", "--maker-share")));
            if (schedule == schedule && c.feesBps != null) {
                throw new IllegalArgumentException("give --fees-bps or --maker-fee-bps / --taker-fee-bps, not both");
            }
            double share = schedule != schedule ? Double.NaN : c.makerShare != null ? c.makerShare
                    : c.takerFeeBps != null ? 0 : 1;
            if (c.parameters != null && c.parameters < 0 || c.trials != null && c.trials < 1
                    || c.adv != null && !(c.adv > 0)) {
                throw new IllegalArgumentException("--parameters is a count (0 or more), --trials at least 1, --adv "
                        + "positive");
            }
            java.util.Map<String, Double> params = new java.util.LinkedHashMap<>();
            for (int k = 1; c.parameters != null && k <= c.parameters; k++) {
                params.put("parameter " + k, Double.NaN);
            }
            Backtest.Extras extras = new Backtest.Extras(nan(c.makerFeeBps), nan(c.takerFeeBps), share,
                    java.util.Map.of(), params, List.of(), c.trials == null ? 0 : c.trials, nan(c.adv), null);
            meta = new BacktestCsv.Meta(c.strategy != null ? c.strategy : name(c.trades, c.equity),
                    c.type, ac, from, to, c.inSampleEnd == null ? null : time(c.inSampleEnd, "--in-sample-end", which),
                    c.leverage == null ? 1 : c.leverage, schedule == schedule ? schedule : nan(c.feesBps),
                    nan(c.slippageBps), nan(c.funding), c.universeFixed, nan(c.capital), extras);
        } catch (IllegalArgumentException e) {
            throw new QuantAgentCli.UserError(which + ": " + e.getMessage());
        }
        return BacktestCsv.read(c.trades == null ? null : read(c.trades), String.valueOf(c.trades),
                c.equity == null ? null : read(c.equity), String.valueOf(c.equity), meta);
    }

    /**
     * The strategy's default name: what the two file names share ({@code v1.1-trades.csv} and
     * {@code v1.1-equity.csv} give {@code v1.1}), else the one file's name, without {@code .csv} / {@code .gz}.
     */
    static String name(Path trades, Path equity) {
        String a = stem(trades != null ? trades : equity);
        if (trades == null || equity == null) {
            return a;
        }
        String b = stem(equity);
        int k = 0;
        while (k < Math.min(a.length(), b.length()) && a.charAt(k) == b.charAt(k)) {
            k++;
        }
        String common = a.substring(0, k).replaceAll("[-_. ]+$", "");
        return common.isEmpty() ? b : common;
    }

    private static String stem(Path p) {
        return p.getFileName().toString().replaceAll("(?i)(\\.csv)?(\\.gz)?$", "");
    }

    private static Long time(String s, String option, String which) {
        try {
            return Backtest.parseTime(s.trim());
        } catch (DateTimeParseException e) {
            throw new QuantAgentCli.UserError(which + ": " + option + ": expected an ISO date or date-time, got \"" + s
                    + "\"");
        }
    }

    private static double nan(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static boolean looksLikeJson(String text) {
        String t = text.stripLeading();
        return t.startsWith("{") || t.startsWith("[");
    }

    /**
     * The most text analyze reads of one file: far above any backtest (ten years of minute bars are a few hundred
     * megabytes), and an eighth of the memory Java may use, so that the parsing after it fits.
     */
    static long maxInput() {
        return Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 8);
    }

    private static String read(Path p) {
        return read(p, maxInput());
    }

    /**
     * A file's text (UTF-8, without a byte order mark), gunzipped when it starts with the gzip magic bytes, whatever
     * its name; refused past {@code max} bytes of text (a few megabytes of gzip can unpack to terabytes).
     */
    static String read(Path p, long max) {
        byte[] bytes;
        boolean gzip = false;
        try (InputStream file = new BufferedInputStream(Files.newInputStream(p))) {
            file.mark(2);
            gzip = file.read() == 0x1f && file.read() == 0x8b;
            file.reset();
            InputStream in = gzip ? new GZIPInputStream(file) : file;
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        } catch (NoSuchFileException e) {
            throw new QuantAgentCli.UserError(p + ": no such file");
        } catch (EOFException e) {
            throw new QuantAgentCli.UserError(p + ": the gzip file is truncated: it ends before its compressed data "
                    + "does");
        } catch (ZipException e) {
            throw new QuantAgentCli.UserError(p + ": the gzip file is damaged (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new QuantAgentCli.UserError(p + ": cannot read: " + DataException.reason(e, p));
        }
        if (bytes.length > max) {
            throw new QuantAgentCli.UserError(p + ": the file " + (gzip ? "unpacks to" : "is") + " more than "
                    + (max >> 20) + " MB, the most analyze reads of one file" + (gzip ? " (it may be a gzip bomb)" : "")
                    + "; give Java more memory (QUANTAGENT_JAVA_OPTS=-Xmx16g) for a larger backtest");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.startsWith("\uFEFF") ? text.substring(1) : text; // Excel's byte order mark
    }

    private static <E extends Enum<E>> E enumOption(Class<E> type, String value, String option, String allowed) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new QuantAgentCli.UserError(option + ": expected one of " + allowed + ", got \"" + value + "\"");
        }
    }
}
