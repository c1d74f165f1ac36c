package dev.quantagent.cli;

import dev.quantagent.cli.QuantAgentCli.UserError;
import dev.quantagent.evaluator.data.bybit.BybitClient;
import dev.quantagent.evaluator.data.bybit.BybitCsv;
import dev.quantagent.evaluator.data.bybit.FundingRate;
import dev.quantagent.evaluator.data.bybit.Kline;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bybit", sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Download Bybit candles (klines) and funding rates into a long CSV.",
            "",
            "Reads Bybit's public v5 market API (no API key) and writes one long CSV: "
                    + "timestamp,symbol,open,high,low,close,volume,turnover[,funding_rate], ISO-8601 UTC open times, "
                    + "sorted by symbol then time, values exactly as Bybit sends them.",
            "",
            "With --funding (category linear only) the funding_rate column holds each funding settlement's rate on "
                    + "the row whose open time equals the settlement time, and is empty on every other row. Most "
                    + "contracts settle every 8 hours, so an interval of 60, 120 or 240 shows every settlement; "
                    + "with D only the 00:00 one.",
            "",
            "Rate limits (HTTP 429, retCode 10006), server errors (5xx) and network errors are retried up to 5 "
                    + "times with exponential backoff, honouring Retry-After. Progress goes to stderr.",
            "",
            "Example: quantagent data bybit --symbol BTCUSDT,ETHUSDT --interval 60 --start 2024-01-01 "
                    + "--end 2024-03-01 --category linear --funding --out bybit.csv.gz",
            ""})
final class BybitCommand implements Callable<Integer> {

    private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9][A-Z0-9._-]*");

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--symbol", required = true, split = ",", paramLabel = "SYMBOL",
            description = "Symbols, comma-separated, e.g. BTCUSDT,ETHUSDT (case-insensitive).")
    private List<String> symbols;

    @Option(names = "--interval", required = true, paramLabel = "INTERVAL",
            description = "Candle length: 1, 3, 5, 15, 30, 60, 120, 240, 360 or 720 minutes, D, W or M.")
    private String interval;

    @Option(names = "--start", required = true, paramLabel = "DATE",
            description = "Start, inclusive: YYYY-MM-DD (midnight UTC) or an instant such as 2024-01-01T08:00:00Z.")
    private String start;

    @Option(names = "--end", required = true, paramLabel = "DATE",
            description = "End, exclusive (same forms): --start 2024-01-01 --end 2024-03-01 is January and February.")
    private String end;

    @Option(names = "--category", defaultValue = "spot", paramLabel = "CATEGORY",
            description = "spot or linear (USDT/USDC perpetuals and futures). Default: ${DEFAULT-VALUE}.")
    private String category;

    @Option(names = "--funding", description = "Add the funding_rate column (needs --category linear), see above.")
    private boolean funding;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Output CSV, gzip-compressed when named *.gz; replaced only once complete.")
    private Path out;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "API base URL. Default: $BYBIT_BASE_URL if set, else " + BybitClient.DEFAULT_BASE_URL + ".")
    private String baseUrl;

    @Override
    public Integer call() throws Exception {
        // Every check comes before the first request, so a typo costs nothing.
        List<String> names = symbols();
        if (!BybitClient.INTERVALS.contains(interval)) {
            throw new UserError("--interval: unknown interval '" + interval + "', expected one of "
                    + String.join(" ", BybitClient.INTERVALS) + " (minutes, or D, W, M for day, week, month)");
        }
        if (!BybitClient.CATEGORIES.contains(category)) {
            throw new UserError("--category: unknown category '" + category + "', expected spot or linear");
        }
        if (funding && !category.equals("linear")) {
            throw new UserError("--funding: funding rates exist for perpetual contracts only; add --category linear");
        }
        Instant from = instant("--start", start);
        Instant to = instant("--end", end);
        if (!from.isBefore(to)) {
            throw new UserError("--start " + start + " is not before --end " + end + " (the end is exclusive)");
        }
        BybitClient client = new BybitClient(baseUri());

        PrintWriter err = spec.commandLine().getErr();
        Map<String, List<Kline>> klines = new LinkedHashMap<>();
        Map<String, List<FundingRate>> rates = funding ? new LinkedHashMap<>() : null;
        long total = 0;
        for (String symbol : names) {
            List<Kline> k = client.klines(category, symbol, interval, from, to,
                    n -> err.printf(Locale.ROOT, "%s: %,d klines so far%n", symbol, n));
            if (k.isEmpty()) {
                err.printf(Locale.ROOT, "%s: warning: Bybit has no %s klines from %s to %s%n", symbol, category,
                        from, to);
            }
            klines.put(symbol, k);
            total += k.size();
            if (funding) {
                List<FundingRate> f = client.fundingRates(symbol, from, to,
                        n -> err.printf(Locale.ROOT, "%s: %,d funding rates so far%n", symbol, n));
                rates.put(symbol, f);
                err.printf(Locale.ROOT, "%s: %,d of %,d funding rates fall on a kline open time%n", symbol,
                        onKlines(f, k), f.size());
            }
        }
        if (total == 0) {
            throw new UserError("Bybit has no " + category + " klines for " + String.join(",", names) + " from "
                    + from + " to " + to + "; nothing written");
        }
        long rows = BybitCsv.write(out, klines, rates);
        err.printf(Locale.ROOT, "wrote %,d rows for %d symbol%s to %s%n", rows, names.size(),
                names.size() == 1 ? "" : "s", out);
        return 0;
    }

    /** Symbols upper-cased (Bybit's spelling), blanks and repeats dropped, checked so that none can bend a URL. */
    private List<String> symbols() {
        Set<String> names = new LinkedHashSet<>();
        for (String s : symbols) {
            String name = s.trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!SYMBOL.matcher(name).matches()) {
                throw new UserError("--symbol: '" + s.trim() + "' is not a Bybit symbol (letters, digits, '-', '.', "
                        + "'_'), e.g. BTCUSDT");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new UserError("--symbol: no symbols given, e.g. --symbol BTCUSDT,ETHUSDT");
        }
        return new ArrayList<>(names);
    }

    private URI baseUri() {
        String url = baseUrl;
        String option = "--base-url";
        if (url == null) {
            url = System.getenv("BYBIT_BASE_URL");
            option = "BYBIT_BASE_URL";
        }
        if (url == null || url.isBlank()) {
            url = BybitClient.DEFAULT_BASE_URL;
        }
        try {
            URI uri = new URI(url.trim());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(url, "not an http(s)://host URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UserError(option + ": '" + url + "' is not a URL such as " + BybitClient.DEFAULT_BASE_URL);
        }
    }

    /** A date (midnight UTC) or an ISO instant with Z or an offset. */
    static Instant instant(String option, String text) {
        String t = text.trim();
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException e) {
            throw new UserError(option + ": cannot read the date '" + text + "', expected YYYY-MM-DD (midnight UTC) "
                    + "or an instant such as 2024-01-01T08:00:00Z");
        }
    }

    private static long onKlines(List<FundingRate> rates, List<Kline> klines) {
        Set<Long> opens = new HashSet<>();
        for (Kline k : klines) {
            opens.add(k.openTime());
        }
        return rates.stream().filter(f -> opens.contains(f.time())).count();
    }
}
