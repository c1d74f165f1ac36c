package dev.quantagent.benchmarks;

import dev.quantagent.knowledge.Embedder;
import dev.quantagent.knowledge.Embedders;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.Filter;
import dev.quantagent.knowledge.HashingEmbedder;
import dev.quantagent.knowledge.Hit;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Knowledge base budgets: insert with embedding (real model and hashing fake) ≤ 10 ms, top-10 semantic search over
 * 100,000 factors ≤ 20 ms, exact duplicate lookup ≤ 1 ms, opening a 100,000-factor KB ≤ 2 s. The 100,000 factors are
 * bulk-loaded once with the hashing embedder (the search cost does not depend on which model made the vectors).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Benchmark)
public class KnowledgeBaseBenchmark {

    private static final String[] WORDS = {"momentum", "reversal", "volume", "volatility", "liquidity", "trend",
        "mean", "spread", "close", "open", "range", "breakout", "value", "quality", "size", "carry"};

    @Param({"100000"})
    public int factors;

    private Path dir;
    private KnowledgeBase kb;
    private KnowledgeBase fresh;
    private Path freshDir;
    private Supplier<Embedder> miniLm;
    private KnowledgeBase realKb;
    private Path realDir;
    private String knownHash;
    private int n;
    private final Sandbox sandbox = new Sandbox(Limits.DEFAULT);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("kb-bench");
        try (KnowledgeBase b = KnowledgeBase.open(dir, HashingEmbedder::new)) {
            List<FactorRecord> batch = new ArrayList<>();
            for (int i = 0; i < factors; i++) {
                batch.add(record(i));
                if (batch.size() == 5000) {
                    b.insertAll(batch);
                    batch.clear();
                }
            }
            b.insertAll(batch);
        }
        knownHash = record(1234).hash();
        kb = KnowledgeBase.open(dir, HashingEmbedder::new);
        kb.search("warm up the vector index", 10, Filter.ANY);
        freshDir = Files.createTempDirectory("kb-bench-insert");
        fresh = KnowledgeBase.open(freshDir, HashingEmbedder::new);
        realDir = Files.createTempDirectory("kb-bench-real");
        miniLm = Embedders.lazy(dev.quantagent.knowledge.MiniLmEmbedder::new);
        realKb = KnowledgeBase.open(realDir, miniLm);
        realKb.insert(record(0));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        kb.close();
        fresh.close();
        realKb.close();
        for (Path d : new Path[] {dir, freshDir, realDir}) {
            BenchmarkData.deleteTree(d);
        }
    }

    private FactorRecord record(int i) {
        String formula = "rank(ts_mean(close, " + (2 + i % 200) + ")) * ts_std(volume, " + (2 + i / 200 % 500) + ")";
        Factor f = sandbox.parse(formula);
        String hypothesis = WORDS[i % WORDS.length] + " " + WORDS[(i / 16) % WORDS.length] + " "
                + WORDS[(i / 256) % WORDS.length] + " factor number " + i;
        return FactorRecord.builder(f).name("f" + i).hypothesis(hypothesis).dataset("bench").build();
    }

    @Benchmark
    public long insertWithHashingEmbedding() {
        return fresh.insert(record(n++));
    }

    @Benchmark
    public long insertWithMiniLmEmbedding() {
        return realKb.insert(record(n++));
    }

    @Benchmark
    public List<Hit> semanticTop10Of100k() {
        return kb.search("volume confirmed momentum", 10, Filter.ANY);
    }

    @Benchmark
    public List<FactorRecord> exactDuplicateLookup() {
        return kb.byHash(knownHash);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public long open100k() {
        kb.close();
        kb = KnowledgeBase.open(dir, HashingEmbedder::new);
        return kb.count();
    }
}
