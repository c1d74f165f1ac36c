package dev.quantagent.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RunStateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every component set, none to its default, so that one not saved or not read back shows. */
    private static RunState everyFieldSet() throws IOException {
        return new RunState(7, 21, 3, 140, 120, 4, 99, 12, 5, 1234, 0.0375, 65_000, true, 8,
                JSON.readTree("{\"run\": \"r\", \"pool\": [1, 2]}"), JSON.readTree("{\"rounds\": [0.5]}"), true);
    }

    @Test
    void aStateWithEveryFieldSetComesBackWhole() throws IOException {
        RunState state = everyFieldSet();
        assertEquals(state, RunState.read(state.json()));
    }

    @Test
    void everyComponentOfTheStateIsSavedUnderItsOwnName() throws IOException {
        JsonNode saved = JSON.readTree(everyFieldSet().json());
        assertEquals(RunState.class.getRecordComponents().length, saved.size(), saved.toString());
    }

    @Test
    void aStateSavedByTheVersionBeforeTheRecordReadsBackAndIsWrittenWithTheSameBytes() throws IOException {
        String stored;
        try (InputStream in = RunStateTest.class.getResourceAsStream("run-state-concluded.json")) {
            stored = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        RunState state = RunState.read(stored);
        assertEquals(40, state.nextCandidate());
        assertEquals(120, state.trials());
        assertEquals(120, state.lastRecordId());
        assertEquals(49, state.roundStartRecordId());
        assertEquals(5, state.roundStartPool());
        assertEquals(13, state.roundStartLooks());
        assertEquals(11_476, state.miningMillis());
        assertTrue(state.concludedLooks());
        assertEquals(8, state.extraValidLooks());
        assertEquals("run-20261208-003031-10456", state.summary().path("run").asText());
        assertTrue(state.figures().isObject());
        assertEquals(stored, state.json());
    }

    @Test
    void aFieldAnOlderStateLacksReadsAsNothingDone() {
        RunState state = RunState.read("{\"next_candidate\": 3, \"a_later_field\": 1}");
        assertEquals(3, state.nextCandidate());
        assertEquals(0, state.trials());
        assertFalse(state.testLogged());
        assertNull(state.summary());
        assertEquals(RunState.read(null), RunState.read("{}"));
    }
}
