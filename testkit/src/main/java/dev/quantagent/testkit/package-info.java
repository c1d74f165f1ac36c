/**
 * Fakes and fixtures the tests of several modules share, never on the application's classpath:
 * {@link dev.quantagent.testkit.FakeOpenAi} (a local HTTP server speaking the OpenAI chat-completions protocol),
 * {@link dev.quantagent.testkit.ScriptedModel} (a chat model that answers from a script),
 * {@link dev.quantagent.testkit.BacktestDocument} (hand-built analyze input) and the example backtests under
 * {@code backtests/}.
 */
package dev.quantagent.testkit;
