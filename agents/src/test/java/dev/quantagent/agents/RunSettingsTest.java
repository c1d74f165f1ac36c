package dev.quantagent.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quantagent.evaluator.BookConfig;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.PoolSignal;
import dev.quantagent.evaluator.Significance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class RunSettingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every component set, none to its default, so that one not saved or not read back shows. */
    private static RunSettings everyFieldSet() {
        JudgePolicy judge = new JudgePolicy(0.02, 0.1, Significance.Adjustment.HOLM, 2, true, 0.6, 0.5, 0.65, 0.75,
                30, 0.4, 0.3);
        MiningConfig config = new MiningConfig(3, 7, 2, 11, Duration.ofMinutes(5), judge, 2,
                new FinishConfig(PoolSignal.Method.RIDGE, "alpha101", new BookConfig(30, 3, 5, 2)));
        EvaluationConfig evaluation = new EvaluationConfig(5, 0, 7.5, 10, 0.5, 0.25, LocalDate.of(2016, 6, 1),
                LocalDate.of(2017, 6, 1), 250.0);
        return RunSettings.of(config, true, "/data/market.csv", evaluation);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RunSettingsTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void settingsWithEveryFieldSetComeBackWhole() {
        RunSettings settings = everyFieldSet();
        RunSettings read = RunSettings.read(settings.json());
        assertEquals(settings, read);
        assertEquals(settings.miningConfig(), read.miningConfig());
        assertEquals(settings.evaluationConfig(), read.evaluationConfig());
    }

    @Test
    void everyComponentOfTheSettingsIsSavedUnderItsOwnName() throws IOException {
        JsonNode saved = JSON.readTree(everyFieldSet().json());
        assertEquals(RunSettings.class.getRecordComponents().length, saved.size(), saved.toString());
        assertEquals(RunSettings.Finish.class.getRecordComponents().length, saved.get("finish").size());
        assertEquals(RunSettings.Evaluation.class.getRecordComponents().length, saved.get("evaluation").size());
        assertEquals(RunSettings.Judge.class.getRecordComponents().length, saved.get("judge").size());
    }

    @Test
    void settingsStoredByTheVersionBeforeTheRecordReadBackAndAreWrittenWithTheSameBytes() throws IOException {
        String stored = resource("run-settings-every-option.json");
        RunSettings settings = RunSettings.read(stored);
        MiningConfig config = settings.miningConfig();
        assertEquals(new MiningConfig(2, 3, 2, 11, Duration.ofSeconds(300), new JudgePolicy(0.02, 0.1,
                Significance.Adjustment.HOLM, 2, true, 0.6, 0.5, 0.65, 0.75, 30, 0.3, 0.3), 2,
                new FinishConfig(PoolSignal.Method.RIDGE, "alpha101", new BookConfig(30, 3, 5, 2))), config);
        assertEquals(new EvaluationConfig(5, 0, 7.5, 10, 0.6, 0.2, LocalDate.of(2016, 6, 1),
                LocalDate.of(2017, 6, 1), 250.0), settings.evaluationConfig());
        assertEquals("/work/shared/data/all_stocks_5yr.csv.gz", settings.data());
        assertEquals("offline", settings.writer());
        assertEquals(stored, settings.json());
    }

    @Test
    void defaultSettingsStoredByTheVersionBeforeTheRecordAreWrittenWithTheSameBytes() throws IOException {
        String stored = resource("run-settings-default.json");
        RunSettings settings = RunSettings.read(stored);
        assertEquals(new MiningConfig(2, 20, 4, 3, null, JudgePolicy.DEFAULT), settings.miningConfig());
        assertEquals(EvaluationConfig.DEFAULT, settings.evaluationConfig());
        assertEquals(stored, settings.json());
        assertEquals(stored, RunSettings.of(settings.miningConfig(), false, settings.data(),
                settings.evaluationConfig()).json());
    }

    @Test
    void whatAnOlderRunDidNotStoreReadsAsBeforeTheRecord() {
        RunSettings settings = RunSettings.read("{\"rounds\": 2, \"candidates_per_round\": 3, "
                + "\"steps_per_factor\": 4, \"seed\": 5, \"a_later_field\": 1}");
        // no retrieval before it was configurable, the default conclusion and Judge, no budget
        assertEquals(new MiningConfig(2, 3, 4, 5, null, JudgePolicy.DEFAULT, 0, FinishConfig.DEFAULT),
                settings.miningConfig());
        assertNull(settings.evaluationConfig());
        assertNull(settings.data());
        settings.checkWriter("r", true);
        settings.checkWriter("r", false);
        settings.checkEvaluation("r", EvaluationConfig.DEFAULT.withHorizon(5));
    }

    @Test
    void aFieldMissingFromAStoredConclusionJudgeOrEvaluationReadsAsItsDefault() {
        RunSettings settings = RunSettings.read("{\"rounds\": 1, \"candidates_per_round\": 1, "
                + "\"steps_per_factor\": 1, \"finish\": {\"baseline\": \"alpha158\"}, \"judge\": {\"alpha\": 0.1}, "
                + "\"evaluation\": {\"horizon\": 5}}");
        MiningConfig config = settings.miningConfig();
        assertEquals(new FinishConfig(null, "alpha158", BookConfig.DEFAULT), config.finish());
        assertEquals(JudgePolicy.DEFAULT.withAlpha(0.1), config.policy());
        assertEquals(EvaluationConfig.DEFAULT.withHorizon(5), settings.evaluationConfig());
    }

    @Test
    void aResumeWithOtherEvaluationSettingsIsRefusedNamingTheOption() {
        RunSettings settings = everyFieldSet();
        settings.checkEvaluation("r", settings.evaluationConfig());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings.checkEvaluation("r", settings.evaluationConfig().withCostBps(10)));
        assertEquals("run r was mined with the evaluation setting cost_bps = 7.5, but this resume gives 10.0; "
                + "resume it with the same settings (--cost-bps 7.5)", e.getMessage());
        IllegalArgumentException splits = assertThrows(IllegalArgumentException.class,
                () -> RunSettings.read("{\"evaluation\": {\"valid_from\": null}}").checkEvaluation("r",
                        EvaluationConfig.DEFAULT.withSplitDates(LocalDate.of(2016, 1, 1), LocalDate.of(2017, 1, 1))));
        assertTrue(splits.getMessage().contains("valid_from = null") && splits.getMessage().endsWith("(--splits)"),
                splits.getMessage());
    }
}
