package dev.quantagent.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChartDataTest {

    @Test
    void dailyTimesAreLabelledByDayAndIntradayTimesByMinute() {
        // 2024-03-01 00:00 UTC, then the next day; then 13:00 on the same day
        assertEquals("[\"2024-03-01\",\"2024-03-02\"]",
                ChartData.timeLabels(new long[] {1_709_251_200L, 1_709_337_600L}).toString());
        assertEquals("[\"2024-03-01 00:00\",\"2024-03-01 13:00\"]",
                ChartData.timeLabels(new long[] {1_709_251_200L, 1_709_251_200L + 13 * 3600}).toString());
    }
}
