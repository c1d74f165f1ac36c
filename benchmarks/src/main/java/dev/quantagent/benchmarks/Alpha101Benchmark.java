package dev.quantagent.benchmarks;

import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FactorEvaluator;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.PublishedFormulas;
import dev.quantagent.sandbox.Sandbox;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse + evaluate of each "101 Formulaic Alphas" formula on the S&P 500 panel (505 x 1,259), one thread (one
 * core); the target is a median under 15 ms. Derived fields (returns, vwap, adv{d}) are cached on the panel, as in
 * a mining run where thousands of formulas share one panel.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar Alpha101Benchmark -rf json -rff alpha101.json</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@State(Scope.Thread)
public class Alpha101Benchmark {

    @Param({"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19",
            "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33", "34", "35", "36", "37",
            "38", "39", "40", "41", "42", "43", "44", "45", "46", "47", "48", "49", "50", "51", "52", "53", "54", "55",
            "56", "57", "58", "59", "60", "61", "62", "63", "64", "65", "66", "67", "68", "69", "70", "71", "72", "73",
            "74", "75", "76", "77", "78", "79", "80", "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91",
            "92", "93", "94", "95", "96", "97", "98", "99", "100", "101"})
    public int alpha;

    private Sandbox sandbox;
    private Panel panel;
    private FactorEvaluator evaluator;
    private double[] out;
    private String formula;

    @Setup(Level.Trial)
    public void setUp() {
        sandbox = new Sandbox(Limits.DEFAULT);
        panel = BenchmarkData.sp500OrRandom();
        evaluator = sandbox.evaluator(panel);
        out = new double[panel.cells()];
        formula = PublishedFormulas.alpha101().get(alpha - 1).formula();
        formula = BenchmarkData.adapt(formula, panel);
    }

    @Benchmark
    public double[] perAlpha101() {
        Factor f = sandbox.parse(formula);
        evaluator.evaluate(f, out, null);
        return out;
    }
}
