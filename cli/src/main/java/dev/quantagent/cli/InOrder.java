package dev.quantagent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Independent pieces of work (formulas) on every core, their results handed on in the order given: output is the
 * same as one by one, only sooner. Each worker thread gets its own state (an evaluation workspace).
 */
final class InOrder {

    private InOrder() {
    }

    /** Takes each result in turn, on the calling thread. */
    interface Sink<R> {
        void accept(R result) throws java.io.IOException;
    }

    /** The number of threads for work that scales with the cores. */
    static int threads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Runs work on every item on up to {@code threads} threads and gives the results to the sink in item order, each
     * as soon as it and those before it are done. An exception from the work is rethrown at its item's turn (the
     * results before it have been handed on), and the work not yet started is dropped.
     */
    static <S, I, R> void map(List<I> items, int threads, Supplier<S> state, BiFunction<S, I, R> work, Sink<R> sink)
            throws java.io.IOException {
        int n = Math.min(threads, items.size());
        if (n <= 1) {
            S s = state.get();
            for (I item : items) {
                sink.accept(work.apply(s, item));
            }
            return;
        }
        ThreadLocal<S> local = ThreadLocal.withInitial(state);
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "quantagent-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> results = new ArrayList<>(items.size());
            for (I item : items) {
                results.add(pool.submit(() -> work.apply(local.get(), item)));
            }
            for (Future<R> f : results) {
                sink.accept(join(f));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static <R> R join(Future<R> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
