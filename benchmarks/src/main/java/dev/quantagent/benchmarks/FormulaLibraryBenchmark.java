package dev.quantagent.benchmarks;

import dev.quantagent.sandbox.FactorEvaluator;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.PublishedFormulas;
import dev.quantagent.sandbox.Sandbox;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse + evaluate of a whole published library per call (all 101 alphas, or all 158 Alpha158 features) on the
 * S&P 500 panel, one thread: divide by the library size for the mean time per formula.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar FormulaLibraryBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@State(Scope.Thread)
public class FormulaLibraryBenchmark {

    private Sandbox sandbox;
    private Panel panel;
    private FactorEvaluator evaluator;
    private double[] out;
    private List<String> alpha101;
    private List<String> alpha158;

    @Setup(Level.Trial)
    public void setUp() {
        sandbox = new Sandbox(Limits.DEFAULT);
        panel = BenchmarkData.sp500OrRandom();
        evaluator = sandbox.evaluator(panel);
        out = new double[panel.cells()];
        alpha101 = PublishedFormulas.alpha101().stream().map(f -> BenchmarkData.adapt(f.formula(), panel)).toList();
        alpha158 = PublishedFormulas.alpha158().stream().map(PublishedFormulas.Formula::formula).toList();
    }

    @Benchmark
    public double allAlpha101() {
        return evaluateAll(alpha101);
    }

    @Benchmark
    public double allAlpha158() {
        return evaluateAll(alpha158);
    }

    private double evaluateAll(List<String> formulas) {
        double check = 0;
        for (String f : formulas) {
            evaluator.evaluate(sandbox.parse(f), out, null);
            check += out[out.length / 2];
        }
        return check;
    }
}
