package dev.quantagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML pages opened in a real browser: headless Chromium loads each page from a file (nothing from the network),
 * runs its scripts, and the test reads back the DOM (every chart canvas must say it was drawn, no script error) and a
 * screenshot (the charts' blue must be on it). Skipped where no Chromium is installed; {@code .ci/run} installs one.
 * Screenshots stay in {@code target/screenshots} for a look.
 */
class BrowserRenderTest {

    @TempDir
    static Path dir;

    static String chromium;
    static String runId;
    static long factorId;

    @BeforeAll
    static void setUp() throws IOException {
        chromium = findChromium();
        assumeTrue(chromium != null, "no Chromium on this machine (set QUANTAGENT_CHROMIUM or install chromium)");
        CliRun r = CliRun.of("mine", "--kb", dir.resolve("kb").toString(), "--out", dir.resolve("run").toString(),
                "--rounds", "1", "--candidates-per-round", "4", "--steps-per-factor", "2", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode summary = new ObjectMapper().readTree(r.out());
        runId = summary.get("run").asText();
        factorId = summary.get("pool").get(0).get("id").asLong();
    }

    private static String findChromium() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("QUANTAGENT_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        for (String dirName : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome", "headless_shell")) {
                candidates.add(Path.of(dirName, name).toString());
            }
        }
        return candidates.stream().filter(c -> Files.isExecutable(Path.of(c))).findFirst().orElse(null);
    }

    @Test
    void aBacktestPageWithABenchmarkDrawsEveryChartInChromium() throws Exception {
        Path json = resource("btc-trend-v1.1.json");
        Path bench = resource("btc-benchmark-2023.csv");
        Path page = dir.resolve("analyze.html");
        CliRun r = CliRun.of("analyze", json.toString(), "--benchmark", bench.toString(), "--format", "html",
                "--out", page.toString());
        assertEquals(0, r.code(), r.err());
        assertRendersEveryChart(page, "analyze", 8);
    }

    @Test
    void aComparisonOfTwoBacktestsDrawsEveryChartInChromium() throws Exception {
        Path page = dir.resolve("compare.html");
        CliRun r = CliRun.of("analyze", resource("btc-trend-v1.1.json").toString(), "--trades",
                resource("btc-trend-v1.1-trades.csv").toString(), "--equity",
                resource("btc-trend-v1.1-equity.csv").toString(), "--asset-class", "crypto", "--format", "html",
                "--out", page.toString());
        assertEquals(0, r.code(), r.err());
        assertRendersEveryChart(page, "compare", 10);
    }

    @Test
    void aFactorPageDrawsEveryChartInChromium() throws Exception {
        Path page = dir.resolve("factor.html");
        CliRun r = CliRun.of("report", "--kb", dir.resolve("kb").toString(), "--factor", String.valueOf(factorId),
                "--format", "html", "--out", page.toString());
        assertEquals(0, r.code(), r.err());
        assertRendersEveryChart(page, "factor", 14);
    }

    @Test
    void aFormulaPageDrawsEveryChartInChromium() throws Exception {
        Path page = dir.resolve("formula.html");
        CliRun r = CliRun.of("report", "--formula", "-stddev(returns, 20)", "--format", "html", "--out",
                page.toString());
        assertEquals(0, r.code(), r.err());
        assertRendersEveryChart(page, "formula", 14);
    }

    @Test
    void aRunPageDrawsEveryChartInChromium() throws Exception {
        Path page = dir.resolve("run.html");
        CliRun r = CliRun.of("report", "--kb", dir.resolve("kb").toString(), "--run", runId, "--format", "html",
                "--out", page.toString());
        assertEquals(0, r.code(), r.err());
        assertRendersEveryChart(page, "run", 8);
    }

    @Test
    void aRunsPoolSignalPageDrawsEveryChartInChromium() throws Exception {
        Path page = dir.resolve("run").resolve("pool-signal.html");
        assumeTrue(Files.exists(page), "the run accepted no factor, so it has no pool signal");
        assertRendersEveryChart(page, "pool-signal", 14);
    }

    @Test
    void aSingleAssetsFactorPageDrawsItsEvaluationInTimeInChromium() throws Exception {
        Path one = dir.resolve("one-asset.csv.gz");
        assertEquals(0, CliRun.of("data", "synth", "--assets", "1", "--out", one.toString()).code());
        Path page = dir.resolve("in-time.html");
        CliRun r = CliRun.of("report", "--data", one.toString(), "--formula", "-ts_sum(returns, 5)", "--format",
                "html", "--out", page.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(page).contains("Evaluation: in time"));
        assertRendersEveryChart(page, "in-time", 2);
    }

    /** Loads the page in Chromium; checks the drawn DOM and a screenshot. */
    private static void assertRendersEveryChart(Path page, String name, int atLeastCharts) throws Exception {
        String dom = chromium(page, "--dump-dom");
        // the attribute forms: the page's own script text names these attributes too
        assertFalse(dom.contains("data-script-error=\""), name + ": a script failed: " + attribute(dom,
                "data-script-error"));
        assertFalse(dom.contains("data-error=\""), name + ": a chart failed: " + attribute(dom, "data-error"));
        int canvases = count(dom, "<canvas");
        int drawn = count(dom, "data-drawn=\"yes\"");
        assertTrue(canvases >= atLeastCharts, name + ": expected at least " + atLeastCharts + " charts, page has "
                + canvases);
        assertEquals(canvases, drawn, name + ": every canvas is drawn");

        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        Path png = shots.resolve(name + ".png").toAbsolutePath();
        Files.deleteIfExists(png);
        // tall enough for a tear sheet's charts and first tables
        chromium(page, "--screenshot=" + png, "--window-size=1280," + (atLeastCharts > 10 ? 5200 : 2400),
                "--hide-scrollbars");
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null, name + ": no screenshot written");
        // the charts' lines and bars use LINE #1565c0 and POS #2e7d32; text and tables never do
        int chartPixels = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                chartPixels += near(rgb, 0x1565c0) || near(rgb, 0x2e7d32) ? 1 : 0;
            }
        }
        assertTrue(chartPixels > 500, name + ": the screenshot shows almost no chart ink (" + chartPixels + " px)");
    }

    private static boolean near(int rgb, int colour) {
        int dr = ((rgb >> 16) & 0xFF) - ((colour >> 16) & 0xFF);
        int dg = ((rgb >> 8) & 0xFF) - ((colour >> 8) & 0xFF);
        int db = (rgb & 0xFF) - (colour & 0xFF);
        return dr * dr + dg * dg + db * db < 40 * 40;
    }

    /** Runs headless Chromium on the page with background networking off; returns what it printed. */
    private static String chromium(Path page, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps",
                "--user-data-dir=" + Files.createTempDirectory(dir, "profile"), "--virtual-time-budget=10000"));
        cmd.addAll(List.of(args));
        cmd.add(page.toUri().toString());
        Path log = Files.createTempFile(dir, "chromium", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Chromium did not finish in 120 s on " + page);
        }
        assertEquals(0, p.exitValue(), "Chromium failed on " + page + ": " + Files.readString(log));
        return new String(out, StandardCharsets.UTF_8);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    private static String attribute(String dom, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(dom);
        return m.find() ? m.group(1) : "";
    }

    private static Path resource(String name) throws IOException {
        Path f = dir.resolve(name);
        if (!Files.exists(f)) {
            try (InputStream in = BrowserRenderTest.class.getResourceAsStream("/backtests/" + name)) {
                Files.copy(in, f);
            }
        }
        return f;
    }
}
