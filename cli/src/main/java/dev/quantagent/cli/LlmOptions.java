package dev.quantagent.cli;

import dev.quantagent.llm.LlmSettings;

import java.util.Map;

import picocli.CommandLine.Option;

/**
 * The LLM endpoint options, shared by the commands that can use a language model (a picocli mixin); each falls back
 * to its environment variable.
 */
final class LlmOptions {

    @Option(names = "--model", description = "LLM model (default: $QUANTAGENT_MODEL, else gpt-4o-mini).")
    String model;

    @Option(names = "--base-url", paramLabel = "URL", description = "OpenAI-compatible endpoint (default: "
            + "$OPENAI_BASE_URL, else https://api.openai.com/v1); e.g. http://localhost:11434/v1 for Ollama.")
    String baseUrl;

    @Option(names = "--api-key", description = "API key (default: $OPENAI_API_KEY).")
    String apiKey;

    @Option(names = "--price-in", paramLabel = "USD", description = "USD per million prompt tokens (default: the "
            + "model's list price if known, else 0).")
    Double priceIn;

    @Option(names = "--price-out", paramLabel = "USD", description = "USD per million completion tokens.")
    Double priceOut;

    /** True when the user pointed at an LLM: any endpoint option, or an API key in the environment. */
    boolean configured(Map<String, String> env) {
        return apiKey != null || baseUrl != null || model != null || env.get("OPENAI_API_KEY") != null;
    }

    /** The settings, or a one-line error naming what is missing. */
    LlmSettings settings(Map<String, String> env) {
        try {
            return LlmSettings.of(baseUrl, apiKey, model, priceIn, priceOut, env);
        } catch (IllegalArgumentException e) {
            throw new QuantAgentCli.UserError(e.getMessage());
        }
    }
}
