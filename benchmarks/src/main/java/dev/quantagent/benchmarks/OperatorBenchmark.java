package dev.quantagent.benchmarks;

import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FactorEvaluator;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
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
 * One operator over the S&P 500 panel (505 x 1,259), one thread: the kernels that a median Alpha101 formula spends
 * its time in, each on a field (fields are cached on the panel, so the figure is the operator's own cost). The
 * near-tie input ({@code rank(delta(close, 1))}, which includes the delta) takes rank's slower path.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar OperatorBenchmark -p operator=rank,ts_min</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@State(Scope.Thread)
public class OperatorBenchmark {

    /** Named by operator, so that {@code -p operator=ts_min,rank} picks them (JMH splits values at commas). */
    @Param({"rank", "rank_near_ties", "correlation", "correlation_short", "covariance", "covariance_short",
            "ts_rank", "ts_sum", "stddev", "decay_linear", "ts_min", "ts_max", "ts_argmax", "delta", "indneutralize",
            "multiply"})
    public String operator;

    private Sandbox sandbox;
    private FactorEvaluator evaluator;
    private double[] out;
    private Factor factor;

    @Setup(Level.Trial)
    public void setUp() {
        sandbox = new Sandbox(Limits.DEFAULT);
        Panel panel = BenchmarkData.sp500OrRandom();
        evaluator = sandbox.evaluator(panel);
        out = new double[panel.cells()];
        factor = sandbox.parse(formula(operator));
        evaluator.evaluate(factor, out, null); // derives returns and vwap once, as a mining run's first formula does
    }

    static String formula(String operator) {
        return switch (operator) {
            case "rank" -> "rank(close)";
            case "rank_near_ties" -> "rank(delta(close, 1))";
            case "correlation" -> "correlation(close, volume, 10)";
            case "correlation_short" -> "correlation(close, volume, 3)"; // short windows: summed lag by lag
            case "covariance" -> "covariance(close, volume, 5)";
            case "covariance_short" -> "covariance(close, volume, 3)";
            case "ts_rank" -> "ts_rank(close, 10)";
            case "ts_sum" -> "ts_sum(volume, 5)";
            case "stddev" -> "stddev(returns, 20)";
            case "decay_linear" -> "decay_linear(close, 10)";
            case "ts_min" -> "ts_min(close, 10)";
            case "ts_max" -> "ts_max(close, 10)";
            case "ts_argmax" -> "ts_argmax(close, 10)";
            case "delta" -> "delta(close, 1)";
            case "indneutralize" -> "indneutralize(close, IndClass.sector)";
            case "multiply" -> "close * volume";
            default -> throw new IllegalArgumentException("no benchmark formula for operator " + operator);
        };
    }

    @Benchmark
    public double[] evaluate() {
        evaluator.evaluate(factor, out, null);
        return out;
    }
}
