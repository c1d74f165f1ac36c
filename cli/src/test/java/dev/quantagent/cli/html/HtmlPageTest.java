package dev.quantagent.cli.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.cli.render.Json;

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
        ObjectNode o = Json.object().put("name", "</script>&\u2028");
        assertEquals("{\"name\":\"\\u003C/script\\u003E\\u0026\\u2028\"}", HtmlPage.json(o));
    }

    @Test
    void chartDataWritesAnUndefinedNumberAsNull() {
        ObjectNode o = Json.object().put("a", Double.NaN).put("b", 0.5);
        assertEquals("{\"a\":null,\"b\":0.5}", HtmlPage.json(o));
    }

    @Test
    void tableCellsAreEscapedAndCodeColumnsSetAsCode() {
        String html = new HtmlPage("t").table(new HtmlPage.Table("formula", "rank IC").code(0).numeric(1)
                .row("rank(close) < 1", "0.0123")).finish(Json.object(), "");
        assertTrue(html.contains("<tr><td><code>rank(close) &lt; 1</code></td><td class=\"num\">0.0123</td></tr>"),
                html.substring(0, 3000));
        PageChecks.assertSelfContained(html);
    }

    @Test
    void commentLinesOfTheDrawingCodeAreLeftOutOfThePage() {
        String prelude = HtmlPage.resource("prelude.js");
        assertTrue(prelude.contains("  function draw(id, config) {\n"), prelude);
        assertTrue(prelude.lines().noneMatch(line -> line.strip().startsWith("//")), prelude);
        assertTrue(new HtmlPage("t").finish(Json.object(), "").contains(prelude));
    }
}
