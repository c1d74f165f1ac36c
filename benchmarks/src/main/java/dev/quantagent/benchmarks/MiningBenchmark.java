package dev.quantagent.benchmarks;

import dev.quantagent.agents.JudgePolicy;
import dev.quantagent.agents.MiningConfig;
import dev.quantagent.agents.MiningRun;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.knowledge.Embedders;
import dev.quantagent.knowledge.HashingEmbedder;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.sandbox.Panel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Mining with the offline Writer and the rule Judge on the S&P 500 panel (or a random one of its shape): one outer
 * round of {@code candidates} ideas, each up to {@code steps} Writer-evaluate-Judge steps, on {@code threads}
 * threads. The auxiliary counters report the time per factor tested ({@code factorsTested}, ms; 60,000 divided by it
 * is factors per minute) and the best valid rank IC reached ({@code bestValidRankIc}), so speed and quality are tuned
 * with one command:
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar MiningBenchmark -p threads=1,2 -p steps=2,4</pre>
 *
 * By default the knowledge base uses the hashing embedder, so the figures measure mining, not the MiniLM model
 * (whose insert cost is measured by {@code KnowledgeBaseBenchmark}); {@code -p embedder=minilm} embeds every record
 * with the model, as {@code mine} does: the end-to-end rate. Every invocation mines under a data key of its own, so the
 * factors of earlier ones are neither duplicates (skipped unevaluated) nor retrieved, and the time per factor does
 * not drift down over the iterations.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-XX:+UseParallelGC"})
@State(Scope.Benchmark)
public class MiningBenchmark {

    @Param({"20"})
    public int candidates;

    @Param({"4"})
    public int steps;

    @Param({"2"})
    public int threads;

    /** hashing (feature hashing, no model) or minilm (the model {@code mine} embeds with). */
    @Param({"hashing"})
    public String embedder;

    private Evaluation evaluation;
    private KnowledgeBase kb;
    private Path dir;
    private int runs;

    /** Factors tested, normalised like the benchmark itself: the time per factor tested. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Found {
        public long factorsTested;

        @Setup(Level.Iteration)
        public void clear() {
            factorsTested = 0;
        }
    }

    /**
     * The best valid rank IC the rounds of an iteration reached, averaged over the measurement iterations. JMH sums
     * event counters over iterations, so each iteration reports its best divided by their number.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Quality {
        public double bestValidRankIc;
        private double best;
        private int iterations;

        @Setup(Level.Iteration)
        public void clear(BenchmarkParams params) {
            best = 0;
            bestValidRankIc = 0;
            iterations = params.getMeasurement().getCount();
        }

        void reached(double rankIc) {
            best = Math.max(best, rankIc);
            bestValidRankIc = best / iterations;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Panel panel = BenchmarkData.sp500OrRandom();
        evaluation = Evaluation.prepare(panel, EvaluationConfig.DEFAULT);
        dir = Files.createTempDirectory("quantagent-mining-bench");
        kb = KnowledgeBase.open(dir, embedder.equals("minilm") ? Embedders.miniLm() : HashingEmbedder::new);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        kb.close();
        BenchmarkData.deleteTree(dir);
    }

    @Benchmark
    public MiningRun outerRound(Found found, Quality quality) {
        MiningConfig config = new MiningConfig(1, candidates, steps, ++runs, null, JudgePolicy.DEFAULT);
        // a data key of its own: factors of earlier iterations are neither duplicates nor retrieved
        MiningRun run = MiningRun.start("bench-" + runs, evaluation, kb, "bench-" + runs, config);
        long[] tested = {0};
        double[] best = {Double.NaN};
        run.mine(s -> {
            tested[0] = s.trials();
            best[0] = s.bestRankIc();
        }, threads);
        found.factorsTested += tested[0];
        if (best[0] == best[0]) {
            quality.reached(best[0]);
        }
        return run;
    }

    @Benchmark
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 5)
    public MiningRun innerLoop(Found found) {
        MiningConfig config = new MiningConfig(1, 1, steps, ++runs, null, JudgePolicy.DEFAULT);
        MiningRun run = MiningRun.start("bench-" + runs, evaluation, kb, "bench-" + runs, config);
        long[] tested = {0};
        run.mine(s -> tested[0] = s.trials(), 1);
        found.factorsTested += tested[0];
        return run;
    }
}
