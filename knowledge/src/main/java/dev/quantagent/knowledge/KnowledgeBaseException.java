package dev.quantagent.knowledge;

/** A knowledge base that cannot be used as asked (locked by another process, too new, unreadable). */
public final class KnowledgeBaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KnowledgeBaseException(String message) {
        super(message);
    }

    public KnowledgeBaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
