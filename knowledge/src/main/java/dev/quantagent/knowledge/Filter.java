package dev.quantagent.knowledge;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which factors a search may return; null means any.
 *
 * @param statuses   allowed statuses (empty or null: all)
 * @param runId      only this run
 * @param datasetKey only this data set
 * @param maxId      only factors with an id up to this one: what the knowledge base held at a moment, so that a
 *                   mining run retrieves the same factors when it is resumed ({@link Long#MAX_VALUE}: all)
 */
public record Filter(Set<Status> statuses, String runId, String datasetKey, long maxId) {

    public static final Filter ANY = new Filter(null, null, null);

    public Filter {
        statuses = statuses == null || statuses.isEmpty() ? null : Set.copyOf(statuses);
    }

    /** Any id. */
    public Filter(Set<Status> statuses, String runId, String datasetKey) {
        this(statuses, runId, datasetKey, Long.MAX_VALUE);
    }

    public static Filter accepted() {
        return new Filter(EnumSet.of(Status.ACCEPTED), null, null);
    }

    /** Rejected or invalid. */
    public static Filter failures() {
        return new Filter(EnumSet.of(Status.REJECTED, Status.INVALID), null, null);
    }

    public Filter withRun(String run) {
        return new Filter(statuses, run, datasetKey, maxId);
    }

    public Filter withDataset(String dataset) {
        return new Filter(statuses, runId, dataset, maxId);
    }

    /** Only factors with an id up to {@code id}. */
    public Filter upTo(long id) {
        return new Filter(statuses, runId, datasetKey, id);
    }

    boolean allows(Status s) {
        return statuses == null || statuses.contains(s);
    }
}
