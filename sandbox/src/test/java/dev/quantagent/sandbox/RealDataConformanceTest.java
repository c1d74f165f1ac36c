package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Every operator node of every Alpha101 and Alpha158 formula against the reference implementation on real data, to
 * 1e-9 relative (1e-10 absolute). Opt-in, as it reads ../shared and takes about a quarter of an hour:
 *
 * <pre>mvn -pl sandbox test -Dtest=RealDataConformanceTest \
 *     -Dquantagent.realData=$PWD/../shared/data/all_stocks_5yr.csv.gz \
 *     -Dquantagent.realGroups=$PWD/../shared/data/sp500_sectors.csv</pre>
 *
 * The file is the long S&P 500 CSV (date, open, high, low, close, volume, Name); the groups file has a symbol column
 * and group columns. Read here by a few lines of test code, as the sandbox has no CSV reader of its own.
 */
@EnabledIfSystemProperty(named = "quantagent.realData", matches = ".+")
class RealDataConformanceTest {

    @Test
    void everyNodeOfEveryPublishedFormulaMatchesTheReferenceOnRealData() throws IOException {
        Panel panel = load(Path.of(System.getProperty("quantagent.realData")),
                System.getProperty("quantagent.realGroups"));
        Sandbox sandbox = new Sandbox(Limits.DEFAULT);
        List<PublishedFormulas.Formula> all = new ArrayList<>(PublishedFormulas.alpha101());
        all.addAll(PublishedFormulas.alpha158());
        List<String> failures = new ArrayList<>();
        for (PublishedFormulas.Formula published : all) {
            String formula = published.formula().replace("cap", "close");
            for (String g : List.of("industry", "subindustry", "sector")) {
                if (!panel.groupNames().contains(g)) {
                    formula = formula.replace("IndClass." + g, "IndClass.sector");
                }
            }
            failures.addAll(ReferenceEvaluator.nodesThatDiffer(panel, sandbox.parse(formula).expr(), 1e-9,
                    published.name()));
        }
        assertTrue(failures.isEmpty(), failures.size() + " nodes differ:\n" + String.join("\n", failures));
    }

    private static Panel load(Path csv, String groups) throws IOException {
        Map<String, Map<Long, double[]>> rows = new TreeMap<>();
        TreeSet<Long> dates = new TreeSet<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(csv)), StandardCharsets.UTF_8))) {
            String header = in.readLine();
            assertTrue(header.startsWith("date,open,high,low,close,volume,Name"), "unexpected header " + header);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] cell = line.split(",", -1);
                long day = LocalDate.parse(cell[0]).toEpochDay() * 86_400L;
                double[] v = new double[5];
                for (int i = 0; i < 5; i++) {
                    v[i] = cell[i + 1].isEmpty() ? Double.NaN : Double.parseDouble(cell[i + 1]);
                }
                rows.computeIfAbsent(cell[6], s -> new HashMap<>()).put(day, v);
                dates.add(day);
            }
        }
        long[] ds = dates.stream().mapToLong(Long::longValue).toArray();
        String[] symbols = rows.keySet().toArray(String[]::new);
        String[] fields = {"open", "high", "low", "close", "volume"};
        Panel.Builder b = Panel.builder(ds, symbols);
        for (int i = 0; i < fields.length; i++) {
            double[] col = new double[ds.length * symbols.length];
            for (int a = 0; a < symbols.length; a++) {
                Map<Long, double[]> byDate = rows.get(symbols[a]);
                for (int t = 0; t < ds.length; t++) {
                    double[] v = byDate.get(ds[t]);
                    col[a * ds.length + t] = v == null ? Double.NaN : v[i];
                }
            }
            b.field(fields[i], col);
        }
        if (groups != null) {
            List<String> lines = Files.readAllLines(Path.of(groups));
            String[] names = cells(lines.get(0));
            for (int g = 1; g < names.length; g++) {
                Map<String, String> label = new HashMap<>();
                for (String line : lines.subList(1, lines.size())) {
                    String[] cell = cells(line);
                    if (g < cell.length && !cell[g].isEmpty()) {
                        label.put(cell[0], cell[g]);
                    }
                }
                String[] perAsset = new String[symbols.length];
                for (int a = 0; a < symbols.length; a++) {
                    perAsset[a] = label.get(symbols[a]);
                }
                b.grouping(names[g], perAsset);
            }
        }
        return b.build();
    }

    /** Splits a CSV line on commas outside double quotes and unquotes the cells. */
    private static String[] cells(String line) {
        String[] cell = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
        for (int i = 0; i < cell.length; i++) {
            cell[i] = cell[i].replaceAll("^\"|\"$", "").replace("\"\"", "\"");
        }
        return cell;
    }
}
