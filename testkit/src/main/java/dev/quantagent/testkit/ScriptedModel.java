package dev.quantagent.testkit;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * A fake chat model for tests: replies in order, each a text (100 prompt and 20 completion tokens) or an exception
 * to throw; records what it was asked.
 */
public final class ScriptedModel implements ChatModel {
    private final Deque<Supplier<ChatResponse>> replies = new ArrayDeque<>();
    final List<List<ChatMessage>> requests = new ArrayList<>();
    private final List<ChatRequest> fullRequests = new ArrayList<>();

    public ScriptedModel say(String text) {
        replies.add(() -> ChatResponse.builder().aiMessage(AiMessage.from(text))
                .tokenUsage(new TokenUsage(100, 20)).build());
        return this;
    }

    public ScriptedModel fail(RuntimeException e) {
        replies.add(() -> {
            throw e;
        });
        return this;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        requests.add(request.messages());
        fullRequests.add(request);
        return replies.removeFirst().get();
    }

    /** Calls received. */
    public int calls() {
        return requests.size();
    }

    /** The requests as sent, with their parameters (such as the response format). */
    public List<ChatRequest> received() {
        return fullRequests;
    }

    public String lastUserMessage() {
        List<ChatMessage> m = requests.get(requests.size() - 1);
        return ((UserMessage) m.get(m.size() - 1)).singleText();
    }
}
