/**
 * The LLM plumbing the agents and the assistant share. {@link dev.quantagent.llm.LlmChat} is the entry point: one chat
 * call to any OpenAI-compatible endpoint ({@link dev.quantagent.llm.LlmChat#openAi}) with retries (backoff and
 * jitter, {@code Retry-After} honoured), cancellation, token counts, the key redacted from every message and the JSON
 * object pulled out of a reply. {@link dev.quantagent.llm.LlmSettings} says where and how; a call that cannot succeed
 * throws {@link dev.quantagent.llm.LlmFailure}, a refused key {@link dev.quantagent.llm.Refused}. Depends on
 * langchain4j, Failsafe and Jackson only.
 */
package dev.quantagent.llm;
