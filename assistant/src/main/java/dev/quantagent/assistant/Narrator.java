package dev.quantagent.assistant;

import com.fasterxml.jackson.databind.JsonNode;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.quantagent.assistant.Report.CostCase;
import dev.quantagent.assistant.Report.Finding;
import dev.quantagent.assistant.Report.Recommendation;
import dev.quantagent.llm.LlmChat;
import dev.quantagent.llm.LlmFailure;
import dev.quantagent.llm.LlmSettings;
import dev.quantagent.llm.Sleeper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The optional LLM narrative of a backtest report. The model gets the computed report (metrics, grade, findings,
 * recommendations) and answers through langchain4j with structured output (a JSON schema): a summary, and for each
 * recommendation a deepening that makes it concrete. Every number in the answer is checked against the computed
 * figures ({@link Figures}); an answer that invents or contradicts a number, or that cannot be read, goes back once
 * with what was wrong, and if the second answer fails too the report keeps its rule-based summary and says why. The
 * rule-based report is complete without it: the narrative only adds.
 */
public final class Narrator { // one report at a time: Analysis.render narrates in order

    /** Replies sent back for correction before the rule-based summary stands alone. */
    static final int RETRIES = 1;

    private static final int MAX_SUMMARY = 3000;
    private static final int MAX_DEEPENING = 1500;

    private static final ResponseFormat FORMAT = ResponseFormat.builder().type(ResponseFormatType.JSON)
            .jsonSchema(JsonSchema.builder().name("backtest_narrative").rootElement(JsonObjectSchema.builder()
                    .addStringProperty("summary", "three to five sentences: what the backtest shows and how far to "
                            + "trust it")
                    .addProperty("recommendations", JsonArraySchema.builder().items(JsonObjectSchema.builder()
                            .addIntegerProperty("index", "the number after R in the recommendation's label")
                            .addStringProperty("deepening", "two or three sentences making it concrete for this "
                                    + "strategy")
                            .required("index", "deepening").additionalProperties(false).build()).build())
                    .required("summary", "recommendations").additionalProperties(false).build()).build())
            .build();

    private static final String SYSTEM = "You are a senior quantitative analyst writing the narrative of a backtest "
            + "review for the trader who ran it. You get the figures and findings that rule-based checks computed. "
            + "Write a summary of what the backtest shows and how far to trust it, and deepen each recommendation: "
            + "say concretely what to do for this strategy and why, in the light of the figures. Quote numbers only "
            + "as the figures give them (rounding is fine); never compute new numbers (no differences, ratios, "
            + "projections or targets) and never invent thresholds or parameters: say it in words instead. Do not "
            + "contradict the findings. Reply with one JSON object: {\"summary\": text, \"recommendations\": "
            + "[{\"index\": the number after R in the recommendation's label, \"deepening\": text}]}.";

    private final LlmChat chat;
    private Consumer<String> onStart = strategy -> { };
    private long promptTokens;
    private long completionTokens;

    public Narrator(ChatModel model, LlmSettings settings, Sleeper sleeper) {
        this.chat = new LlmChat(model, settings, sleeper);
    }

    /**
     * Tells {@code listener} the strategy's name as each narrative starts, before the model is called (a command
     * shows its progress with it: narratives take seconds each).
     *
     * @return this narrator
     */
    public Narrator onStart(Consumer<String> listener) {
        this.onStart = Objects.requireNonNull(listener);
        return this;
    }

    /** Tokens used by every narrative so far. */
    public long promptTokens() {
        return promptTokens;
    }

    public long completionTokens() {
        return completionTokens;
    }

    /** Dollars spent so far. */
    public double cost() {
        return chat.settings().cost(promptTokens, completionTokens);
    }

    public String model() {
        return chat.settings().model();
    }

