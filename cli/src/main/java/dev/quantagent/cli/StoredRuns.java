package dev.quantagent.cli;

import dev.quantagent.agents.MiningRun;
import dev.quantagent.knowledge.RunRecord;

/** What the commands read of a run the knowledge base stored: its settings, checked once for all of them. */
final class StoredRuns {

    private StoredRuns() {
    }

    /** A run whose stored settings a factor report can read, else a user error saying what is wrong with them. */
    static RunRecord readable(RunRecord run) {
        try {
            return checkSettings(run);
        } catch (IllegalArgumentException e) {
            throw new QuantAgentCli.UserError("run " + run.id() + " in the knowledge base: " + e.getMessage());
        }
    }

    /**
     * The run, if its stored settings read as a factor report reads them (the evaluation settings, the data it
     * mined); {@code kb import} refuses a run that fails this.
     *
     * @throws IllegalArgumentException saying what cannot be read
     */
    static RunRecord checkSettings(RunRecord run) {
        try {
            MiningRun.evaluationConfig(run);
            MiningRun.dataOf(run);
            return run;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("its stored settings cannot be read as a run's: " + e.getMessage()
                    + (e.getCause() != null && e.getCause().getMessage() != null ? " (" + e.getCause().getMessage()
                    .lines().findFirst().orElse("") + ")" : ""), e);
        }
    }
}
