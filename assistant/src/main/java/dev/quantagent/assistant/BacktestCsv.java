package dev.quantagent.assistant;

import dev.quantagent.assistant.Backtest.AssetClass;
import dev.quantagent.assistant.Backtest.Origin;
import dev.quantagent.assistant.Backtest.Series;
import dev.quantagent.assistant.Backtest.Trade;
import dev.quantagent.evaluator.data.PanelCsv;
import dev.quantagent.sandbox.Panel;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;

/**
 * A backtest from CSV files instead of a JSON document: a trades file and an equity-curve file (either may come
 * alone), with what a JSON document states about the backtest given as {@link Meta}; and benchmark price series.
 *
 * <p>Every file: a header row names the columns, case-insensitively (trimmed; a UTF-8 byte order mark is ignored);
 * for each column the first accepted name present is used and unknown columns are ignored; RFC 4180 quoting; times
 * are ISO dates ({@code 2024-01-02}, midnight UTC), ISO date-times ({@code 2024-01-02T14:00:00Z}; UTC without an
 * offset; a space may stand for the {@code T}) or epoch seconds (9–10 digits) or milliseconds (12–13); an empty cell
 * or {@code NaN}, {@code NA}, {@code null} is missing. What cannot be analysed raises a
 * {@link BacktestFormatException} that names {@code file:line}, the column and the cell.
 *
 * <p><b>Trades</b>, one row per round trip (any order):
 * <pre>
 * entry time   required  entry_time, entry_date, open_time, entry_timestamp
 * exit time    required  exit_time, exit_date, close_time, exit_timestamp
 * direction    required  direction, side: long or buy, short or sell
 * P&amp;L          required  pnl, net_pnl, profit, realized_pnl (net of the stated costs, like the JSON's pnl)
 * return                 return, ret (a fraction), or return_pct (percent); from the prices when missing
 * symbol                 symbol, ticker, asset, instrument
 * entry price            entry_price, open_price
 * exit price             exit_price, close_price
 * quantity               quantity, qty, size
 * funding                funding, funding_fee (paid on the trade)
 * </pre>
 *
 * <p><b>Equity curve</b>, one row per bar: time ({@code time, date, timestamp, datetime}) and equity
 * ({@code equity, value, nav, balance}), both required, at least 2 rows; optionally the market on the same rows
 * ({@code benchmark, market, benchmark_price, market_price}; empty cells are missing), used as the benchmark unless
 * another is given.
 *
 * <p><b>Trades alone</b> need a starting capital: the curve is then the capital plus the P&amp;L of the trades closed by
 * each midnight UTC, from the first entry's day to the first midnight at or after the last exit, weekends left out
 * when no trade enters or exits on one. That curve does not mark open positions to market, which the report says.
 * <b>An equity curve alone</b> gives no trade statistics, which the report also says.
 *
 * <p><b>Benchmark</b> ({@link #benchmark}): a time column and a price column ({@code adj_close, close, price, value};
 * empty cells are missing); or the long panel format of {@code --data} (a symbol column, one row per date and symbol),
 * from which one symbol's prices are taken.
 */
public final class BacktestCsv {

    static final List<String> TIME = List.of("time", "date", "timestamp", "datetime");
    static final List<String> EQUITY = List.of("equity", "value", "nav", "balance");
    static final List<String> MARKET = List.of("benchmark", "market", "benchmark_price", "market_price");
    static final List<String> ENTRY_TIME = List.of("entry_time", "entry_date", "open_time", "entry_timestamp");
    static final List<String> EXIT_TIME = List.of("exit_time", "exit_date", "close_time", "exit_timestamp");
    static final List<String> DIRECTION = List.of("direction", "side");
    static final List<String> PNL = List.of("pnl", "net_pnl", "profit", "realized_pnl");
    static final List<String> RETURN = List.of("return", "ret");
    static final List<String> RETURN_PCT = List.of("return_pct");
    static final List<String> SYMBOL = List.of("symbol", "ticker", "asset", "instrument");
    static final List<String> ENTRY_PRICE = List.of("entry_price", "open_price");
    static final List<String> EXIT_PRICE = List.of("exit_price", "close_price");
    static final List<String> QUANTITY = List.of("quantity", "qty", "size");
    static final List<String> FUNDING = List.of("funding", "funding_fee");
    static final List<String> PRICE = List.of("adj_close", "close", "price", "value");
    /** The symbol column of the long panel format ({@code --data}). */
    static final List<String> PANEL_SYMBOL = List.of("symbol", "name", "ticker", "asset");

