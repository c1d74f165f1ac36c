package dev.quantagent.assistant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One backtest to analyse, parsed from a JSON document of this shape (times are ISO dates {@code 2024-01-02} or
 * date-times {@code 2024-01-02T14:00:00Z}; a date-time without an offset is UTC; returns and drawdowns are fractions):
 *
 * <pre>{@code
 * {
 *   "strategy": "ema-cross v1.1",          // required: id shown in reports and comparisons
 *   "type": "trend following",             // optional; "perpetual" in it means funding is expected
 *   "asset_class": "crypto",               // required: equity | crypto | forex | futures | options
 *   "period": {"start": "2023-01-01", "end": "2023-12-31"},   // required
 *   "metrics": {"sharpe": 1.4, ...},       // optional, never used for computation; >1% off ours is a finding
 *   "trades": [{"entry_time": "...", "exit_time": "...", "symbol": "BTCUSDT", "direction": "long",
 *               "entry_price": 100, "exit_price": 110, "quantity": 1, "pnl": 10, "return": 0.1,
 *               "funding": 0.3}],          // required (may be empty); return defaults to the prices' move
 *   "equity_curve": [{"time": "...", "equity": 10000}],     // required, at least 2 points
 *   "benchmark": [{"time": "...", "price": 100}],            // optional
 *   "in_sample_end": "2023-06-30",         // optional: last time of the in-sample half
 *   "leverage": 3, "fees_bps": 5, "slippage_bps": 2,         // optional (leverage defaults to 1)
 *   "funding": 120.5,                      // optional total funding paid (else the sum of per-trade funding)
 *   "universe_fixed": true                 // optional: the symbols were chosen with hindsight (survivorship)
 * }
 * }</pre>
 *
 * <p>Parsing rejects what cannot be analysed (missing or mistyped fields, unparseable times, a benchmark that shares
 * fewer than 3 times with the equity curve) with a {@link BacktestFormatException} naming the JSON pointer; what is
 * analysable but dubious (times out of order, equity at or below zero, trades outside the period) is kept and
 * reported as a data-quality finding. The same backtest can come from CSV files instead: see {@link BacktestCsv}.
 *
 * <p>The document's JSON Schema, {@code backtest.schema.json} beside this class ({@link Analysis.Schema#INPUT}),
 * states the same rules for validators; a change to what is parsed here belongs there too ({@code
 * AnalysisSchemaTest} holds the two together).
 *
 * @param funding      total funding paid, NaN if neither given in total nor per trade
 * @param feesBps      fees per side in basis points, NaN if not stated
 * @param slippageBps  slippage per side in basis points, NaN if not stated
 * @param origin       where the rows came from, for messages that point into the user's files
 */
