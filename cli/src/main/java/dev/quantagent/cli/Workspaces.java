package dev.quantagent.cli;

import dev.quantagent.evaluator.Evaluation;

/** Workspaces for the commands that evaluate formulas on several cores. */
final class Workspaces {

    private Workspaces() {
    }

    /** A workspace whose evaluator shares each kernel among {@code threads} threads. */
    static Evaluation.Workspace of(Evaluation evaluation, int threads) {
        Evaluation.Workspace ws = evaluation.workspace();
        ws.evaluator().threads(threads);
        return ws;
    }
}
