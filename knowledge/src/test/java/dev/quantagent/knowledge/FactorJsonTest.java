package dev.quantagent.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class FactorJsonTest {

    private static final FactorRecord RECORD = KnowledgeBaseTest.factor("m", "rank(delta(close, 5) / close)", "h")
            .run("run-1", 1, 2).writer("offline", null).status(Status.ACCEPTED, List.of()).judge(50.0, "ok")
            .stats(KnowledgeBaseTest.stats(0.02), new Stats(0.01, 0.03, Double.NaN, 0.4, 2.5, 0.001, 0.12, 1.1, -0.2,
                    0.35, 0.98, 250, 2.2, 1.3), null)
            .usage(new Usage(1200, 35, 900, 1500, 300)).createdAt(Instant.parse("2025-01-02T03:04:05Z")).build();

    @Test
    void nestedFiguresUseEvalsSnakeCaseNames() {
        ObjectNode o = FactorJson.toJson(RECORD);
        assertEquals(0.03, o.get("valid").get("rank_ic").asDouble());
        assertEquals(250, o.get("valid").get("n_dates").asInt());
        assertEquals(2.5, o.get("valid").get("ic_tstat").asDouble());
        assertTrue(o.get("complexity").has("distinct_fields"));
        assertEquals(1200, o.get("usage").get("writer_millis").asLong());
        assertFalse(o.get("valid").has("rankIc"));
    }

    @Test
    void anUndefinedStatisticIsNullAsInEval() {
        JsonNode icir = FactorJson.toJson(RECORD).get("valid").get("icir");
        assertTrue(icir.isNull(), icir.toString());
    }

    @Test
    void theJsonShapeReadsBackToTheSameRecordUndefinedValuesIncluded() {
        assertEquals(RECORD, FactorJson.fromJson(FactorJson.toJson(RECORD)));
    }

    @Test
    void aVersion2ExportWithCamelCaseAndNaNStringsStillReads() throws Exception {
        ObjectNode o = FactorJson.toJson(RECORD);
        o.set("valid", FactorJson.MAPPER.readTree("{\"ic\":0.01,\"rankIc\":0.03,\"icir\":\"NaN\",\"rankIcir\":0.4,"
                + "\"icTstat\":2.5,\"longShort\":0.001,\"annualReturn\":0.12,\"sharpe\":1.1,\"maxDrawdown\":-0.2,"
                + "\"turnover\":0.35,\"coverage\":0.98,\"nDates\":250}"));
        o.set("usage", FactorJson.MAPPER.readTree("{\"writerMillis\":1200,\"evalMillis\":35,\"judgeMillis\":900,"
                + "\"promptTokens\":1500,\"completionTokens\":300}"));
        Stats v = RECORD.valid();
        // figures kept since version 3 read as 0 from older records
        Stats older = new Stats(v.ic(), v.rankIc(), v.icir(), v.rankIcir(), v.icTstat(), v.longShort(),
                v.annualReturn(), v.sharpe(), v.maxDrawdown(), v.turnover(), v.coverage(), v.nDates(), 0, 0);
        assertEquals(RECORD.toBuilder().stats(RECORD.train(), older, null).build(), FactorJson.fromJson(o));
    }

    @Test
    void anExportNewerThanThisBuildIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Exchange.importJson(null,
                new StringReader("{\"format\":\"quantagent-kb\",\"version\":9,\"runs\":[],\"factors\":[]}")));
        assertEquals("the export is version 9, written by a newer QuantAgent; this one reads versions up to 3",
                e.getMessage());
    }
}