    /** The narrative of a report, checked; never throws for what the model or the endpoint does. */
    public Narrative narrate(Report r) {
        onStart.accept(r.strategy());
        Figures figures = new Figures();
        String facts = facts(r, figures);
        List<ChatMessage> messages = new ArrayList<>(List.of(SystemMessage.from(SYSTEM),
                UserMessage.from(facts + "\nWrite the narrative.")));
        List<String> rejected = new ArrayList<>();
        long in = 0;
        long out = 0;
        int replies = 0;
        try {
            for (int round = 0; round <= RETRIES; round++) {
                ChatResponse response = chat.call(messages, FORMAT, in, out);
                replies++;
                TokenUsage u = response.tokenUsage();
                if (u != null) {
                    in += u.inputTokenCount() == null ? 0 : u.inputTokenCount();
                    out += u.outputTokenCount() == null ? 0 : u.outputTokenCount();
                }
                String text = response.aiMessage() == null ? null : response.aiMessage().text();
                String problem;
                JsonNode json = LlmChat.extractJson(text);
                if (json == null || !json.path("summary").isTextual() || json.path("summary").asText().isBlank()) {
                    problem = "the reply was not the JSON object asked for (a \"summary\" text and "
                            + "\"recommendations\")";
                } else {
                    String summary = cut(json.path("summary").asText(), MAX_SUMMARY);
                    List<String> deepenings = deepenings(json.path("recommendations"), r.recommendations().size());
                    List<String> unsupported = figures.unsupported(summary + "\n" + String.join("\n", deepenings));
                    if (unsupported.isEmpty()) {
                        return done(r, summary, deepenings, null, rejected, replies, in, out);
                    }
                    problem = "these numbers are not among the computed figures: " + String.join(", ", unsupported);
                }
                rejected.add(problem);
                messages.add(AiMessage.from(text == null ? "" : text));
                messages.add(UserMessage.from("That cannot be used: " + problem + ". Quote only figures given above "
                        + "(rounded as you like) or say it in words. Reply with the corrected JSON object only."));
            }
            return done(r, null, List.of(), "the model's narrative was rejected twice: "
                    + rejected.get(rejected.size() - 1), rejected, replies, in, out);
        } catch (LlmFailure e) {
            return done(r, null, List.of(), "no narrative from the LLM: " + e.getMessage(), rejected, replies,
                    e.promptTokens(), e.completionTokens());
        }
    }

    private Narrative done(Report r, String summary, List<String> deepenings, String fallback, List<String> rejected,
                           int replies, long in, long out) {
        promptTokens += in;
        completionTokens += out;
        List<String> all = deepenings.isEmpty() ? Collections.nCopies(r.recommendations().size(), "") : deepenings;
        return new Narrative(chat.settings().model(), summary, all, fallback, rejected, replies, in, out,
                chat.settings().cost(in, out));
    }

    /** One text per recommendation ("" where the model said nothing); unknown numbers are dropped. */
    private static List<String> deepenings(JsonNode items, int n) {
        List<String> out = new ArrayList<>(Collections.nCopies(n, ""));
        for (JsonNode item : items) {
            int i = item.path("index").asInt(0);
            String text = item.path("deepening").asText("").strip();
            if (i >= 1 && i <= n && !text.isEmpty()) {
                out.set(i - 1, cut(text, MAX_DEEPENING));
            }
        }
        return out;
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "…" : s;
    }