    private static final long DAY = 86_400;
    private static final int MAX_SHOWN = 40;

    private BacktestCsv() {
    }

    /**
     * What a JSON document states about a backtest and CSV files cannot: set on the command line.
     *
     * @param periodStart  start of the stated period, null for the data's first time
     * @param periodEnd    end of the stated period, null for the data's last time
     * @param inSampleEnd  last time of the in-sample part, null if none
     * @param feesBps      fees per side in basis points, NaN if not stated
     * @param slippageBps  slippage per side in basis points, NaN if not stated
     * @param funding      total funding paid, NaN for the sum of the trades' funding column (if any)
     * @param capital      starting capital for a curve built from the trades; NaN when an equity curve is given
     * @param extras       what else is stated (a maker/taker schedule in place of feesBps, parameters, trials, ADV)
     */
    public record Meta(String strategy, String type, AssetClass assetClass, Long periodStart, Long periodEnd,
                       Long inSampleEnd, double leverage, double feesBps, double slippageBps, double funding,
                       boolean universeFixed, double capital, Backtest.Extras extras) {

        /** Without extras. */
        public Meta(String strategy, String type, AssetClass assetClass, Long periodStart, Long periodEnd,
                    Long inSampleEnd, double leverage, double feesBps, double slippageBps, double funding,
                    boolean universeFixed, double capital) {
            this(strategy, type, assetClass, periodStart, periodEnd, inSampleEnd, leverage, feesBps, slippageBps,
                    funding, universeFixed, capital, Backtest.Extras.NONE);
        }

        public Meta {
            if (strategy == null || strategy.isBlank()) {
                throw new IllegalArgumentException("a strategy name is required");
            }
            if (assetClass == null) {
                throw new IllegalArgumentException("an asset class is required");
            }
            if (!(leverage > 0) || Double.isInfinite(leverage)) {
                throw new IllegalArgumentException("leverage must be positive, got " + leverage);
            }
            if (capital == capital && !(capital > 0 && !Double.isInfinite(capital))) {
                throw new IllegalArgumentException("the starting capital must be positive, got " + capital);
            }
            if (periodStart != null && periodEnd != null && periodEnd < periodStart) {
                throw new IllegalArgumentException("the period ends before it starts");
            }
        }
    }

    /**
     * Reads a backtest from a trades CSV and an equity-curve CSV, either of which may be null (not both).
     *
     * @param tradesSource names the trades file in messages (likewise {@code equitySource})
     */
    public static Backtest read(String tradesCsv, String tradesSource, String equityCsv, String equitySource,
                                Meta meta) {
        if (tradesCsv == null && equityCsv == null) {
            throw new IllegalArgumentException("neither a trades nor an equity-curve file");
        }
        if (equityCsv != null && meta.capital() == meta.capital()) {
            throw new IllegalArgumentException("a starting capital only builds a curve from trades; " + equitySource
                    + " is one already");
        }
        List<Trade> trades = List.of();
        long[] tradeLines = null;
        if (tradesCsv != null) {
            Table t = new Table(tradesCsv, tradesSource, "entry_time,exit_time,symbol,direction,pnl,return");
            trades = new ArrayList<>();
            tradeLines = trades(t, trades);
            trades = List.copyOf(trades);
        }
        long[] time;
        double[] equity;
        long[] equityLines = null;
        String equityFile;
        Series market = null;
        if (equityCsv != null) {
            Table t = new Table(equityCsv, equitySource, "date,equity");
            Curve c = equity(t);
            time = c.time();
            equity = c.value();
            equityLines = c.lines();
            equityFile = equitySource;
            market = c.market();
            if (tradesCsv != null) {
                requireOverlap(trades, tradesSource, time, equitySource);
            }
        } else {
            if (meta.capital() != meta.capital()) {
                throw new BacktestFormatException(tradesSource + ": no equity curve: give the starting capital to "
                        + "build one from the trades' P&L (it will not mark open positions to market), or the "
                        + "equity curve itself");
            }
            if (trades.isEmpty()) {
                throw new BacktestFormatException(tradesSource + ": no trades to build an equity curve from");
            }
            Curve c = fromTrades(trades, meta.capital());
            time = c.time();
            equity = c.value();
            equityFile = "the equity built from " + tradesSource;
        }
        long first = Arrays.stream(time).min().getAsLong();
        long last = Arrays.stream(time).max().getAsLong();
        Origin origin = new Origin(tradesCsv == null ? null : tradesSource, tradeLines, equityFile, equityLines, null,
                null, tradesCsv != null, meta.capital());
        Backtest bt = new Backtest(meta.strategy(), meta.type() == null ? "unspecified" : meta.type(),
                meta.assetClass(), meta.periodStart() != null ? meta.periodStart() : first,
                meta.periodEnd() != null ? meta.periodEnd() : last, Map.of(), trades, time, equity, null, null,
                meta.inSampleEnd(), meta.leverage(), meta.feesBps(), meta.slippageBps(),
                meta.funding() == meta.funding() ? meta.funding() : Backtest.tradeFunding(trades),
                meta.universeFixed(), origin, meta.extras());
        return market == null ? bt : bt.withBenchmark(market);
    }

