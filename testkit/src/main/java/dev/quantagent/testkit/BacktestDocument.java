package dev.quantagent.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hand-built backtest documents (the analyze input) for tests: a curve from given returns and trades on given days.
 * Self-typed, so that a test's own fixture can add what needs the assistant's classes and keep the chained calls.
 */
public class BacktestDocument<F extends BacktestDocument<F>> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public final ObjectNode doc = MAPPER.createObjectNode();
    public final List<LocalDate> days = new ArrayList<>();

    /** A backtest whose curve starts at 10,000 and moves by the given period returns on consecutive days. */
    public BacktestDocument(String strategy, String assetClass, boolean weekends, double[] returns) {
        doc.put("strategy", strategy);
        doc.put("type", "test");
        doc.put("asset_class", assetClass);
        LocalDate d = LocalDate.of(2024, 1, 1); // a Monday
        ArrayNode curve = doc.putArray("equity_curve");
        double equity = 10_000;
        for (int i = 0; i <= returns.length; i++) {
            while (!weekends && (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY)) {
                d = d.plusDays(1);
            }
            if (i > 0) {
                equity *= 1 + returns[i - 1];
            }
            days.add(d);
            ObjectNode p = curve.addObject();
            p.put("time", d.toString());
            p.put("equity", equity);
            d = d.plusDays(1);
        }
        ObjectNode period = doc.putObject("period");
        period.put("start", days.get(0).toString());
        period.put("end", days.get(days.size() - 1).toString());
        doc.putArray("trades");
        doc.put("fees_bps", 1);
        doc.put("slippage_bps", 1);
    }

    /** A one-day trade entered on curve day {@code day}. */
    public F trade(int day, double ret) {
        ObjectNode t = ((ArrayNode) doc.get("trades")).addObject();
        t.put("entry_time", days.get(day).toString());
        t.put("exit_time", days.get(day + 1).toString());
        t.put("symbol", "AAA");
        t.put("direction", "long");
        t.put("entry_price", 100);
        t.put("exit_price", 100 * (1 + ret));
        t.put("quantity", 10);
        t.put("pnl", 1000 * ret);
        t.put("return", ret);
        return self();
    }

    /** n one-day trades spread over the curve: 3 of every 5 win 2%, the others lose 1% (profit factor 3). */
    public F trades(int n) {
        int step = Math.max(1, (days.size() - 2) / n);
        for (int i = 0; i < n; i++) {
            trade(Math.min(i * step, days.size() - 2), i % 5 < 3 ? 0.02 : -0.01);
        }
        return self();
    }

    public F set(String field, Object value) {
        doc.putPOJO(field, value);
        return self();
    }

    /** The trades as a trades CSV (the JSON field names as headers). */
    public String tradesCsv() {
        StringBuilder sb = new StringBuilder("entry_time,exit_time,symbol,direction,entry_price,exit_price,quantity,"
                + "pnl,return\n");
        for (com.fasterxml.jackson.databind.JsonNode t : doc.get("trades")) {
            for (String f : List.of("entry_time", "exit_time", "symbol", "direction", "entry_price", "exit_price",
                    "quantity", "pnl")) {
                sb.append(t.get(f).asText()).append(',');
            }
            sb.append(t.get("return").asText()).append('\n');
        }
        return sb.toString();
    }

    /** The equity curve as an equity CSV. */
    public String equityCsv() {
        StringBuilder sb = new StringBuilder("date,equity\n");
        for (com.fasterxml.jackson.databind.JsonNode p : doc.get("equity_curve")) {
            sb.append(p.get("time").asText()).append(',').append(p.get("equity").asText()).append('\n');
        }
        return sb.toString();
    }

    public String json() {
        return doc.toString();
    }

    /** Normal-ish daily returns with the given mean and standard deviation, from a fixed seed. */
    public static double[] noisy(int n, double mean, double sd, long seed) {
        Random rnd = new Random(seed);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = mean + sd * rnd.nextGaussian();
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private F self() {
        return (F) this;
    }
}
