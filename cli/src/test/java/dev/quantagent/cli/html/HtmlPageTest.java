package dev.quantagent.cli.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

class HtmlPageTest {

    @Test
    void textIsEscapedForElementsAndQuotedAttributes() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
                HtmlPage.esc("<a href=\"x\" title='y'>&</a>"));
        assertEquals("", HtmlPage.esc(null));
    }

    @Test
    void jsonCannotCloseItsScriptElement() {
        ObjectNode o = HtmlPage.object().put("name", "</script>&\u2028");
        assertEquals("{\"name\":\"\\u003C/script\\u003E\\u0026\\u2028\"}", HtmlPage.json(o));
    }

    @Test
    void numbersThatAreNotFiniteBecomeNulls() {
        ObjectNode o = HtmlPage.object();
        HtmlPage.put(o, "a", Double.NaN);
        HtmlPage.put(o, "b", Double.POSITIVE_INFINITY);
        HtmlPage.add(o.putArray("c"), 0.5);
        assertEquals("{\"a\":null,\"b\":null,\"c\":[0.5]}", o.toString());
    }

    @Test
    void dailyTimesAreLabelledByDayAndIntradayTimesByMinute() {
        // 2024-03-01 00:00 UTC, then the next day; then 13:00 on the same day
        assertEquals("[\"2024-03-01\",\"2024-03-02\"]",
                HtmlPage.timeLabels(new long[] {1_709_251_200L, 1_709_337_600L}).toString());
        assertEquals("[\"2024-03-01 00:00\",\"2024-03-01 13:00\"]",
                HtmlPage.timeLabels(new long[] {1_709_251_200L, 1_709_251_200L + 13 * 3600}).toString());
    }

    @Test
    void tableCellsAreEscapedAndCodeColumnsSetAsCode() {
        String html = new HtmlPage("t").table(new HtmlPage.Table("formula", "rank IC").code(0).numeric(1)
                .row("rank(close) < 1", "0.0123")).finish(HtmlPage.object(), "");
        assertTrue(html.contains("<tr><td><code>rank(close) &lt; 1</code></td><td class=\"num\">0.0123</td></tr>"),
                html.substring(0, 3000));
        PageChecks.assertSelfContained(html);
    }
}