    /**
     * Reads a benchmark price series: a time and a price column, or the long panel format (a symbol column) from
     * which {@code symbol} is taken (it may be null when the file holds one symbol).
     */
    public static Series benchmark(String csv, String source, String symbol) {
        if (new Table(csv, source, "date,close", true).find(PANEL_SYMBOL) >= 0) {
            return panelBenchmark(csv, source, symbol); // a long panel (maybe the whole of --data): read once, as one
        }
        Table t = new Table(csv, source, "date,close");
        if (symbol != null) {
            throw new BacktestFormatException(source + ":" + t.headerLine + ": a benchmark symbol was given but the "
                    + "header " + List.of(t.names) + " has no symbol column (" + String.join(", ", PANEL_SYMBOL)
                    + ")");
        }
        int tc = t.require(TIME, "time");
        int pc = t.require(PRICE, "price");
        List<Long> time = new ArrayList<>();
        List<Double> price = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        for (CsvRecord r : t.rows) {
            double p = t.number(r, pc);
            if (p != p) {
                continue; // a missing price is a missing day, handled by the alignment
            }
            if (!(p > 0)) {
                throw t.error(r, pc, "is not a positive price: " + shown(r.getField(pc)));
            }
            time.add(t.time(r, tc));
            price.add(p);
            lines.add(r.getStartingLineNumber());
        }
        if (time.size() < 2) {
            throw new BacktestFormatException(source + ": needs at least 2 prices, got " + time.size());
        }
        return new Series(source, longs(time), doubles(price), longs(lines));
    }

    static final List<String> FUNDING_TIME = List.of("funding_time", "time", "timestamp", "calc_time",
            "fundingratetimestamp", "fundingtime");
    static final List<String> FUNDING_RATE = List.of("funding_rate", "rate", "fundingrate", "last_funding_rate");

    /**
     * Reads funding rates: a time ({@code funding_time, time, timestamp, calc_time, fundingRateTimestamp}), a rate per
     * settlement ({@code funding_rate, rate, fundingRate, last_funding_rate}; 0.0001 is 0.01%, positive: longs pay)
     * and optionally a symbol ({@code symbol}), as Binance's and Bybit's funding histories give them; any other column
     * is ignored. Rows with a missing rate are skipped.
     */
    public static Backtest.FundingRates fundingRates(String csv, String source) {
        Table t = new Table(csv, source, "funding_time,symbol,funding_rate");
        int tc = t.require(FUNDING_TIME, "funding time");
        int rc = t.require(FUNDING_RATE, "funding rate");
        int sc = t.find(PANEL_SYMBOL);
        List<Long> time = new ArrayList<>();
        List<String> symbol = new ArrayList<>();
        List<Double> rate = new ArrayList<>();
        for (CsvRecord r : t.rows) {
            double x = t.number(r, rc);
            if (x != x) {
                continue;
            }
            if (Math.abs(x) >= 1) {
                throw t.error(r, rc, "is not a funding rate per settlement (a fraction such as 0.0001): "
                        + shown(r.getField(rc)));
            }
            time.add(t.time(r, tc));
            symbol.add(sc < 0 ? "" : r.getField(sc).trim().toUpperCase(Locale.ROOT));
            rate.add(x);
        }
        if (time.isEmpty()) {
            throw new BacktestFormatException(source + ": no funding rate in the file");
        }
        return new Backtest.FundingRates(source, longs(time), symbol.toArray(new String[0]), doubles(rate));
    }

