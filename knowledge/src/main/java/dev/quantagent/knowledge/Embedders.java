package dev.quantagent.knowledge;

import java.util.function.Supplier;

/** Ways to get an embedder without paying for it before it is needed. */
public final class Embedders {

    private Embedders() {
    }

    /** The real model, created on first use and then shared by everything in the process. */
    public static Supplier<Embedder> miniLm() {
        return Shared.MINI_LM;
    }

    /** A supplier that calls {@code factory} at most once, on first {@code get()}. */
    public static Supplier<Embedder> lazy(Supplier<? extends Embedder> factory) {
        return new Supplier<>() {
            private Embedder embedder;

            @Override
            public synchronized Embedder get() {
                if (embedder == null) {
                    embedder = factory.get();
                }
                return embedder;
            }
        };
    }

    private static final class Shared {
        static final Supplier<Embedder> MINI_LM = lazy(MiniLmEmbedder::new);
    }
}
