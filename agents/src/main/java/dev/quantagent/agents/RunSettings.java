package dev.quantagent.agents;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import dev.quantagent.evaluator.BookConfig;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.PoolSignal;
import dev.quantagent.evaluator.Significance;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Iterator;

/**
 * How a mining run was started, as stored with it ({@code RunRecord#configJson}): the mining settings, the kind of
 * Writer, where the data came from and the evaluation settings, everything a resume must keep. Bound by Jackson, so a
 * component added here is saved and read back without more code; the JSON names are the stored format's and stay.
 * What an older run lacks reads as it always did: rounds, seed and retrieval as 0, no time budget, the default
 * conclusion and Judge, no evaluation settings (nothing to compare on resume), and a missing field of a stored
 * conclusion, Judge or evaluation as today's default.
 *
 * @param rounds             outer-loop rounds
 * @param candidatesPerRound fresh ideas per round
 * @param stepsPerFactor     inner-loop steps per idea
 * @param seed               the run's seed
 * @param timeBudgetSeconds  the run's own time budget, or null for none
 * @param retrievalK         what the Writer retrieves from the knowledge base per round
 * @param finish             how the run concludes
 * @param writer             {@code llm} or {@code offline} (null: not stored, not checked on resume)
 * @param data               where the data came from, for messages, or null if not told
 * @param evaluation         the evaluation settings, or null for a run stored before they were
 * @param judge              the Judge's thresholds
 */
@JsonPropertyOrder({"rounds", "candidates_per_round", "steps_per_factor", "seed", "time_budget_seconds",
        "retrieval_k", "finish", "writer", "data", "evaluation", "judge"})