    private static Series panelBenchmark(String csv, String source, String symbol) {
        Panel panel = PanelCsv.read(new StringReader(csv), source);
        int asset = -1;
        List<String> symbols = new ArrayList<>();
        for (int a = 0; a < panel.assetCount(); a++) {
            symbols.add(panel.symbol(a));
            if (symbol != null && panel.symbol(a).equalsIgnoreCase(symbol.trim())) {
                asset = a;
            }
        }
        if (symbol == null && panel.assetCount() == 1) {
            asset = 0;
        }
        if (asset < 0) {
            String listed = String.join(", ", symbols.subList(0, Math.min(10, symbols.size())))
                    + (symbols.size() > 10 ? ", ..." : "");
            throw new BacktestFormatException(source + ": " + (symbol == null
                    ? "holds " + symbols.size() + " symbols; choose the benchmark among them (--benchmark-symbol): "
                    : "has no symbol " + shown(symbol) + "; it holds ") + listed);
        }
        String field = null;
        for (String f : PRICE) {
            if (panel.hasField(f)) {
                field = f;
                break;
            }
        }
        if (field == null) {
            throw new BacktestFormatException(source + ": no price column: the fields are " + panel.fieldNames()
                    + ", accepted names for the price are " + String.join(", ", PRICE));
        }
        List<Long> time = new ArrayList<>();
        List<Double> price = new ArrayList<>();
        for (int t = 0; t < panel.dateCount(); t++) {
            double p = panel.value(field, t, asset);
            if (p > 0) { // the panel has NaN where the symbol has no row; non-positive prices are unusable
                time.add(panel.date(t));
                price.add(p);
            }
        }
        if (time.size() < 2) {
            throw new BacktestFormatException(source + ": " + panel.symbol(asset) + " has fewer than 2 positive "
                    + field + " prices");
        }
        return new Series(source + " (" + panel.symbol(asset) + ")", longs(time), doubles(price), null);
    }

    /** Reads the trades into {@code out}; returns the line of each. */
    private static long[] trades(Table t, List<Trade> out) {
        int entry = t.require(ENTRY_TIME, "entry time");
        int exit = t.require(EXIT_TIME, "exit time");
        int dir = t.require(DIRECTION, "direction");
        int pnl = t.require(PNL, "P&L");
        int ret = t.find(RETURN);
        int retPct = ret >= 0 ? -1 : t.find(RETURN_PCT);
        int symbol = t.find(SYMBOL);
        int entryPrice = t.find(ENTRY_PRICE);
        int exitPrice = t.find(EXIT_PRICE);
        int quantity = t.find(QUANTITY);
        int funding = t.find(FUNDING);
        long[] lines = new long[t.rows.size()];
        for (CsvRecord r : t.rows) {
            long entryTime = t.time(r, entry);
            long exitTime = t.time(r, exit);
            int direction = Backtest.direction(r.getField(dir));
            if (direction == 0) {
                throw t.error(r, dir, "is not a direction: " + shown(r.getField(dir)) + "; expected long, short, buy "
                        + "or sell");
            }
            double p = t.number(r, pnl);
            if (p != p) {
                throw t.error(r, pnl, "is empty: every trade needs its P&L");
            }
            double in = entryPrice < 0 ? Double.NaN : t.number(r, entryPrice);
            double outPrice = exitPrice < 0 ? Double.NaN : t.number(r, exitPrice);
            double rt = ret >= 0 ? t.number(r, ret) : retPct >= 0 ? t.number(r, retPct) / 100 : Double.NaN;
            boolean gross = rt != rt;
            if (rt != rt) {
                if (!(in > 0 && outPrice == outPrice)) {
                    int col = ret >= 0 ? ret : retPct;
                    if (col >= 0) {
                        throw t.error(r, col, "is empty, and there are no entry and exit prices to derive it from");
                    }
                    throw new BacktestFormatException(t.source + ":" + r.getStartingLineNumber() + ": no return "
                            + "column (" + String.join(", ", RETURN) + ", " + RETURN_PCT.get(0) + ") and no entry "
                            + "and exit prices (" + ENTRY_PRICE.get(0) + ", " + EXIT_PRICE.get(0) + ") to derive "
                            + "the return from");
                }
                rt = direction * (outPrice / in - 1); // gross of costs: only the prices are known
            }
            String sym = symbol < 0 ? "" : r.getField(symbol).trim();
            lines[out.size()] = r.getStartingLineNumber();
            out.add(new Trade(entryTime, exitTime, sym.isEmpty() ? "?" : sym, direction, in, outPrice,
                    quantity < 0 ? Double.NaN : t.number(r, quantity), p, rt,
                    funding < 0 ? Double.NaN : t.number(r, funding), gross));
        }
        return lines;
    }