public record Backtest(String strategy, String type, AssetClass assetClass, long periodStart, long periodEnd,
                       Map<String, Double> statedMetrics, List<Trade> trades, long[] equityTime, double[] equity,
                       long[] benchmarkTime, double[] benchmarkPrice, Long inSampleEnd, double leverage,
                       double feesBps, double slippageBps, double funding, boolean universeFixed, Origin origin,
                       Extras extras) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A backtest without any of the {@link Extras}. */
    public Backtest(String strategy, String type, AssetClass assetClass, long periodStart, long periodEnd,
                    Map<String, Double> statedMetrics, List<Trade> trades, long[] equityTime, double[] equity,
                    long[] benchmarkTime, double[] benchmarkPrice, Long inSampleEnd, double leverage, double feesBps,
                    double slippageBps, double funding, boolean universeFixed, Origin origin) {
        this(strategy, type, assetClass, periodStart, periodEnd, statedMetrics, trades, equityTime, equity,
                benchmarkTime, benchmarkPrice, inSampleEnd, leverage, feesBps, slippageBps, funding, universeFixed,
                origin, Extras.NONE);
    }

    /**
     * What a backtest may state beyond its trades and curve, each optional, for the model-risk, cost, funding and
     * liquidity checks.
     *
     * @param makerFeeBps    maker fee per side in basis points (negative: a rebate), NaN if not stated
     * @param takerFeeBps    taker fee per side, NaN if not stated
     * @param makerShare     share of fills as maker, NaN if no fee schedule is stated; {@code feesBps} is then
     *                       {@code makerShare × maker + (1 − makerShare) × taker}
     * @param statedRegimes  the backtester's own return by regime ({@code regime_performance}), in its order
     * @param parameters     tuned parameters: name → chosen value (NaN when only the count is stated)
     * @param sensitivity    the strategy's Sharpe at other values of its parameters
     * @param trials         variants tried before this one (data snooping), 0 if not stated
     * @param adv            the instrument's average daily traded value, account currency, NaN if not stated
     * @param fundingRates   funding rates to charge the trades with ({@code --funding-rates}), null if none
     */
    public record Extras(double makerFeeBps, double takerFeeBps, double makerShare, Map<String, Double> statedRegimes,
                         Map<String, Double> parameters, List<Sensitivity> sensitivity, int trials, double adv,
                         FundingRates fundingRates) {

        public static final Extras NONE = new Extras(Double.NaN, Double.NaN, Double.NaN, Map.of(), Map.of(),
                List.of(), 0, Double.NaN, null);

        public Extras withFundingRates(FundingRates rates) {
            return new Extras(makerFeeBps, takerFeeBps, makerShare, statedRegimes, parameters, sensitivity, trials,
                    adv, rates);
        }

        /** A schedule of maker and taker fees was stated. */
        boolean feeSchedule() {
            return makerShare == makerShare;
        }
    }

    /** The strategy's Sharpe ratio with one parameter set to another value (the others as chosen). */
    public record Sensitivity(String parameter, double value, double sharpe) {
    }

    /**
     * Funding rates of perpetual futures, as exchanges publish them: at each settlement time, the rate a long pays a
     * short (per settlement, not annualised) on the position's value.
     *
     * @param symbol the symbol of each rate, "" when the file has no symbol column (one instrument)
     */
    public record FundingRates(String source, long[] time, String[] symbol, double[] rate) {
    }

    /**
     * The fee per side a schedule comes to, {@code share × maker + (1 − share) × taker}, or NaN without one.
     *
     * @param error makes the exception for a field (its name) and a message
     */
    public static double scheduleFee(double maker, double taker, double share,
                              java.util.function.BiFunction<String, String, RuntimeException> error) {
        if (maker != maker && taker != taker) {
            if (share == share) {
                throw error.apply("maker_share", "needs maker_fee_bps and/or taker_fee_bps");
            }
            return Double.NaN;
        }
        double s = share == share ? share : taker == taker ? 0 : 1;
        if (!(s >= 0 && s <= 1)) {
            throw error.apply("maker_share", "is the share of fills as maker, 0 to 1, got " + share);
        }
        if (s < 1 && taker != taker) {
            throw error.apply("taker_fee_bps", "is required unless every fill is maker (maker_share 1)");
        }
        if (s > 0 && maker != maker) {
            throw error.apply("maker_fee_bps", "is required when maker_share is above 0");
        }
        return (s > 0 ? s * maker : 0) + (s < 1 ? (1 - s) * taker : 0);
    }

    /** The same backtest charged with funding rates (the command line's {@code --funding-rates}). */
    public Backtest withFundingRates(FundingRates rates) {
        return new Backtest(strategy, type, assetClass, periodStart, periodEnd, statedMetrics, trades, equityTime,
                equity, benchmarkTime, benchmarkPrice, inSampleEnd, leverage, feesBps, slippageBps, funding,
                universeFixed, origin, extras.withFundingRates(rates));
    }

    /** The asset classes the interpretation distinguishes. */
    public enum AssetClass { EQUITY, CRYPTO, FOREX, FUTURES, OPTIONS }

    /**
     * One round trip. Times are epoch seconds (UTC); direction is +1 long, −1 short.
     *
     * @param ret     the trade's return (net of the stated costs)
     * @param funding funding paid on the trade, NaN if not given
     */
    public record Trade(long entryTime, long exitTime, String symbol, int direction, double entryPrice,
                        double exitPrice, double quantity, double pnl, double ret, double funding,
                        boolean grossReturn) {

        /** A trade whose return was given (net of the stated costs, as the formats define it). */
        public Trade(long entryTime, long exitTime, String symbol, int direction, double entryPrice, double exitPrice,
                     double quantity, double pnl, double ret, double funding) {
            this(entryTime, exitTime, symbol, direction, entryPrice, exitPrice, quantity, pnl, ret, funding, false);
        }
    }

    /**
     * Where a backtest's rows came from, so findings point into the user's files: JSON pointers for a document
     * (null files), {@code file:line} for CSV, {@code file at DATE} for rows without a line (a panel benchmark, an
     * equity curve built from trades).
     *
     * @param tradesGiven false for an equity curve without a trade list: no trade statistics then
     * @param capital     starting capital when the equity curve was built from the trades' P&L, else NaN
     */
    public record Origin(String tradesFile, long[] tradeLines, String equityFile, long[] equityLines,
                         String benchmarkFile, long[] benchmarkLines, boolean tradesGiven, double capital) {

        /** A JSON document: every row is named by its JSON pointer. */
        static final Origin JSON = new Origin(null, null, null, null, null, null, true, Double.NaN);

        String trade(int i, long time) {
            return at(tradesFile, tradeLines, "/trades/", i, time);
        }

        String equityPoint(int i, long time) {
            return at(equityFile, equityLines, "/equity_curve/", i, time);
        }

        String benchmarkPoint(int i, long time) {
            return at(benchmarkFile, benchmarkLines, "/benchmark/", i, time);
        }

        /** True when the equity curve is capital plus realised P&L, not a given curve. */
        boolean equityFromTrades() {
            return capital == capital;
        }

        Origin withBenchmark(String file, long[] lines) {
            return new Origin(tradesFile, tradeLines, equityFile, equityLines, file, lines, tradesGiven, capital);
        }

        private static String at(String file, long[] lines, String pointer, int i, long time) {
            if (lines != null) {
                return file + ":" + lines[i];
            }
            return file != null ? file + " at " + Formats.time(time) : pointer + i;
        }
    }

    /**
     * A price series (a benchmark) as read from a file.
     *
     * @param lines the file line of each point, null for JSON (points are then named by pointer)
     */
    public record Series(String source, long[] time, double[] price, long[] lines) {
    }

    /**
     * The same backtest with another benchmark (the command line's {@code --benchmark}).
     *
     * @throws BacktestFormatException if the benchmark shares fewer than 3 times with the equity curve
     */
    public Backtest withBenchmark(Series benchmark) {
        return withBenchmark(benchmark, benchmark.source(), benchmark.source());
    }

    /** @param file names the benchmark's points in findings (null: JSON pointers); {@code label} names it in errors */
    Backtest withBenchmark(Series benchmark, String file, String label) {
        Backtest b = new Backtest(strategy, type, assetClass, periodStart, periodEnd, statedMetrics, trades,
                equityTime, equity, benchmark.time(), benchmark.price(), inSampleEnd, leverage, feesBps, slippageBps,
                funding, universeFixed, origin.withBenchmark(file, benchmark.lines()), extras);
        Market.requireOverlap(b, label);
        return b;
    }

    /** Parses a backtest document; {@code source} names it in error messages. */
    public static Backtest parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BacktestFormatException(source + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        }
        if (root == null || !root.isObject()) {
            throw new BacktestFormatException(source + ": expected a JSON object at the top level");
        }
        return new Parser(source).backtest(root);
    }

    /** Parses a JSON benchmark file: either an array of {@code {time, price}} or an object with a {@code benchmark} array. */
    public static Series parseBenchmark(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BacktestFormatException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
        Parser p = new Parser(source);
        Object[] s;
        if (root != null && root.isObject() && root.has("benchmark")) {
            s = p.series(root.get("benchmark"), "/benchmark", "price");
        } else if (root == null || !root.isArray()) {
            throw new BacktestFormatException(source + ": expected an array of {time, price} or {\"benchmark\": [...]}");
        } else {
            s = p.series(root, "", "price");
        }
        return new Series(source, (long[]) s[0], (double[]) s[1], null);
    }

    /**
     * Parses a time to epoch seconds: an ISO date (midnight UTC), an ISO date-time (UTC unless it has an offset; a
     * space may stand for the {@code T}), or epoch seconds (9–10 digits) or milliseconds (12–13 digits, as exchanges
     * export them).
     *
     * @throws DateTimeParseException if it is none of these
     */
    public static long parseTime(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (s.length() == 9 || s.length() == 10) {
                return Long.parseLong(s);
            }
            if (s.length() == 12 || s.length() == 13) {
                return Long.parseLong(s) / 1000;
            }
            throw new DateTimeParseException("digits are epoch seconds (9-10) or milliseconds (12-13)", s, 0);
        }
        if (s.length() <= 10) {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        }
        String t = s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
        try {
            return OffsetDateTime.parse(t).toEpochSecond();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(t).toEpochSecond(ZoneOffset.UTC);
        }
    }

    /** The asset class of a name (any case, trimmed; {@code cryptocurrency} is crypto), null if none. */
    static AssetClass assetClass(String s) {
        String name = s.trim().toUpperCase(Locale.ROOT);
        if (name.equals("CRYPTOCURRENCY")) {
            return AssetClass.CRYPTO;
        }
        try {
            return AssetClass.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** +1 for long or buy, −1 for short or sell (any case, trimmed), 0 for anything else. */
    static int direction(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "long":
            case "buy":
                return 1;
            case "short":
            case "sell":
                return -1;
            default:
                return 0;
        }
    }

    /** The sum of the trades' funding, NaN if no trade gives it. */
    static double tradeFunding(List<Trade> trades) {
        double sum = 0;
        boolean any = false;
        for (Trade t : trades) {
            if (t.funding() == t.funding()) {
                sum += t.funding();
                any = true;
            }
        }
        return any ? sum : Double.NaN;
    }

    /** Recursive-descent over the JSON tree that knows where it is, so every error names a JSON pointer. */
    private static final class Parser {
        private final String source;

        Parser(String source) {
            this.source = source;
        }

        private BacktestFormatException error(String pointer, String what) {
            return new BacktestFormatException(source + ": " + (pointer.isEmpty() ? "/" : pointer) + ": " + what);
        }

        /** The one field of {@code names} that is present (not null), or null; two present is an error. */
        private String either(JsonNode o, String at, String... names) {
            String found = null;
            for (String n : names) {
                if (o.hasNonNull(n)) {
                    if (found != null) {
                        throw error(at + "/" + n, "both " + found + " and " + n + " are given; give one");
                    }
                    found = n;
                }
            }
            return found;
        }

        Backtest backtest(JsonNode root) {
            String strategyField = either(root, "", "strategy", "strategy_id");
            String strategy = text(root, "", strategyField == null ? "strategy" : strategyField, true);
            String typeField = either(root, "", "type", "strategy_type");
            String type = typeField == null ? null : text(root, "", typeField, false);
            String ac = text(root, "", "asset_class", true);
            AssetClass assetClass = assetClass(ac);
            if (assetClass == null) {
                throw error("/asset_class", "expected one of equity, crypto (or cryptocurrency), forex, futures, "
                        + "options, got \"" + ac + "\"");
            }
            long start;
            long end;
            String endAt;
            if (root.hasNonNull("period") || !root.has("start_date")) {
                JsonNode period = root.get("period");
                if (period == null || !period.isObject()) {
                    throw error("/period", "required object {start, end} is missing (or start_date and end_date)");
                }
                start = time(period, "/period", "start");
                end = time(period, "/period", "end");
                endAt = "/period/end";
            } else {
                start = time(root, "", "start_date");
                end = time(root, "", "end_date");
                endAt = "/end_date";
            }
            if (end < start) {
                throw error(endAt, "is before the start");
            }
            Map<String, Double> stated = numbers(root, "metrics");
            JsonNode ts = root.get("trades");
            if (ts == null || !ts.isArray()) {
                throw error("/trades", "required array is missing (use [] for none)");
            }
            List<Trade> trades = new ArrayList<>();
            for (int i = 0; i < ts.size(); i++) {
                trades.add(trade(ts.get(i), "/trades/" + i));
            }
            JsonNode curve = root.get("equity_curve");
            if (curve == null || !(curve.isArray() || curve.isObject())) {
                throw error("/equity_curve", "required array of {time, equity} is missing");
            }
            if (curve.size() < 2) {
                throw error("/equity_curve", "needs at least 2 points, got " + curve.size());
            }
            Object[] eq = series(curve, "/equity_curve", "equity");
            JsonNode bench = root.get("benchmark");
            Long isEnd = root.hasNonNull("in_sample_end") ? time(root, "", "in_sample_end") : null;
            double leverage = number(root, "", "leverage", 1.0);
            if (!(leverage > 0)) {
                throw error("/leverage", "must be positive, got " + leverage);
            }
            double maker = number(root, "", "maker_fee_bps", Double.NaN);
            double taker = number(root, "", "taker_fee_bps", Double.NaN);
            double share = number(root, "", "maker_share", Double.NaN);
            double fees = number(root, "", "fees_bps", Double.NaN);
            double schedule = scheduleFee(maker, taker, share, (field, what) -> error("/" + field, what));
            if (schedule == schedule) {
                if (fees == fees) {
                    throw error("/fees_bps", "give fees_bps or the maker/taker schedule (maker_fee_bps, "
                            + "taker_fee_bps, maker_share), not both");
                }
                fees = schedule;
                share = share == share ? share : taker == taker ? 0 : 1;
            }
            double slip = number(root, "", "slippage_bps", Double.NaN);
            double funding = number(root, "", "funding", Double.NaN);
            if (funding != funding) {
                funding = tradeFunding(trades);
            }
            JsonNode uf = root.get("universe_fixed");
            if (uf != null && !uf.isNull() && !uf.isBoolean()) {
                throw error("/universe_fixed", "expected true or false, got " + uf);
            }
            Extras extras = new Extras(maker, taker, schedule == schedule ? share : Double.NaN,
                    numbers(root, "regime_performance"), parameters(root), sensitivity(root), count(root, "trials"),
                    positive(root, "adv"), null);
            Backtest bt = new Backtest(strategy, type == null ? "unspecified" : type, assetClass, start, end, stated,
                    List.copyOf(trades), (long[]) eq[0], (double[]) eq[1], null, null, isEnd, leverage, fees, slip,
                    funding, uf != null && uf.asBoolean(false), Origin.JSON, extras);
            if (bench != null && !bench.isNull()) {
                Object[] b = series(bench, "/benchmark", "price");
                bt = bt.withBenchmark(new Series(source, (long[]) b[0], (double[]) b[1], null), null,
                        source + ": /benchmark");
            }
            return bt;
        }

        /** An object of name: number (null or absent: empty); other values, such as a label, are ignored. */
        private Map<String, Double> numbers(JsonNode root, String field) {
            Map<String, Double> out = new LinkedHashMap<>();
            JsonNode m = root.get(field);
            if (m != null && !m.isNull()) {
                if (!m.isObject()) {
                    throw error("/" + field, "expected an object of name: number");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getValue().isNumber() && Double.isFinite(e.getValue().asDouble())) {
                        out.put(e.getKey(), e.getValue().asDouble());
                    }
                }
            }
            return out;
        }

        /** {@code parameters}: a count, or an object of name: chosen value (any JSON value; numbers are kept). */
        private Map<String, Double> parameters(JsonNode root) {
            JsonNode p = root.get("parameters");
            Map<String, Double> out = new LinkedHashMap<>();
            if (p == null || p.isNull()) {
                return out;
            }
            if (p.isIntegralNumber() && p.asLong() >= 0 && p.asLong() <= 10_000) {
                for (int i = 1; i <= p.asInt(); i++) {
                    out.put("parameter " + i, Double.NaN);
                }
                return out;
            }
            if (!p.isObject()) {
                throw error("/parameters", "expected a count (0 to 10000) or an object of name: chosen value, got "
                        + p);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : Double.NaN);
            }
            return out;
        }

        private List<Sensitivity> sensitivity(JsonNode root) {
            JsonNode a = root.get("sensitivity");
            if (a == null || a.isNull()) {
                return List.of();
            }
            if (!a.isArray()) {
                throw error("/sensitivity", "expected an array of {parameter, value, sharpe}");
            }
            List<Sensitivity> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                String at = "/sensitivity/" + i;
                JsonNode x = a.get(i);
                if (!x.isObject()) {
                    throw error(at, "expected {parameter, value, sharpe}");
                }
                double sharpe = number(x, at, "sharpe", Double.NaN);
                if (sharpe != sharpe) {
                    throw error(at + "/sharpe", "required number is missing");
                }
                out.add(new Sensitivity(text(x, at, "parameter", true), number(x, at, "value", Double.NaN), sharpe));
            }
            return List.copyOf(out);
        }

        /** A whole count of at least 1; null or absent: 0. */
        private int count(JsonNode root, String field) {
            JsonNode v = root.get(field);
            if (v == null || v.isNull()) {
                return 0;
            }
            if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > Integer.MAX_VALUE) {
                throw error("/" + field, "expected a whole number of at least 1, got " + v);
            }
            return v.asInt();
        }

        private double positive(JsonNode root, String field) {
            double v = number(root, "", field, Double.NaN);
            if (v == v && !(v > 0)) {
                throw error("/" + field, "must be positive, got " + v);
            }
            return v;
        }

        private Trade trade(JsonNode t, String at) {
            if (t == null || !t.isObject()) {
                throw error(at, "expected a trade object");
            }
            long entry = time(t, at, "entry_time");
            long exit = time(t, at, "exit_time");
            String symbol = text(t, at, "symbol", false);
            String dir = text(t, at, "direction", true).trim().toLowerCase(Locale.ROOT);
            int direction = direction(dir);
            if (direction == 0) {
                throw error(at + "/direction", "expected long or short, got \"" + dir + "\"");
            }
            double entryPrice = number(t, at, "entry_price", Double.NaN);
            double exitPrice = number(t, at, "exit_price", Double.NaN);
            double quantity = number(t, at, "quantity", Double.NaN);
            double pnl = number(t, at, "pnl", Double.NaN);
            if (pnl != pnl) {
                throw error(at + "/pnl", "required number is missing");
            }
            String retField = either(t, at, "return", "return_pct"); // the chapter's return_pct is a fraction too
            double ret = number(t, at, retField == null ? "return" : retField, Double.NaN);
            boolean gross = ret != ret;
            if (ret != ret) {
                if (entryPrice > 0 && exitPrice == exitPrice) {
                    ret = direction * (exitPrice / entryPrice - 1); // gross of costs: only the prices are known
                } else {
                    throw error(at + "/return", "missing, and entry_price/exit_price are not there to derive it");
                }
            }
            return new Trade(entry, exit, symbol == null ? "?" : symbol, direction, entryPrice, exitPrice, quantity,
                    pnl, ret, number(t, at, "funding", Double.NaN), gross);
        }

        /**
         * A series: an array of {@code {time, value}} ({@code timestamp} may name the time, as in the chapter's
         * {@code EquityPoint}), or an object of time: value (pandas' {@code Series.to_json()}).
         */
        Object[] series(JsonNode arr, String at, String valueField) {
            if (arr.isObject()) {
                long[] times = new long[arr.size()];
                double[] values = new double[arr.size()];
                int i = 0;
                for (Iterator<Map.Entry<String, JsonNode>> it = arr.fields(); it.hasNext(); i++) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String pi = at + "/" + e.getKey();
                    try {
                        times[i] = parseTime(e.getKey().trim());
                    } catch (DateTimeParseException x) {
                        throw error(pi, "the key is not an ISO date, date-time or epoch time: \"" + e.getKey() + "\"");
                    }
                    if (!e.getValue().isNumber() || !Double.isFinite(e.getValue().asDouble())) {
                        throw error(pi, "expected a number, got " + e.getValue());
                    }
                    values[i] = e.getValue().asDouble();
                }
                return new Object[] {times, values};
            }
            if (!arr.isArray()) {
                throw error(at, "expected an array of {time, " + valueField + "}");
            }
            long[] times = new long[arr.size()];
            double[] values = new double[arr.size()];
            for (int i = 0; i < arr.size(); i++) {
                JsonNode p = arr.get(i);
                String pi = at + "/" + i;
                if (!p.isObject()) {
                    throw error(pi, "expected {time, " + valueField + "}");
                }
                String timeField = either(p, pi, "time", "timestamp");
                times[i] = time(p, pi, timeField == null ? "time" : timeField);
                values[i] = number(p, pi, valueField, Double.NaN);
                if (values[i] != values[i]) {
                    throw error(pi + "/" + valueField, "required number is missing");
                }
            }
            return new Object[] {times, values};
        }

        private String text(JsonNode o, String at, String field, boolean required) {
            JsonNode v = o.get(field);
            if (v == null || v.isNull()) {
                if (required) {
                    throw error(at + "/" + field, "required field is missing");
                }
                return null;
            }
            if (!v.isTextual()) {
                throw error(at + "/" + field, "expected a string, got " + v);
            }
            return v.asText();
        }

        private double number(JsonNode o, String at, String field, double absent) {
            JsonNode v = o.get(field);
            if (v == null || v.isNull()) {
                return absent;
            }
            if (!v.isNumber()) {
                throw error(at + "/" + field, "expected a number, got " + v);
            }
            double d = v.asDouble();
            if (Double.isInfinite(d)) {
                throw error(at + "/" + field, "is not finite");
            }
            return d;
        }

        private long time(JsonNode o, String at, String field) {
            String s = text(o, at, field, true);
            try {
                return parseTime(s.trim());
            } catch (DateTimeParseException e) {
                throw error(at + "/" + field, "expected an ISO date or date-time, got \"" + s + "\"");
            }
        }
    }
}