record RunSettings(@JsonProperty("rounds") int rounds,
                   @JsonProperty("candidates_per_round") int candidatesPerRound,
                   @JsonProperty("steps_per_factor") int stepsPerFactor,
                   @JsonProperty("seed") long seed,
                   @JsonProperty("time_budget_seconds") @JsonInclude(JsonInclude.Include.NON_NULL)
                   Long timeBudgetSeconds,
                   @JsonProperty("retrieval_k") int retrievalK,
                   @JsonProperty("finish") Finish finish,
                   @JsonProperty("writer") String writer,
                   @JsonProperty("data") @JsonInclude(JsonInclude.Include.NON_NULL) String data,
                   @JsonProperty("evaluation") Evaluation evaluation,
                   @JsonProperty("judge") Judge judge) {

    RunSettings {
        finish = finish != null ? finish : Finish.of(FinishConfig.DEFAULT);
        judge = judge != null ? judge : Judge.of(JudgePolicy.DEFAULT);
    }

    /** The settings of a run mined with {@code config}, the LLM Writer or not, from {@code data}, evaluated so. */
    static RunSettings of(MiningConfig config, boolean llmWriter, String data, EvaluationConfig evaluation) {
        return new RunSettings(config.rounds(), config.candidatesPerRound(), config.stepsPerFactor(), config.seed(),
                config.timeBudget() == null ? null : config.timeBudget().toSeconds(), config.retrievalK(),
                Finish.of(config.finish()), llmWriter ? "llm" : "offline", data, Evaluation.of(evaluation),
                Judge.of(config.policy()));
    }

    /** The settings as stored (null or empty: a run that stored none). */
    static RunSettings read(String json) {
        return StoredJson.read(json, RunSettings.class, "run settings");
    }

    /** The settings as they are stored. */
    String json() {
        return StoredJson.write(this);
    }

    /** How the run searches. */
    MiningConfig miningConfig() {
        return new MiningConfig(rounds, candidatesPerRound, stepsPerFactor, seed,
                timeBudgetSeconds == null ? null : Duration.ofSeconds(timeBudgetSeconds), judge.policy(), retrievalK,
                finish.config());
    }

    /** The evaluation settings the run was mined with, or null for a run stored before they were. */
    EvaluationConfig evaluationConfig() {
        return evaluation == null ? null : evaluation.config();
    }

    /** Refuses to resume the run with another kind of Writer than it was mined with. */
    void checkWriter(String runId, boolean llm) {
        if ("llm".equals(writer) && !llm) {
            throw new IllegalArgumentException("run " + runId + " was mined with the LLM Writer; resume it with "
                    + "--writer llm (and the same endpoint settings)");
        }
        if ("offline".equals(writer) && llm) {
            throw new IllegalArgumentException("run " + runId + " was mined with the offline Writer; resume it "
                    + "without --writer llm");
        }
    }

    /** Refuses to resume the run with other evaluation settings than it was mined with, naming the option. */
    void checkEvaluation(String runId, EvaluationConfig config) {
        if (evaluation == null) {
            return; // stored before the settings were: nothing to compare
        }
        JsonNode was = StoredJson.tree(evaluation);
        JsonNode now = StoredJson.tree(Evaluation.of(config));
        for (Iterator<String> it = now.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            JsonNode a = was.get(name);
            JsonNode b = now.get(name);
            boolean same = a.isNumber() && b.isNumber() ? a.asDouble() == b.asDouble() : a.equals(b);
            if (!same) {
                String flag = switch (name) {
                    case "cost_bps" -> " (--cost-bps " + a.asText() + ")";
                    case "horizon" -> " (--horizon " + a.asText() + ")";
                    case "delay" -> " (--delay " + a.asText() + ")";
                    case "quantiles" -> " (--quantiles " + a.asText() + ")";
                    case "periods_per_year" -> " (--annualization " + a.asText() + ")";
                    default -> " (--splits)";
                };
                throw new IllegalArgumentException("run " + runId + " was mined with the evaluation setting " + name
                        + " = " + a.asText() + ", but this resume gives " + b.asText() + "; resume it with the same "
                        + "settings" + flag);
            }
        }
    }

    /** How the run concludes ({@link FinishConfig}), the books flattened; {@code auto} for the best method. */
    @JsonPropertyOrder({"pool_method", "baseline", "topk", "dropout", "rebalance_every", "buffer"})
    record Finish(@JsonProperty("pool_method") String poolMethod,
                  @JsonProperty("baseline") String baseline,
                  @JsonProperty("topk") Integer topk,
                  @JsonProperty("dropout") Integer dropout,
                  @JsonProperty("rebalance_every") Integer rebalanceEvery,
                  @JsonProperty("buffer") Integer buffer) {

        Finish {
            BookConfig d = BookConfig.DEFAULT;
            poolMethod = poolMethod != null ? poolMethod : "auto";
            topk = topk != null ? topk : d.topk();
            dropout = dropout != null ? dropout : d.dropout();
            rebalanceEvery = rebalanceEvery != null ? rebalanceEvery : d.rebalanceEvery();
            buffer = buffer != null ? buffer : d.buffer();
        }

        static Finish of(FinishConfig f) {
            BookConfig b = f.books();
            return new Finish(f.poolMethod() == null ? "auto" : f.poolMethod().key(), f.baseline(), b.topk(),
                    b.dropout(), b.rebalanceEvery(), b.buffer());
        }

        FinishConfig config() {
            return new FinishConfig(poolMethod.equals("auto") ? null : PoolSignal.Method.of(poolMethod), baseline,
                    new BookConfig(topk, dropout, rebalanceEvery, buffer));
        }
    }

    /** The evaluation settings ({@link EvaluationConfig}); the split dates as ISO days. */
    @JsonPropertyOrder({"horizon", "delay", "cost_bps", "quantiles", "train_fraction", "valid_fraction",
            "valid_from", "test_from", "periods_per_year"})
    record Evaluation(@JsonProperty("horizon") Integer horizon,
                      @JsonProperty("delay") Integer delay,
                      @JsonProperty("cost_bps") Double costBps,
                      @JsonProperty("quantiles") Integer quantiles,
                      @JsonProperty("train_fraction") Double trainFraction,
                      @JsonProperty("valid_fraction") Double validFraction,
                      @JsonProperty("valid_from") String validFrom,
                      @JsonProperty("test_from") String testFrom,
                      @JsonProperty("periods_per_year") Double periodsPerYear) {

        Evaluation {
            EvaluationConfig d = EvaluationConfig.DEFAULT;
            horizon = horizon != null ? horizon : d.horizon();
            delay = delay != null ? delay : d.delay();
            costBps = costBps != null ? costBps : d.costBps();
            quantiles = quantiles != null ? quantiles : d.quantiles();
            trainFraction = trainFraction != null ? trainFraction : d.trainFraction();
            validFraction = validFraction != null ? validFraction : d.validFraction();
        }

        static Evaluation of(EvaluationConfig e) {
            return new Evaluation(e.horizon(), e.delay(), e.costBps(), e.quantiles(), e.trainFraction(),
                    e.validFraction(), e.validFrom() == null ? null : e.validFrom().toString(),
                    e.testFrom() == null ? null : e.testFrom().toString(), e.periodsPerYear());
        }

        EvaluationConfig config() {
            return new EvaluationConfig(horizon, delay, costBps, quantiles, trainFraction, validFraction,
                    validFrom == null ? null : LocalDate.parse(validFrom),
                    testFrom == null ? null : LocalDate.parse(testFrom), periodsPerYear);
        }
    }

    /** The Judge's thresholds ({@link JudgePolicy}); the adjustment by its key. */
    @JsonPropertyOrder({"min_rank_ic", "alpha", "adjustment", "min_stable_folds", "require_net", "max_turnover",
            "min_coverage", "max_correlation", "max_overlap_share", "max_nodes", "min_valid_over_train",
            "suspicious_rank_ic"})
    record Judge(@JsonProperty("min_rank_ic") Double minRankIc,
                 @JsonProperty("alpha") Double alpha,
                 @JsonProperty("adjustment") String adjustment,
                 @JsonProperty("min_stable_folds") Integer minStableFolds,
                 @JsonProperty("require_net") Boolean requireNet,
                 @JsonProperty("max_turnover") Double maxTurnover,
                 @JsonProperty("min_coverage") Double minCoverage,
                 @JsonProperty("max_correlation") Double maxCorrelation,
                 @JsonProperty("max_overlap_share") Double maxOverlapShare,
                 @JsonProperty("max_nodes") Integer maxNodes,
                 @JsonProperty("min_valid_over_train") Double minValidOverTrain,
                 @JsonProperty("suspicious_rank_ic") Double suspiciousRankIc) {

        Judge {
            JudgePolicy d = JudgePolicy.DEFAULT;
            minRankIc = minRankIc != null ? minRankIc : d.minRankIc();
            alpha = alpha != null ? alpha : d.alpha();
            adjustment = adjustment != null ? adjustment : d.adjustment().key();
            minStableFolds = minStableFolds != null ? minStableFolds : d.minStableFolds();
            requireNet = requireNet != null ? requireNet : d.requireNet();
            maxTurnover = maxTurnover != null ? maxTurnover : d.maxTurnover();
            minCoverage = minCoverage != null ? minCoverage : d.minCoverage();
            maxCorrelation = maxCorrelation != null ? maxCorrelation : d.maxCorrelation();
            maxOverlapShare = maxOverlapShare != null ? maxOverlapShare : d.maxOverlapShare();
            maxNodes = maxNodes != null ? maxNodes : d.maxNodes();
            minValidOverTrain = minValidOverTrain != null ? minValidOverTrain : d.minValidOverTrain();
            suspiciousRankIc = suspiciousRankIc != null ? suspiciousRankIc : d.suspiciousRankIc();
        }

        static Judge of(JudgePolicy p) {
            return new Judge(p.minRankIc(), p.alpha(), p.adjustment().key(), p.minStableFolds(), p.requireNet(),
                    p.maxTurnover(), p.minCoverage(), p.maxCorrelation(), p.maxOverlapShare(), p.maxNodes(),
                    p.minValidOverTrain(), p.suspiciousRankIc());
        }

        JudgePolicy policy() {
            return new JudgePolicy(minRankIc, alpha, Significance.Adjustment.of(adjustment), minStableFolds,
                    requireNet, maxTurnover, minCoverage, maxCorrelation, maxOverlapShare, maxNodes, minValidOverTrain,
                    suspiciousRankIc);
        }
    }
}
