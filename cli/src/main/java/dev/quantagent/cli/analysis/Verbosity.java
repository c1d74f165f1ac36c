package dev.quantagent.cli.analysis;

/**
 * How much of a report the markdown shows. JSON always carries everything.
 * brief: summary, grade, top concerns and recommendations; standard: + metrics, strengths, all concerns,
 * recommendations, sizing; detailed: + implementation steps, risk checklist, metric explanations; expert: + the
 * interpretation thresholds used, cost and in/out-of-sample tables, the loss breakdown by weekday.
 */
public enum Verbosity { BRIEF, STANDARD, DETAILED, EXPERT }