    /**
     * The computed report as the model reads it; every figure it states, and the metrics at full precision, go
     * into {@code figures}. The instructions state no numbers, so the figures are the only ones the model is shown.
     */
    static String facts(Report r, Figures figures) {
        Backtest bt = r.backtest();
        StringBuilder sb = new StringBuilder();
        sb.append("Strategy: ").append(bt.strategy()).append(" (").append(bt.type()).append(", ")
                .append(bt.assetClass().name().toLowerCase(Locale.ROOT)).append("), ")
                .append(Formats.day(bt.periodStart())).append(" to ").append(Formats.day(bt.periodEnd()))
                .append(", ").append(Formats.num(r.metrics().periodsPerYear())).append(" periods a year");
        if (bt.leverage() != 1) {
            sb.append(", leverage ").append(Formats.num(bt.leverage()));
        }
        if (bt.feesBps() == bt.feesBps() || bt.slippageBps() == bt.slippageBps()) {
            sb.append(", fees ").append(Formats.num(bt.feesBps())).append(" bps and slippage ")
                    .append(Formats.num(bt.slippageBps())).append(" bps a side");
        }
        sb.append(".\n").append(String.format(Locale.ROOT, "Grade %s, score %.0f out of 100.%n", r.grade(),
                r.score()));
        sb.append("Rule-based summary: ").append(r.summary()).append("\nMetrics:\n");
        for (Map.Entry<String, Double> e : r.metrics().values().entrySet()) {
            Metrics.Def d = Metrics.def(e.getKey());
            sb.append("- ").append(d.label()).append(": ").append(Formats.format(d, e.getValue())).append('\n');
            if (d.kind() == Metrics.Kind.PCT) {
                figures.percentage(e.getValue());
            } else {
                figures.plain(e.getValue());
            }
        }
        sb.append("Sharpe band: ").append(r.sharpeBand().label()).append(" (").append(r.sharpeBand().meaning())
                .append("). Drawdown band: ").append(r.drawdownBand().label()).append(" (")
                .append(r.drawdownBand().meaning()).append("). Trade profile: ").append(r.profile()).append(".\n");
        sb.append("Concerns, most severe first:\n");
        if (r.findings().isEmpty()) {
            sb.append("- none\n");
        }
        for (Finding f : r.findings()) {
            sb.append("- ").append(f.severity().name().toLowerCase(Locale.ROOT)).append(": ").append(f.title())
                    .append(": ").append(f.detail()).append('\n');
        }
        sb.append("Strengths:\n");
        if (r.strengths().isEmpty()) {
            sb.append("- none stand out\n");
        }
        r.strengths().forEach(s -> sb.append("- ").append(s).append('\n'));
        sb.append("Recommendations:\n");
        if (r.recommendations().isEmpty()) {
            sb.append("- none\n");
        }
        for (int i = 0; i < r.recommendations().size(); i++) {
            Recommendation rec = r.recommendations().get(i);
            sb.append("R").append(i + 1).append(" (").append(rec.priority().name().toLowerCase(Locale.ROOT))
                    .append(", ").append(rec.category().label).append("): ").append(rec.title())
                    .append(". Expected impact: ").append(rec.expectedImpact()).append(". Steps: ")
                    .append(String.join(" / ", rec.steps())).append('\n');
        }
        if (!r.costs().isEmpty()) {
            sb.append("Cost sensitivity:");
            for (CostCase c : r.costs()) {
                sb.append(String.format(Locale.ROOT, " at %.0fx costs the round trip costs %s, the mean trade "
                                + "returns %s and the profit factor is %s (edge %s);", c.multiplier(),
                        Formats.pct(c.roundTripCost()), Formats.pct(c.meanTradeReturn()),
                        Formats.num(c.profitFactor()), c.edgeSurvives() ? "survives" : "gone"));
                figures.percentage(c.roundTripCost());
                figures.percentage(c.meanTradeReturn());
                figures.plain(c.profitFactor());
            }
            sb.append('\n');
        }
        if (r.halves() != null) {
            Report.Halves h = r.halves();
            sb.append(String.format(Locale.ROOT, "In sample vs out of sample: Sharpe %s vs %s, annual return %s vs "
                            + "%s, over %d and %d periods.%n", Formats.num(h.isSharpe()), Formats.num(h.oosSharpe()),
                    Formats.pct(h.isAnnualReturn()), Formats.pct(h.oosAnnualReturn()), h.isPeriods(),
                    h.oosPeriods()));
            figures.plain(h.isSharpe());
            figures.plain(h.oosSharpe());
            figures.percentage(h.isAnnualReturn());
            figures.percentage(h.oosAnnualReturn());
        }
        sb.append("Position sizing: ").append(r.sizing().guidance()).append('\n');
        figures.plain(r.score());
        figures.statedIn(sb.toString());
        return sb.toString();
    }
}
