package dev.quantagent.agents;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a mining run stands, as stored with it ({@code RunRecord#stateJson}): everything a resume continues from.
 * Bound by Jackson, so a component added here is saved and read back without more code; the JSON names are the
 * stored format's and stay. A field missing from an older state reads as 0 or false.
 *
 * @param nextCandidate      the first candidate not yet merged
 * @param trials             factors the run tested (every step)
 * @param invalid            of those, the invalid ones
 * @param lastRecordId       the last factor record the run merged (later ones are an interrupted candidate's)
 * @param roundStartRecordId the knowledge base's last factor id at the current round's start
 * @param roundStartPool     the pool's size at the current round's start
 * @param roundStartTrials   trials on this data at the current round's start
 * @param roundStartLooks    looks at valid on this data at the current round's start
 * @param roundStartAccepted accepted factors on this data at the current round's start
 * @param tokens             LLM tokens spent
 * @param cost               their cost, in US dollars
 * @param miningMillis       time spent mining, over every sitting
 * @param concludedLooks     whether the conclusion's looks at valid were counted
 * @param extraValidLooks    looks at valid the conclusion took that stored no factor
 * @param summary            the run's summary, once concluded (else absent)
 * @param figures            its report's chart series, once concluded (else absent)
 * @param testLogged         whether the conclusion's look at test was logged
 */
@JsonPropertyOrder({"next_candidate", "trials", "invalid", "last_record_id", "round_start_record_id",
        "round_start_pool", "round_start_trials", "round_start_looks", "round_start_accepted", "tokens", "cost",
        "mining_millis", "concluded_looks", "extra_valid_looks", "summary", "report_figures", "test_logged"})
record RunState(@JsonProperty("next_candidate") int nextCandidate,
                @JsonProperty("trials") long trials,
                @JsonProperty("invalid") long invalid,
                @JsonProperty("last_record_id") long lastRecordId,
                @JsonProperty("round_start_record_id") long roundStartRecordId,
                @JsonProperty("round_start_pool") int roundStartPool,
                @JsonProperty("round_start_trials") long roundStartTrials,
                @JsonProperty("round_start_looks") long roundStartLooks,
                @JsonProperty("round_start_accepted") long roundStartAccepted,
                @JsonProperty("tokens") long tokens,
                @JsonProperty("cost") double cost,
                @JsonProperty("mining_millis") long miningMillis,
                @JsonProperty("concluded_looks") boolean concludedLooks,
                @JsonProperty(dev.quantagent.knowledge.RunRecord.EXTRA_VALID_LOOKS) long extraValidLooks,
                @JsonProperty(MiningRun.SUMMARY) @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode summary,
                @JsonProperty(MiningRun.FIGURES) @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode figures,
                @JsonProperty("test_logged") boolean testLogged) {

    /** The state as stored (null or empty: a run that has not saved any). */
    static RunState read(String json) {
        return StoredJson.read(json, RunState.class, "run state");
    }

    /** The state as it is stored. */
    String json() {
        return StoredJson.write(this);
    }
}
