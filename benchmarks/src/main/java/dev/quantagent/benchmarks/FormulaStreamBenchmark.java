package dev.quantagent.benchmarks;

import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.PublishedFormulas;
import dev.quantagent.sandbox.Sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
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
 * What users run: many different formulas in one JVM. Each operation is the next formula of a whole library (the
 * 101 Formulaic Alphas, the 158 Alpha158 features, or {@code mined}: the formulas an offline mining run on the S&P
 * 500 file tested, in the order it tested them), shuffled anew every iteration, so the score is the amortised time
 * per formula over the mix, with every formula's shape in the JIT's profiles, not one formula hot and alone in its
 * own fork ({@link Alpha101Benchmark}). {@code work}: {@code values} parses and evaluates the formula;
 * {@code statistics} also computes its train and valid statistics, as {@code eval} does.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar FormulaStreamBenchmark</pre>
 *
 * {@code -t 2} runs a stream per thread (each with its own workspace): the throughput of every core.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-XX:+UseParallelGC"})
@State(Scope.Thread)
public class FormulaStreamBenchmark {

    @Param({"alpha101", "alpha158", "mined"})
    public String library;

    @Param({"values", "statistics"})
    public String work;

    private Sandbox sandbox;
    private Evaluation evaluation;
    private Evaluation.Workspace ws;
    private List<String> formulas;
    private final Random shuffle = new Random(24);
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Panel panel = BenchmarkData.sp500OrRandom();
        evaluation = Evaluation.prepare(panel, EvaluationConfig.DEFAULT);
        sandbox = evaluation.sandbox();
        ws = evaluation.workspace();
        formulas = new ArrayList<>(switch (library) {
            case "alpha101" -> PublishedFormulas.alpha101().stream().map(f -> BenchmarkData.adapt(f.formula(), panel))
                    .toList();
            case "alpha158" -> PublishedFormulas.alpha158().stream().map(PublishedFormulas.Formula::formula).toList();
            case "mined" -> mined();
            default -> throw new IllegalArgumentException("library " + library);
        });
    }

    @Setup(Level.Iteration)
    public void shuffle() {
        Collections.shuffle(formulas, shuffle);
        next = 0;
    }

    @Benchmark
    public Object formula() {
        String f = formulas.get(next);
        next = next + 1 == formulas.size() ? 0 : next + 1;
        Factor factor = sandbox.parse(f);
        if (work.equals("values")) {
            return ws.values(factor);
        }
        FactorReport report = evaluation.evaluate(factor, ws);
        return report;
    }

    /** The recorded stream: one formula a line, as an offline mining run on the S&P 500 file tested them. */
    static List<String> mined() throws IOException {
        try (InputStream in = FormulaStreamBenchmark.class.getResourceAsStream("mined-formulas.txt")) {
            if (in == null) {
                throw new IllegalStateException("mined-formulas.txt is missing from the benchmarks jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
    }
}
