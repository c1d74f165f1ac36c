package dev.quantagent.knowledge;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which factors a search may return; null means any.
 *
 * @param statuses   allowed statuses (empty or null: all)
 * @param runId      only this run
 * @param datasetKey only this data set
 */
public record Filter(Set<Status> statuses, String runId, String datasetKey) {

    public static final Filter ANY = new Filter(null, null, null);

    public Filter {
        statuses = statuses == null || statuses.isEmpty() ? null : Set.copyOf(statuses);
    }

    public static Filter accepted() {
        return new Filter(EnumSet.of(Status.ACCEPTED), null, null);
    }

    /** Rejected or invalid. */
    public static Filter failures() {
        return new Filter(EnumSet.of(Status.REJECTED, Status.INVALID), null, null);
    }

    public Filter withRun(String run) {
        return new Filter(statuses, run, datasetKey);
    }

    public Filter withDataset(String dataset) {
        return new Filter(statuses, runId, dataset);
    }

    boolean allows(Status s) {
        return statuses == null || statuses.contains(s);
    }
}
