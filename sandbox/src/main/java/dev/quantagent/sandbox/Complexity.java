package dev.quantagent.sandbox;

/**
 * Size figures of a factor's canonical form, which the Judge penalises (simpler factors overfit less).
 *
 * @param nodes          nodes of the canonical tree (operators, fields, constants)
 * @param depth          depth of the canonical tree (a lone field has depth 1)
 * @param distinctFields distinct data fields used
 * @param parameters     free numeric parameters: every constant, windows included, that a search could tune
 */
public record Complexity(int nodes, int depth, int distinctFields, int parameters) {
}
