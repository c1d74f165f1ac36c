package dev.quantagent.agents;

import dev.quantagent.agents.CandidateLoop.Step;
import dev.quantagent.agents.MiningRun.PoolEntry;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.knowledge.Filter;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.knowledge.RunStatus;
import dev.quantagent.llm.Cancelled;
import dev.quantagent.sandbox.SubexpressionCache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The run's rounds: candidates explored on worker threads, merged in order, the time budget, Ctrl-C, the time mined.
 */
final class RoundScheduler {

    private final MiningConfig config;
    private final Evaluation evaluation;
    private final KnowledgeBase kb;
    private final String datasetKey;
    private final AcceptedPool pool;
    private final WriterRetrieval retrieval;
    private final CandidateLoop candidates;
    private final CandidateRecorder recorder;
    /** The run's own workspace (the merge's, and the only explorer's with one thread). */
    private final Evaluation.Workspace ws;
    private final SubexpressionCache cache;
    /** Saves the run with a status (not ended). */
    private final Consumer<RunStatus> save;
    /** The current round's start: what its candidates see. */
    private volatile RoundStart roundStart = new RoundStart(0, List.of(), 0, 0, 0, 0, List.of(), List.of());
    /** This sitting's time budget: the run's own, or what a resume asked for. */
    private Duration sittingBudget;
    /** Time spent mining in earlier sittings, and since this sitting's mining started (0 before). */
    private Duration earlierMining = Duration.ZERO;
    private long sittingStarted;

    RoundScheduler(MiningConfig config, Evaluation evaluation, KnowledgeBase kb, String datasetKey, AcceptedPool pool,
                   WriterRetrieval retrieval, CandidateLoop candidates, CandidateRecorder recorder,
                   Evaluation.Workspace ws, SubexpressionCache cache, Consumer<RunStatus> save) {
        this.config = config;
        this.evaluation = evaluation;
        this.kb = kb;
        this.datasetKey = datasetKey;
        this.pool = pool;
        this.retrieval = retrieval;
        this.candidates = candidates;
        this.recorder = recorder;
        this.ws = ws;
        this.cache = cache;
        this.save = save;
        this.sittingBudget = config.timeBudget();
    }

    /**
     * Continues from a saved state, its pool restored: the round's start as saved, and mid-round the counts and the
     * Writer's context the round's candidates saw.
     */
    void resume(RunState state) {
        earlierMining = Duration.ofMillis(state.miningMillis());
        int poolSize = Math.min(state.roundStartPool(), pool.size());
        List<PoolEntry> known = List.copyOf(pool.entries().subList(0, poolSize));
        int next = recorder.nextCandidate();
        if (!finished() && next % config.candidatesPerRound() != 0) {
            // mid-round: as at the round's start
            WriterRetrieval.Shown shown = retrieval.forRound(next / config.candidatesPerRound() + 1, known,
                    state.roundStartRecordId());
            roundStart = new RoundStart(poolSize, known, state.roundStartRecordId(), state.roundStartTrials(),
                    state.roundStartLooks(), state.roundStartAccepted(), shown.successes(), shown.failures());
        } else {
            roundStart = new RoundStart(poolSize, known, state.roundStartRecordId(), 0, 0, 0, List.of(), List.of());
        }
    }

    RoundStart roundStart() {
        return roundStart;
    }

    void sittingBudget(Duration budget) {
        this.sittingBudget = budget;
    }

    boolean finished() {
        return recorder.nextCandidate() >= config.totalCandidates();
    }

    /** Time spent mining over all sittings so far. */
    Duration miningTime() {
        return sittingStarted == 0 ? earlierMining : earlierMining.plusNanos(System.nanoTime() - sittingStarted);
    }

    /** A round's start, from the pool and the knowledge base as they stand. */
    private RoundStart begin(int round) {
        int poolSize = pool.size();
        List<PoolEntry> known = List.copyOf(pool.entries());
        long recordId = kb.lastId();
        long trials = kb.trials(datasetKey);
        long looks = kb.validLooks(datasetKey);
        long accepted = kb.list(Filter.accepted().withDataset(datasetKey), KnowledgeBase.Sort.ID,
                Integer.MAX_VALUE).size();
        WriterRetrieval.Shown shown = retrieval.forRound(round, known, recordId);
        return new RoundStart(poolSize, known, recordId, trials, looks, accepted, shown.successes(),
                shown.failures());
    }

