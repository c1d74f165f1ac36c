package dev.quantagent.knowledge;

import dev.quantagent.sandbox.Complexity;
import dev.quantagent.sandbox.Factor;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One tested factor as the knowledge base keeps it.
 *
 * @param id               assigned by the knowledge base (0 before insertion)
 * @param formula          as written
 * @param canonical        canonical form (null if the formula did not parse)
 * @param hash             hash of the canonical form (null if it did not parse)
 * @param parentId         the factor this one was derived from (lineage), or null
 * @param writerKind       {@code llm} or {@code offline}
 * @param rejectionReasons why it was rejected or invalid (empty if accepted)
 * @param complexity       of the canonical form, or null
 * @param datasetKey       the key of the data set it was evaluated on, as {@link RunRecord#dataKey()}
 * @param test             test statistics, only if a user unsealed them; else null
 * @param createdAt        millisecond precision
 */
public record FactorRecord(long id, String name, String formula, String canonical, String hash, String hypothesis,
                           Long parentId, String runId, int round, int step, String writerKind, String writerModel,
                           Status status, List<String> rejectionReasons, Double judgeScore, String judgeFeedback,
                           Complexity complexity, String datasetKey, Stats train, Stats valid, Stats test,
                           Usage usage, Instant createdAt) {

    public FactorRecord {
        rejectionReasons = rejectionReasons == null ? List.of() : List.copyOf(rejectionReasons);
        usage = usage == null ? Usage.NONE : usage;
        createdAt = createdAt == null ? null : createdAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** The text that is embedded: name, hypothesis and formula. */
    public String embeddingText() {
        return embeddingText(name, hypothesis, canonical, formula);
    }

    /** The text a factor's vector is made from: "name. hypothesis. canonical formula" (the formula if none). */
    public static String embeddingText(String name, String hypothesis, String canonical, String formula) {
        StringBuilder sb = new StringBuilder();
        if (name != null) {
            sb.append(name).append(". ");
        }
        if (hypothesis != null) {
            sb.append(hypothesis).append(". ");
        }
        return sb.append(canonical != null ? canonical : formula).toString();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder from a parsed factor (canonical form, hash and complexity filled in). */
    public static Builder builder(Factor factor) {
        return new Builder(factor.formula()).canonical(factor.canonical(), factor.hash())
                .complexity(factor.complexity());
    }

    /** A builder from text only, for formulas that did not parse. */
    public static Builder builder(String formula) {
        return new Builder(formula);
    }

    /** Builds records field by field; status defaults to accepted, writer kind to offline. */
    public static final class Builder {
        private long id;
        private String name;
        private final String formula;
        private String canonical;
        private String hash;
        private String hypothesis;
        private Long parentId;
        private String runId;
        private int round;
        private int step;
        private String writerKind = "offline";
        private String writerModel;
        private Status status = Status.ACCEPTED;
        private List<String> rejectionReasons = List.of();
        private Double judgeScore;
        private String judgeFeedback;
        private Complexity complexity;
        private String datasetKey;
        private Stats train;
        private Stats valid;
        private Stats test;
        private Usage usage = Usage.NONE;
        private Instant createdAt;

        private Builder(String formula) {
            this.formula = formula;
        }

        private Builder(FactorRecord r) {
            this(r.formula);
            id = r.id;
            name = r.name;
            canonical = r.canonical;
            hash = r.hash;
            hypothesis = r.hypothesis;
            parentId = r.parentId;
            runId = r.runId;
            round = r.round;
            step = r.step;
            writerKind = r.writerKind;
            writerModel = r.writerModel;
            status = r.status;
            rejectionReasons = r.rejectionReasons;
            judgeScore = r.judgeScore;
            judgeFeedback = r.judgeFeedback;
            complexity = r.complexity;
            datasetKey = r.datasetKey;
            train = r.train;
            valid = r.valid;
            test = r.test;
            usage = r.usage;
            createdAt = r.createdAt;
        }

        public Builder id(long v) {
            id = v;
            return this;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder canonical(String canonicalForm, String canonicalHash) {
            canonical = canonicalForm;
            hash = canonicalHash;
            return this;
        }

        public Builder hypothesis(String v) {
            hypothesis = v;
            return this;
        }

        public Builder parent(Long v) {
            parentId = v;
            return this;
        }

        public Builder run(String runIdentifier, int roundNumber, int stepNumber) {
            runId = runIdentifier;
            round = roundNumber;
            step = stepNumber;
            return this;
        }

        public Builder writer(String kind, String model) {
            writerKind = kind;
            writerModel = model;
            return this;
        }

        public Builder status(Status v, List<String> reasons) {
            status = v;
            rejectionReasons = reasons;
            return this;
        }

        public Builder judge(Double score, String feedback) {
            judgeScore = score;
            judgeFeedback = feedback;
            return this;
        }

        public Builder complexity(Complexity v) {
            complexity = v;
            return this;
        }

        public Builder dataset(String v) {
            datasetKey = v;
            return this;
        }

        public Builder stats(Stats trainStats, Stats validStats, Stats testStats) {
            train = trainStats;
            valid = validStats;
            test = testStats;
            return this;
        }

        public Builder usage(Usage v) {
            usage = v;
            return this;
        }

        public Builder createdAt(Instant v) {
            createdAt = v;
            return this;
        }

        public FactorRecord build() {
            return new FactorRecord(id, name, formula, canonical, hash, hypothesis, parentId, runId, round, step,
                    writerKind, writerModel, status, rejectionReasons, judgeScore, judgeFeedback, complexity,
                    datasetKey, train, valid, test, usage, createdAt);
        }
    }
}
