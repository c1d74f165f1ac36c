package dev.quantagent.agents;

import com.fasterxml.jackson.databind.JsonNode;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.llm.Cancelled;
import dev.quantagent.llm.LlmChat;
import dev.quantagent.llm.LlmFailure;
import dev.quantagent.llm.LlmSettings;
import dev.quantagent.llm.Refused;
import dev.quantagent.llm.Sleeper;
import dev.quantagent.sandbox.Complexity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Judge that adds a language model's critique to the rule Judge's search verdict. The rules decide first (the
 * caller passes their verdict, reached with the run's own thresholds); the model receives the train statistics (the
 * search never sees valid, see {@link RuleJudge}) and the rule findings and returns, as JSON, a critique, concrete suggestions and whether it would keep the factor. It may reject
 * a factor the rules accepted (say, an economically implausible one), but it can never accept one the rules
 * rejected: duplicates, invalid formulas, leakage and the other hard rules stand. If the model fails, the rule
 * verdict stands alone, with a note. A mining run asks it only about factors the rules accepted, since it cannot
 * change the others' verdict.
 */
public final class LlmJudge implements Judge { // thread-safe: mining explores candidates in parallel

    private final LlmChat chat;

    public LlmJudge(ChatModel model, LlmSettings settings, Sleeper sleeper) {
        this(model, settings, sleeper, null);
    }

    /** @param cancelled when it turns true (Ctrl-C), a call in flight ends with {@link Cancelled}; null: never */
    public LlmJudge(ChatModel model, LlmSettings settings, Sleeper sleeper,
                    java.util.function.BooleanSupplier cancelled) {
        this.chat = new LlmChat(model, settings, sleeper, cancelled);
    }

    /**
     * Asks the model for its critique of a candidate the rules judged {@code before} (see the class comment for who
     * decides); the tokens are this call's.
     */
    @Override
    public Judgement judge(Candidate c, Verdict before) {
        return judge(c.factor().formula(), c.hypothesis(), c.report(), c.factor().complexity(), before);
    }

    Judgement judge(String formula, String hypothesis, FactorReport report, Complexity complexity, Verdict ruled) {
        List<ChatMessage> messages = List.of(SystemMessage.from(SYSTEM),
                UserMessage.from(prompt(formula, hypothesis, report, complexity, ruled)));
        JsonNode json;
        long in;
        long out;
        try {
            ChatResponse r = chat.call(messages, 0, 0);
            in = LlmChat.promptTokens(r);
            out = LlmChat.completionTokens(r);
            json = LlmChat.extractJson(r.aiMessage() == null ? null : r.aiMessage().text());
        } catch (LlmFailure e) {
            if (e.refused()) {
                throw new Refused(e); // every factor after it would be judged by the rules alone
            }
            return new Judgement(new Verdict(ruled.accepted(), ruled.score(), ruled.feedback(),
                    "(LLM judge unavailable: " + e.getMessage() + ")"), 0, 0);
        }
        return new Judgement(verdict(json, ruled), in, out);
    }

    /** The rule verdict with the model's critique; the model may only turn an acceptance into a rejection. */
    private static Verdict verdict(JsonNode json, Verdict ruled) {
        if (json == null) {
            return new Verdict(ruled.accepted(), ruled.score(), ruled.feedback(), "(the LLM judge's reply had no "
                    + "JSON; the rule verdict stands)");
        }
        StringBuilder critique = new StringBuilder(json.path("critique").asText(""));
        JsonNode suggestions = json.path("suggestions");
        if (suggestions.isArray() && suggestions.size() > 0) {
            critique.append(" Suggestions:");
            for (JsonNode s : suggestions) {
                critique.append(" - ").append(s.asText());
            }
        }
        String text = critique.length() > 4000 ? critique.substring(0, 4000) : critique.toString();
        boolean keep = !json.has("accept") || json.path("accept").asBoolean(true);
        if (ruled.accepted() && !keep) {
            List<Feedback> feedback = new ArrayList<>(ruled.feedback());
            feedback.add(0, new Feedback(Feedback.Category.WEAK_SIGNAL, true, "The LLM judge rejects it: "
                    + json.path("critique").asText("no reason given")));
            return new Verdict(false, ruled.score(), feedback, text);
        }
        return new Verdict(ruled.accepted(), ruled.score(), ruled.feedback(), text);
    }

    private static final String SYSTEM = "You review alpha factors as an experienced quantitative researcher. You get "
            + "a factor, its statistics on the training period and the findings of rule-based checks. Reply with one "
            + "JSON object: {\"accept\": true or false, \"critique\": two or three sentences on whether the signal "
            + "is economically plausible, robust and tradeable, \"suggestions\": [concrete changes to the "
            + "formula]}. Quote numbers only from the statistics given.";

    static String prompt(String formula, String hypothesis, FactorReport report, Complexity c, Verdict ruled) {
        SplitStatistics t = report.splits().get(Split.TRAIN);
        return String.format(Locale.ROOT, "Factor: %s%nHypothesis: %s%nComplexity: %d nodes, depth %d.%n"
                        + "Train: rank IC %.4f (Newey-West t %.2f), rank ICIR %.3f, IC positive on %.0f%% of days, "
                        + "long-short Sharpe %.2f after costs (%.2f before), max drawdown %.1f%%, turnover %.0f%%, "
                        + "coverage %.0f%%.%nRule checks: %s",
                formula, hypothesis == null ? "" : hypothesis, c.nodes(), c.depth(), t.rankIc(),
                t.rankIcTstatNeweyWest(), t.rankIcir(), 100 * t.icPositiveRatio(), t.portfolio().sharpe(),
                t.grossPortfolio().sharpe(), 100 * t.portfolio().maxDrawdown(), 100 * t.turnover(),
                100 * t.coverage(), ruled.summary());
    }
}
