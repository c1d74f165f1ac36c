package dev.quantagent.llm;

import java.time.Duration;
import java.util.Map;

/**
 * How to reach an OpenAI-compatible chat endpoint (OpenAI, Azure-compatible gateways, Ollama, vLLM, LM Studio) and
 * what its tokens cost.
 *
 * @param baseUrl          e.g. {@code https://api.openai.com/v1} or {@code http://localhost:11434/v1}
 * @param apiKey           the key (local servers accept any non-empty text)
 * @param model            model name
 * @param timeout          per request: the whole reply, headers and body, must have come by then
 * @param maxAttempts      attempts per call on timeouts, 429 and 5xx
 * @param formulaRetries   times a reply whose formula does not parse (or whose JSON is unreadable) is sent back
 * @param inputPricePerM   US dollars per million prompt tokens
 * @param outputPricePerM  US dollars per million completion tokens
 */
public record LlmSettings(String baseUrl, String apiKey, String model, Duration timeout, int maxAttempts,
                          int formulaRetries, double inputPricePerM, double outputPricePerM) {

    /** List prices (USD per million tokens, input and output) of common models; unknown models cost 0. */
    static final Map<String, double[]> PRICES = Map.of(
            "gpt-4o-mini", new double[] {0.15, 0.60},
            "gpt-4o", new double[] {2.50, 10.00},
            "gpt-4.1-mini", new double[] {0.40, 1.60},
            "gpt-4.1", new double[] {2.00, 8.00});

    public LlmSettings {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("no LLM endpoint: pass --base-url or set OPENAI_BASE_URL");
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("no API key: pass --api-key or set OPENAI_API_KEY (local servers accept "
                    + "any text)");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("no model: pass --model or set QUANTAGENT_MODEL");
        }
        if (maxAttempts < 1 || formulaRetries < 0) {
            throw new IllegalArgumentException("attempts must be at least 1 and retries at least 0");
        }
    }

    /**
     * Settings from flags, falling back to {@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY}, {@code QUANTAGENT_MODEL};
     * prices from the flags, else the list price of the model, else 0.
     */
    public static LlmSettings of(String baseUrl, String apiKey, String model, Double inPrice, Double outPrice,
                                 Map<String, String> env) {
        String url = baseUrl != null ? baseUrl : env.getOrDefault("OPENAI_BASE_URL", "https://api.openai.com/v1");
        String key = apiKey != null ? apiKey : env.get("OPENAI_API_KEY");
        String m = model != null ? model : env.getOrDefault("QUANTAGENT_MODEL", "gpt-4o-mini");
        double[] list = PRICES.getOrDefault(m, new double[] {0, 0});
        return new LlmSettings(url, key, m, Duration.ofSeconds(60), 5, 2, inPrice != null ? inPrice : list[0],
                outPrice != null ? outPrice : list[1]);
    }

    /** The settings without the key, which is never printed. */
    @Override
    public String toString() {
        return "LlmSettings[baseUrl=" + baseUrl + ", apiKey=(hidden), model=" + model + ", timeout=" + timeout
                + ", maxAttempts=" + maxAttempts + ", formulaRetries=" + formulaRetries + "]";
    }

    /** Dollars for a number of tokens. */
    public double cost(long promptTokens, long completionTokens) {
        return (promptTokens * inputPricePerM + completionTokens * outputPricePerM) / 1_000_000.0;
    }
}
