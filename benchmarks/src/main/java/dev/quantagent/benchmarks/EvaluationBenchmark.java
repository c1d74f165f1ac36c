package dev.quantagent.benchmarks;

import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.PublishedFormulas;

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
 * Factor evaluation on the S&P 500 panel, one thread: {@code statistics} is the metrics alone (IC, rank IC,
 * quantiles, long-short after costs, autocorrelation, years, regimes for train and valid) on precomputed values;
 * {@code fullEvaluation} adds parsing and computing the formula. The panel, labels, label ranks and regimes are
 * prepared once, as when one call evaluates many formulas.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar EvaluationBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@State(Scope.Thread)
public class EvaluationBenchmark {

    /** Alpha#101 (element-wise only), #12 (deltas), #3 (two ranks and a correlation), #6 (one correlation). */
    @Param({"101", "12", "3", "6"})
    public int alpha;

    private Evaluation evaluation;
    private Evaluation.Workspace workspace;
    private Factor factor;
    private double[] values;

    @Setup(Level.Trial)
    public void setUp() {
        Panel panel = BenchmarkData.sp500OrRandom();
        evaluation = Evaluation.prepare(panel, EvaluationConfig.DEFAULT);
        workspace = evaluation.workspace();
        String formula = BenchmarkData.adapt(PublishedFormulas.alpha101().get(alpha - 1).formula(), panel);
        factor = evaluation.sandbox().parse(formula);
        values = workspace.values(factor).clone();
    }

    @Benchmark
    public FactorReport statistics() {
        return evaluation.evaluate(factor, values, workspace);
    }

    @Benchmark
    public FactorReport fullEvaluation() {
        return evaluation.evaluate(evaluation.sandbox().parse(factor.formula()), workspace);
    }
}
