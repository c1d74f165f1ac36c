package dev.quantagent.agents;

/** Proposes factor formulas and refines them from a Judge's verdict. */
public interface Writer {

    /** A fresh idea. */
    Draft draft(WriterContext context);

    /** A revision of {@code previous} that answers the Judge's findings. */
    Draft refine(Draft previous, Verdict verdict, WriterContext context);
}
