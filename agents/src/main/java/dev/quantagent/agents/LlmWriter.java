package dev.quantagent.agents;

import com.fasterxml.jackson.databind.JsonNode;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.quantagent.llm.Cancelled;
import dev.quantagent.llm.LlmChat;
import dev.quantagent.llm.LlmFailure;
import dev.quantagent.llm.LlmSettings;
import dev.quantagent.llm.Refused;
import dev.quantagent.llm.Sleeper;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Writer as a language model, through langchain4j and any OpenAI-compatible endpoint. The prompt carries the
 * operator reference generated from the sandbox registry, the data's fields and frequency, the knowledge base's
 * retrieved successes and failures ({@link WriterContext}), and the Judge's last verdict; the model answers with one
 * JSON object ({@code name, hypothesis, formula, expected_behaviour}); names are cut to 400 characters.
 *
 * <p>Faults are expected: timeouts, 429 (waiting as long as {@code Retry-After} says, up to
 * {@link LlmChat#MAX_RETRY_AFTER}) and 5xx are retried with exponential backoff and jitter; prose or code fences around
 * the JSON are tolerated; a reply without readable JSON (truncated, a refusal) or with a formula that does not parse
 * goes back to the model with the problem, a bounded number of times. When all that fails the Writer throws
 * {@link LlmFailure}: the run records it and goes on.
 */
public final class LlmWriter implements Writer {

    /** Longest name kept (the knowledge base's column); hypotheses and expected behaviour keep 2,000 characters. */
    static final int MAX_NAME = 400;
    private static final int MAX_TEXT = 2000;
    /** The most of an unusable reply sent back with the correction: what it was, not all of it again. */
    static final int MAX_ECHO = 4000;

    private final LlmSettings settings;
    private final Sandbox sandbox;
    private final LlmChat chat;

    public LlmWriter(ChatModel model, LlmSettings settings, Sandbox sandbox, Sleeper sleeper) {
        this(model, settings, sandbox, sleeper, null);
    }

    /** @param cancelled when it turns true (Ctrl-C), a call in flight ends with {@link Cancelled}; null: never */
    public LlmWriter(ChatModel model, LlmSettings settings, Sandbox sandbox, Sleeper sleeper,
                     java.util.function.BooleanSupplier cancelled) {
        this.settings = settings;
        this.sandbox = sandbox;
        this.chat = new LlmChat(model, settings, sleeper, cancelled);
    }

    public LlmSettings settings() {
        return settings;
    }

    @Override
    public Draft draft(WriterContext context) {
        return ask(context, "Propose one new alpha factor.", null);
    }

    @Override
    public Draft refine(Draft previous, Verdict verdict, WriterContext context) {
        String task = "Improve this factor according to the Judge's verdict.\n" + "Previous factor: "
                + previous.formula() + "\nIts hypothesis: " + previous.hypothesis() + "\nThe Judge: "
                + verdict.summary();
        return ask(context, task, previous.formula());
    }

    static String systemPrompt() {
        return "You are a quantitative researcher who writes alpha factors: formulas that rank assets by their "
                + "expected return over the next period. You write only in this language:\n\n"
                + OperatorReference.text()
                + "\nRules: use only the operators and fields given; windows are positive integers; never look "
                + "ahead (no negative lags); make factors scale-free, because assets are compared with each other "
                + "(returns and ratios such as (close - open) / open or volume / ts_mean(volume, 20), not prices, "
                + "volumes or their differences, which rank expensive stocks against cheap ones); prefer simple, "
                + "economically motivated factors over long ones. Reply "
                + "with exactly one JSON object and nothing else: {\"name\": short id, \"hypothesis\": the economic "
                + "idea in one or two sentences, \"formula\": the factor, \"expected_behaviour\": sign of the IC, "
                + "turnover, when it should work}.";
    }

    static String userPrompt(WriterContext c, String task) {
        StringBuilder sb = new StringBuilder();
        sb.append("Data: fields ").append(String.join(", ", c.fields())).append("; bars: ").append(c.frequency())
                .append(".\n");
        if (!c.successes().isEmpty()) {
            sb.append("Accepted factors near this idea (do not repeat them; build on what makes them work):\n");
            c.successes().forEach(f -> sb.append("- ").append(f).append('\n'));
        }
        if (!c.failures().isEmpty()) {
            sb.append("Instructive failures (avoid their mistakes):\n");
            c.failures().forEach(f -> sb.append("- ").append(f).append('\n'));
        }
        return sb.append(task).toString();
    }

    private Draft ask(WriterContext context, String task, String parent) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(systemPrompt()));
        messages.add(UserMessage.from(userPrompt(context, task)));
        long in = 0;
        long out = 0;
        List<String> notes = new ArrayList<>();
        String problem = null;
        for (int round = 0; round <= settings.formulaRetries(); round++) {
            ChatResponse response = call(messages, in, out);
            in += LlmChat.promptTokens(response);
            out += LlmChat.completionTokens(response);
            String text = response.aiMessage() == null ? null : response.aiMessage().text();
            JsonNode json = LlmChat.extractJson(text);
            if (json == null || !json.hasNonNull("formula")) {
                problem = "the reply had no JSON object with a \"formula\" (" + excerpt(text) + ")";
            } else {
                String formula = json.get("formula").asText();
                problem = parseProblem(formula);
                if (problem == null || round == settings.formulaRetries()) {
                    if (problem != null) {
                        // out of retries: hand the invalid formula on, so it is recorded as invalid with the reason
                        notes.add(problem);
                    }
                    return new Draft(text(json, "name", "llm-factor", MAX_NAME), text(json, "hypothesis", "",
                            MAX_TEXT), formula, text(json, "expected_behaviour", "", MAX_TEXT), parent, in, out,
                            String.join("; ", notes));
                }
            }
            notes.add(problem);
            String echo = text == null ? "" : text;
            messages.add(AiMessage.from(echo.length() > MAX_ECHO ? echo.substring(0, MAX_ECHO) + " [... the rest of the "
                    + "reply, " + (echo.length() - MAX_ECHO) + " more characters, is left out]" : echo));
            messages.add(UserMessage.from("That cannot be used: " + problem + ". Reply with one corrected JSON "
                    + "object only."));
        }
        throw new LlmFailure("the model gave no usable factor after " + (settings.formulaRetries() + 1)
                + " replies: " + problem, in, out, null);
    }

    /** One call; a refusal of the credentials stops the caller ({@link Refused}). */
    private ChatResponse call(List<ChatMessage> messages, long in, long out) {
        try {
            return chat.call(messages, in, out);
        } catch (LlmFailure e) {
            if (e.refused()) {
                throw new Refused(e);
            }
            throw e;
        }
    }

    /** Why the formula cannot be used, or null if it parses. */
    private String parseProblem(String formula) {
        try {
            sandbox.parse(formula);
            return null;
        } catch (FormulaException e) {
            return "the formula does not parse: " + e.getMessage();
        }
    }

    private static String text(JsonNode json, String key, String fallback, int max) {
        JsonNode n = json.get(key);
        String s = n == null || n.isNull() ? fallback : n.isTextual() ? n.asText() : n.toString();
        return s.length() > max ? s.substring(0, max) : s;
    }

    private static String excerpt(String text) {
        if (text == null || text.isBlank()) {
            return "empty reply";
        }
        String t = text.strip().replaceAll("\\s+", " ");
        return "\"" + (t.length() > 80 ? t.substring(0, 80) + "..." : t) + "\"";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LLM writer (%s at %s)", settings.model(), settings.baseUrl());
    }
}
