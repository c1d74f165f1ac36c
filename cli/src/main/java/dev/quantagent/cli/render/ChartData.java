package dev.quantagent.cli.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.evaluator.Split;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Pieces of the series the pages chart: time labels, and which points of a series running split after split are
 * which split's. Here rather than with the pages because a run keeps its figures in this shape ({@link RunSummary}).
 */
public final class ChartData {

    private ChartData() {
    }

    /**
     * Chart labels for epoch-second times: {@code 2024-03-01} when every time is a midnight (daily data), else
     * {@code 2024-03-01 13:00}.
     */
    public static ArrayNode timeLabels(long[] times) {
        boolean intraday = false;
        for (long x : times) {
            intraday |= x % 86_400 != 0;
        }
        ArrayNode labels = Json.array();
        for (long x : times) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(x, 0, ZoneOffset.UTC);
            labels.add(intraday ? t.toString().replace('T', ' ') : t.toLocalDate().toString());
        }
        return labels;
    }

    /** Adds {@code {split, from, to}}: which points of a chart's series are the split's. */
    public static void range(ArrayNode ranges, Split s, int from, int n) {
        ObjectNode r = ranges.addObject();
        r.put("split", s.key());
        r.put("from", from);
        r.put("to", from + n);
    }
}
