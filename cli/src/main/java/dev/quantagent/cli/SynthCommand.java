package dev.quantagent.cli;

import dev.quantagent.evaluator.synth.SyntheticMarket;
import dev.quantagent.evaluator.synth.SyntheticMarket.Config;
import dev.quantagent.evaluator.synth.SyntheticMarket.PlantedAlpha;
import dev.quantagent.sandbox.Panel;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "synth", usageHelpAutoWidth = true,
        description = {"Write the embedded synthetic market as long CSV "
                + "(date,symbol,open,high,low,close,volume,vwap,cap; full double precision).",
                "A seeded multi-factor simulation (business days from 2015-01-02, fat tails, volatility clustering, "
                        + "bull and bear regimes, 8 sectors) with three weak alphas planted in it, listed when it "
                        + "is written; the same seed always writes the same bytes. The model is described in "
                        + "evaluator/README.md."})
final class SynthCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Output CSV; gzip-compressed when the name ends in .gz.")
    private Path out;

    @Option(names = "--assets", paramLabel = "N",
            description = "Number of assets, 1 to " + Config.MAX_ASSETS + " (default: ${DEFAULT-VALUE}).")
    private int assets = Config.DEFAULT.assets();

    @Option(names = "--days", paramLabel = "T",
            description = "Number of business days, 1 to " + Config.MAX_DAYS + " (default: ${DEFAULT-VALUE}, three "
                    + "years).")
    private int days = Config.DEFAULT.days();

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed = Config.DEFAULT.seed();

    @Option(names = "--groups-out", paramLabel = "FILE",
            description = "Also write symbol,sector,industry,subindustry (for --groups); gzip when it ends in .gz.")
    private Path groupsOut;

    @Override
    public Integer call() {
        Config config = config();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        for (Path file : groupsOut == null ? List.of(out) : List.of(out, groupsOut)) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) { // a missing folder is created
                Output.check(file == out ? "--out" : "--groups-out", file); // before the market is generated
            }
        }
        Panel panel = SyntheticMarket.generate(config);
        long generated = System.nanoTime();
        writeCsv("--out", out, csv -> writeBars(panel, csv));
        err.printf(Locale.ROOT, "wrote %,d rows (%d assets x %d days, %s to %s, seed %d) to %s"
                        + " [generate %.0f ms, write %.0f ms]%n", panel.cells(), panel.assetCount(),
                panel.dateCount(), panel.dateLabel(0), panel.dateLabel(panel.dateCount() - 1), seed, out,
                (generated - started) / 1e6, (System.nanoTime() - generated) / 1e6);
        if (groupsOut != null) {
            writeCsv("--groups-out", groupsOut, csv -> writeGroups(panel, csv));
            err.printf(Locale.ROOT, "wrote the sector, industry and subindustry of %d symbols to %s%n",
                    panel.assetCount(), groupsOut);
        }
        StringBuilder planted = new StringBuilder("planted alphas (mean daily rank IC about):");
        for (PlantedAlpha a : SyntheticMarket.plantedAlphas()) {
            planted.append(String.format(Locale.ROOT, "%n  %-62s %.3f  %s", a.formula(), a.intendedIc(), a.name()));
        }
        err.println(planted);
        return 0;
    }

    /** The config, or a usage error (exit code 2) naming the option that is out of range. */
    private Config config() {
        if (assets < 1 || assets > Config.MAX_ASSETS) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--assets': must be between 1 "
                    + "and " + Config.MAX_ASSETS + ", got " + assets);
        }
        if (days < 1 || days > Config.MAX_DAYS) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--days': must be between 1 "
                    + "and " + Config.MAX_DAYS + ", got " + days);
        }
        try {
            return new Config(assets, days, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid --assets and --days: " + e.getMessage());
        }
    }

    private static void writeBars(Panel panel, CsvWriter csv) {
        csv.writeRecord("date", "symbol", "open", "high", "low", "close", "volume", "vwap", "cap");
        String[] fields = {"open", "high", "low", "close", "volume", "vwap", "cap"};
        double[][] columns = new double[fields.length][];
        for (int f = 0; f < fields.length; f++) {
            columns[f] = panel.column(fields[f]);
        }
        int dates = panel.dateCount();
        String[] dateLabels = new String[dates];
        for (int t = 0; t < dates; t++) {
            dateLabels[t] = panel.dateLabel(t);
        }
        String[] row = new String[2 + fields.length];
        // Grouped by symbol, dates ascending: the order readers handle fastest and people scan most easily.
        for (int a = 0; a < panel.assetCount(); a++) {
            row[1] = panel.symbol(a);
            for (int t = 0; t < dates; t++) {
                row[0] = dateLabels[t];
                for (int f = 0; f < fields.length; f++) {
                    row[2 + f] = number(columns[f][a * dates + t]);
                }
                csv.writeRecord(row);
            }
        }
    }

    private static void writeGroups(Panel panel, CsvWriter csv) {
        csv.writeRecord("symbol", "sector", "industry", "subindustry");
        for (int a = 0; a < panel.assetCount(); a++) {
            csv.writeRecord(panel.symbol(a), panel.groupOf("sector", a), panel.groupOf("industry", a),
                    panel.groupOf("subindustry", a));
        }
    }

    /**
     * Exact text of a value: whole numbers (volume) without a fraction or exponent, anything else as
     * {@link Double#toString}, the shortest text that reads back to the same double.
     */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) { // -0.0 keeps its sign
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private interface Rows {
        void write(CsvWriter csv) throws IOException;
    }

    /** Writes the file whole or not at all, creating its folder. */
    private static void writeCsv(String option, Path file, Rows rows) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw Output.cannotWrite(option, file, e);
        }
        Output.write(option, file, w -> {
            CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(w);
            rows.write(csv);
            csv.flush();
        });
    }
}