    /** An equity curve (or a built one: lines null) and the market on the same rows, if the file has it. */
    private record Curve(long[] time, double[] value, long[] lines, Series market) {
    }

    private static Curve equity(Table t) {
        int tc = t.require(TIME, "time");
        int ec = t.require(EQUITY, "equity");
        int mc = t.find(MARKET);
        int n = t.rows.size();
        if (n < 2) {
            throw new BacktestFormatException(t.source + ": an equity curve needs at least 2 rows, got " + n);
        }
        long[] time = new long[n];
        double[] value = new double[n];
        long[] lines = new long[n];
        List<Long> mt = new ArrayList<>();
        List<Double> mp = new ArrayList<>();
        List<Long> ml = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CsvRecord r = t.rows.get(i);
            time[i] = t.time(r, tc);
            value[i] = t.number(r, ec);
            if (value[i] != value[i]) {
                throw t.error(r, ec, "is empty: every row of the curve needs its equity");
            }
            lines[i] = r.getStartingLineNumber();
            if (mc >= 0) {
                double p = t.number(r, mc);
                if (p == p) {
                    if (!(p > 0)) {
                        throw t.error(r, mc, "is not a positive price: " + shown(r.getField(mc)));
                    }
                    mt.add(time[i]);
                    mp.add(p);
                    ml.add(lines[i]);
                }
            }
        }
        Series market = mt.isEmpty() ? null : new Series(t.source, longs(mt), doubles(mp), longs(ml));
        return new Curve(time, value, lines, market);
    }

    /**
     * The capital plus the P&amp;L of the trades closed by each midnight UTC (exit at or before it), from the first
     * entry's day to the first midnight at or after the last exit; weekends are left out when no trade enters or
     * exits on a Saturday or Sunday (an equity market's calendar).
     */
    private static Curve fromTrades(List<Trade> trades, double capital) {
        long firstEntry = Long.MAX_VALUE;
        long lastExit = Long.MIN_VALUE;
        boolean weekends = false;
        long[] exits = new long[trades.size()];
        double[] pnl = new double[trades.size()];
        Integer[] order = new Integer[trades.size()];
        for (int i = 0; i < exits.length; i++) {
            Trade tr = trades.get(i);
            firstEntry = Math.min(firstEntry, Math.min(tr.entryTime(), tr.exitTime()));
            lastExit = Math.max(lastExit, tr.exitTime());
            weekends |= weekend(tr.entryTime()) || weekend(tr.exitTime());
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(trades.get(a).exitTime(), trades.get(b).exitTime()));
        for (int i = 0; i < exits.length; i++) {
            exits[i] = trades.get(order[i]).exitTime();
            pnl[i] = trades.get(order[i]).pnl();
        }
        List<Long> time = new ArrayList<>();
        List<Double> value = new ArrayList<>();
        double equity = capital;
        int k = 0;
        for (long t = Math.floorDiv(firstEntry, DAY) * DAY; ; t += DAY) {
            if (!weekends && weekend(t)) {
                continue;
            }
            while (k < exits.length && exits[k] <= t) {
                equity += pnl[k++];
            }
            time.add(t);
            value.add(equity);
            if (t >= lastExit && time.size() >= 2) {
                break;
            }
        }
        return new Curve(longs(time), doubles(value), null, null);
    }

    private static boolean weekend(long t) {
        DayOfWeek d = Instant.ofEpochSecond(t).atOffset(ZoneOffset.UTC).getDayOfWeek();
        return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
    }

    /** A trades file and an equity curve of different backtests share no time: refuse rather than mix them. */
    private static void requireOverlap(List<Trade> trades, String tradesSource, long[] time, String equitySource) {
        if (trades.isEmpty()) {
            return;
        }
        long first = Arrays.stream(time).min().getAsLong();
        long last = Arrays.stream(time).max().getAsLong();
        long entry = Long.MAX_VALUE;
        long exit = Long.MIN_VALUE;
        for (Trade t : trades) {
            if (t.exitTime() >= first && t.entryTime() <= last) {
                return;
            }
            entry = Math.min(entry, t.entryTime());
            exit = Math.max(exit, t.exitTime());
        }
        throw new BacktestFormatException(tradesSource + ": no trade falls within the equity curve of " + equitySource
                + ": the trades run " + Formats.time(entry) + " .. " + Formats.time(exit) + ", the curve "
                + Formats.time(first) + " .. " + Formats.time(last) + " (files of different backtests?)");
    }

    private static long[] longs(List<Long> xs) {
        return xs.stream().mapToLong(Long::longValue).toArray();
    }

    private static double[] doubles(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Cell text for a message: quoted, cut to 40 characters so a runaway cell can't flood the message. */
    static String shown(String text) {
        return "\"" + (text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text) + "\"";
    }

    /** A parsed CSV file: header names (lower case) and rows of the header's width, with messages at file:line. */
    private static final class Table {
        final String source;
        final String[] names;
        final long headerLine;
        final List<CsvRecord> rows = new ArrayList<>();

        Table(String text, String source, String example) {
            this(text, source, example, false);
        }

        /** @param headerOnly read the header alone (to tell which format a file is in before parsing it) */
        Table(String text, String source, String example, boolean headerOnly) {
            this.source = source;
            long line = 1;
            try (CsvReader<CsvRecord> csv = CsvReader.builder().ignoreDifferentFieldCount(true).skipEmptyLines(true)
                    .ofCsvRecord(text)) {
                CsvRecord header = null;
                for (CsvRecord r : csv) {
                    line = r.getStartingLineNumber();
                    if (header == null) {
                        header = r;
                        if (headerOnly) {
                            break;
                        }
                    } else {
                        rows.add(r);
                    }
                }
                if (header == null) {
                    throw new BacktestFormatException(source + ":1: the file is empty, expected a header row such as "
                            + example);
                }
                headerLine = header.getStartingLineNumber();
                names = new String[header.getFieldCount()];
                for (int i = 0; i < names.length; i++) {
                    String s = header.getField(i);
                    if (i == 0 && !s.isEmpty() && s.charAt(0) == '\uFEFF') {
                        s = s.substring(1); // Excel's byte order mark
                    }
                    names[i] = s.trim().toLowerCase(Locale.ROOT);
                }
            } catch (CsvParseException | UncheckedIOException e) {
                throw new BacktestFormatException(source + ": cannot read past line " + line + ": " + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a string reader does not fail to close
            }
            for (CsvRecord r : rows) {
                if (r.getFieldCount() != names.length) {
                    throw new BacktestFormatException(source + ":" + r.getStartingLineNumber() + ": expected "
                            + names.length + " cells as in the header, found " + r.getFieldCount());
                }
            }
        }

        /** Index of the first accepted name present, or −1; a name given twice is ambiguous, so an error. */
        int find(List<String> aliases) {
            for (String alias : aliases) {
                int at = -1;
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equals(alias)) {
                        if (at >= 0) {
                            throw new BacktestFormatException(source + ":" + headerLine + ": columns " + (at + 1)
                                    + " and " + (i + 1) + " of the header are both named '" + alias + "'");
                        }
                        at = i;
                    }
                }
                if (at >= 0) {
                    return at;
                }
            }
            return -1;
        }

        int require(List<String> aliases, String what) {
            int col = find(aliases);
            if (col < 0) {
                throw new BacktestFormatException(source + ":" + headerLine + ": no " + what + " column: the header "
                        + "is " + List.of(names) + ", accepted names for the " + what + " are "
                        + String.join(", ", aliases) + " (case-insensitive)");
            }
            return col;
        }

        BacktestFormatException error(CsvRecord r, int col, String reason) {
            return new BacktestFormatException(source + ":" + r.getStartingLineNumber() + ": column " + (col + 1)
                    + " (" + names[col] + ") " + reason);
        }

        long time(CsvRecord r, int col) {
            String s = r.getField(col).trim();
            if (s.isEmpty()) {
                throw error(r, col, "is empty: a time is required");
            }
            try {
                return Backtest.parseTime(s);
            } catch (DateTimeParseException e) {
                throw error(r, col, "is not a time: " + shown(s) + "; expected an ISO date (2024-01-02), date-time "
                        + "(2024-01-02T14:00:00Z) or epoch seconds");
            }
        }

        /** The cell as a number, NaN when missing (empty, NaN, NA, null). */
        double number(CsvRecord r, int col) {
            String s = r.getField(col).trim();
            if (s.isEmpty() || s.equalsIgnoreCase("nan") || s.equalsIgnoreCase("na") || s.equalsIgnoreCase("null")) {
                return Double.NaN;
            }
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw error(r, col, "is not a number: " + shown(s));
            }
            if (Double.isInfinite(v)) {
                throw error(r, col, "is not finite: " + shown(s));
            }
            return v;
        }
    }
}
