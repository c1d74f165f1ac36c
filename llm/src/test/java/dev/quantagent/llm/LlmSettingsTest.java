package dev.quantagent.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LlmSettingsTest {

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverDefaults() {
        LlmSettings s = LlmSettings.of(null, "flag-key", null, null, null,
                Map.of("OPENAI_BASE_URL", "http://localhost:11434/v1", "OPENAI_API_KEY", "env-key",
                        "QUANTAGENT_MODEL", "llama3.1"));
        assertEquals("http://localhost:11434/v1", s.baseUrl());
        assertEquals("flag-key", s.apiKey());
        assertEquals("llama3.1", s.model());
        assertEquals(0.0, s.inputPricePerM());
    }

    @Test
    void knownModelsArePricedFromTheTableUnlessOverridden() {
        LlmSettings s = LlmSettings.of(null, "k", "gpt-4o-mini", null, 1.0, Map.of());
        assertEquals("https://api.openai.com/v1", s.baseUrl());
        assertEquals(0.15, s.inputPricePerM());
        assertEquals(1.0, s.outputPricePerM());
        // 2,000 prompt tokens at $0.15/M plus 1,000 completion tokens at $1/M
        assertEquals(0.0003 + 0.001, s.cost(2000, 1000), 1e-15);
    }

    @Test
    void aMissingKeySaysWhereToPutOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LlmSettings.of(null, null, null, null, null, Map.of()));
        assertTrue(e.getMessage().contains("OPENAI_API_KEY"), e.getMessage());
    }
}