    /** See {@link MiningRun#mine(MiningRun.Listener, int, BooleanSupplier)}. */
    boolean mine(MiningRun.Listener listener, int threads, BooleanSupplier stop) {
        long started = System.nanoTime();
        sittingStarted = started;
        // explorers stop at their next Writer or Judge call once the user asks or the sitting's budget is spent
        AtomicBoolean halted = new AtomicBoolean();
        BooleanSupplier outOfTime = () -> sittingBudget != null
                && System.nanoTime() - started > sittingBudget.toNanos();
        BooleanSupplier explorersStop = () -> halted.get() || stop.getAsBoolean();
        ExecutorService executor = threads > 1
                ? Executors.newFixedThreadPool(threads, r -> {
                    Thread t = new Thread(r, "quantagent-miner");
                    t.setDaemon(true);
                    return t;
                })
                : null;
        // the merge runs while explorers explore, so with a pool of explorers it keeps the run's own workspace and
        // each explorer has one of its own (a workspace's scratch arrays are one thread's)
        BlockingQueue<Evaluation.Workspace> workspaces = new ArrayBlockingQueue<>(Math.max(1, threads));
        if (executor == null) {
            workspaces.add(ws);
        } else {
            for (int i = 0; i < threads; i++) {
                workspaces.add(evaluation.workspace(cache));
            }
        }
        try {
            while (!finished()) {
                if (stop.getAsBoolean() || outOfTime.getAsBoolean()) {
                    save.accept(RunStatus.PAUSED);
                    return false;
                }
                int next = recorder.nextCandidate();
                int round = next / config.candidatesPerRound() + 1;
                if (next % config.candidatesPerRound() == 0) {
                    roundStart = begin(round);
                }
                RoundStart start = roundStart;
                // the rest of the round is explored at once, each candidate against the round's start, and merged in
                // candidate order as it comes in: no explorer waits for a slower one before taking the next
                int roundEnd = round * config.candidatesPerRound();
                List<Callable<List<Step>>> tasks = new ArrayList<>();
                for (int k = next; k < roundEnd; k++) {
                    int candidate = k;
                    tasks.add(() -> {
                        if (halted.get()) {
                            throw new Cancelled(); // not started before the stop: explored again on resume
                        }
                        Evaluation.Workspace w = workspaces.take();
                        try {
                            return candidates.explore(candidate, start, w, explorersStop);
                        } finally {
                            workspaces.add(w);
                        }
                    });
                }
                List<Future<List<Step>>> futures = new ArrayList<>();
                if (executor != null) {
                    for (Callable<List<Step>> t : tasks) {
                        futures.add(executor.submit(t));
                    }
                }
                boolean stopped = false;
                RuntimeException failure = null;
                for (int i = 0; i < tasks.size(); i++) {
                    List<Step> steps = null;
                    try {
                        steps = executor == null ? (stopped ? null : call(tasks.get(i))) : join(futures.get(i));
                    } catch (Cancelled e) {
                        stopped = true;
                    } catch (RuntimeException e) {
                        if (!stopped && failure == null) {
                            failure = e; // the first the run meets in candidate order
                        }
                        stopped = true;
                    }
                    // Every explorer is waited for, whatever happens to the others (after a stop each ends at its
                    // next call): one interrupted in a knowledge base read could close the database's file under it.
                    if (stopped || steps == null) {
                        halted.set(true);
                        continue;
                    }
                    recorder.mergeNext(round, start, steps);
                    save.accept(RunStatus.RUNNING);
                    listener.candidateDone(new MiningRun.Snapshot(round, recorder.nextCandidate(),
                            config.totalCandidates(), recorder.trials(), pool.size(), recorder.invalid(),
                            pool.bestTrainRankIc(), Duration.ofNanos(System.nanoTime() - started),
                            recorder.tokens(), recorder.cost()));
                    if (stop.getAsBoolean() || outOfTime.getAsBoolean()) {
                        // the rest of the round is explored again on resume, to the same result
                        halted.set(true);
                        stopped = true;
                    }
                }
                if (failure != null) {
                    throw failure;
                }
                if (stopped) {
                    save.accept(RunStatus.PAUSED);
                    return false;
                }
            }
            if (stop.getAsBoolean()) {
                save.accept(RunStatus.PAUSED); // every idea is in, but a stop still means no final report now
                return false;
            }
            return true;
        } finally {
            if (executor != null) {
                executor.shutdownNow();
            }
            earlierMining = miningTime(); // the sitting's mining ends here; a conclusion is timed on its own
            sittingStarted = 0;
        }
    }

    private static List<Step> call(Callable<List<Step>> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Step> join(Future<List<Step>> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
