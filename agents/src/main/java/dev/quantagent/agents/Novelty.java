package dev.quantagent.agents;

/**
 * How a candidate relates to what is already known, computed by the caller from the knowledge base.
 *
 * @param duplicateOf        id of a factor with the same canonical hash, or null
 * @param maxCorrelation     largest |factor correlation| (valid split) with an accepted factor, NaN if none
 * @param mostCorrelatedWith id of that factor, or null
 * @param largestCommonNodes nodes of the largest sub-tree shared with an accepted factor (0 if none)
 * @param overlapWith        id of that factor, or null
 */
public record Novelty(String duplicateOf, double maxCorrelation, String mostCorrelatedWith, int largestCommonNodes,
                      String overlapWith) {

    /** Nothing known yet: no duplicates, no correlation, no overlap. */
    public static final Novelty NONE = new Novelty(null, Double.NaN, null, 0, null);
}
