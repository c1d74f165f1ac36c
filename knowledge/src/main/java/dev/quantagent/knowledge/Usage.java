package dev.quantagent.knowledge;

/** Time and LLM tokens spent on one factor. */
public record Usage(long writerMillis, long evalMillis, long judgeMillis, long promptTokens, long completionTokens) {

    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);
}
