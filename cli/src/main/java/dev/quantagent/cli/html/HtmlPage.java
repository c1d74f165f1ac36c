package dev.quantagent.cli.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;

import dev.quantagent.cli.render.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * One self-contained HTML page with Chart.js charts, as every report of QuantAgent renders it: text escaped, chart
 * data as JSON in a {@code <script type="application/json">} block, and Chart.js inlined from its WebJar, so the
 * page needs no network when viewed and no user text is ever part of the code. A page's own drawing code is static
 * text that runs after {@link #PRELUDE}.
 */
public final class HtmlPage {

    /** The Chart.js UMD bundle inside the WebJar (the version comes from the pom, via the jar's properties). */
    private static final String WEBJAR = "META-INF/resources/webjars/chart.js/";
    private static final String POM_PROPERTIES = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

    private static volatile String chartJs;

    private final StringBuilder sb = new StringBuilder(300_000);

    /** Starts a page: head, styles, body. */
    public HtmlPage(String title) {
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    }

    /** Appends markup whose every piece of text the caller escaped with {@link #esc}. */
    public HtmlPage raw(String html) {
        sb.append(html);
        return this;
    }

    /** A heading, {@code level} 1 to 3. */
    public HtmlPage heading(int level, String text) {
        sb.append("<h").append(level).append('>').append(esc(text)).append("</h").append(level).append(">\n");
        return this;
    }

    /** A paragraph of plain text. */
    public HtmlPage paragraph(String text) {
        return paragraph(null, text);
    }

    /** A paragraph of plain text with a CSS class (e.g. {@code meta}, {@code note}). */
    public HtmlPage paragraph(String cssClass, String text) {
        sb.append(cssClass == null ? "<p>" : "<p class=\"" + esc(cssClass) + "\">").append(esc(text)).append("</p>\n");
        return this;
    }

    /** A bulleted list of plain text, or {@code none} as a paragraph if there are no items. */
    public HtmlPage list(List<String> items, String none) {
        if (items.isEmpty()) {
            return paragraph(none);
        }
        sb.append("<ul>\n");
        for (String s : items) {
            sb.append("<li>").append(esc(s)).append("</li>\n");
        }
        sb.append("</ul>\n");
        return this;
    }

    /** Opens the grid the charts are laid out in; close it with {@link #endCharts()}. */
    public HtmlPage charts() {
        sb.append("<div class=\"charts\">\n");
        return this;
    }

    public HtmlPage endCharts() {
        sb.append("</div>\n");
        return this;
    }

    /** A titled chart; the page's drawing code finds its canvas by {@code id}. */
    public HtmlPage chart(String caption, String id) {
        sb.append("<figure><figcaption>").append(esc(caption)).append("</figcaption><div class=\"chart\"><canvas id=\"")
                .append(esc(id)).append("\"></canvas></div></figure>\n");
        return this;
    }

    public HtmlPage table(Table t) {
        sb.append(t.html());
        return this;
    }

    /**
     * Ends the page: the chart data, the library, then {@code script}, which runs after {@link #PRELUDE} and so can
     * use {@code data}, {@code draw}, {@code signs}, {@code pct} and the colours.
     */
    public String finish(JsonNode data, String script) {
        sb.append("<script type=\"application/json\" id=\"chart-data\">").append(json(data)).append("</script>\n");
        sb.append("<script>\n").append(chartJs()).append("\n</script>\n");
        sb.append("<script>\n(function () {\ntry {\n").append(PRELUDE).append(script)
                .append("} catch (e) { document.body.setAttribute('data-script-error', String(e)); throw e; }\n")
                .append("})();\n</script>\n")
                .append("</body>\n</html>\n");
        return sb.toString();
    }

    // ---------------------------------------------------------------- text and data

    /** Escapes text for HTML element content and double-quoted attributes. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** JSON that stays inert inside a script element: {@code <}, {@code >} and {@code &} as \\u escapes. */
    public static String json(JsonNode data) {
        try {
            // "</script>" in a strategy name or a formula cannot end the JSON block early
            return Json.writer().with(new ScriptSafe()).writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A heatmap cell: {@code text} on green (v above 0) or red, as deep as |v| is next to {@code scale}; a thin cell
     * (too few observations to trust) is grey and italic. {@code title} shows on hover.
     */
    public static String heatCell(double v, double scale, String text, String title, boolean thin) {
        String style;
        if (thin || !(scale > 0) || v != v) {
            style = " style=\"background:#f4f4f4;color:#888;font-style:italic\"";
        } else {
            double a = Math.min(1, Math.abs(v) / scale) * 0.55 + 0.08;
            style = String.format(java.util.Locale.ROOT, " style=\"background:rgba(%s,%.2f)\"",
                    v >= 0 ? "46,125,50" : "198,40,40", a);
        }
        return "<td class=\"num\"" + style + " title=\"" + esc(title) + "\">" + esc(text) + "</td>";
    }

    /** Jackson escapes that keep JSON inert inside HTML. */
    private static final class ScriptSafe extends CharacterEscapes {
        private final int[] table;

        ScriptSafe() {
            table = standardAsciiEscapesForJSON();
            table['<'] = ESCAPE_STANDARD;
            table['>'] = ESCAPE_STANDARD;
            table['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            // U+2028/2029 are fine in JSON.parse but escaped anyway so the block stays valid if read as JS
            return ch == 0x2028 || ch == 0x2029 ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }

    // ---------------------------------------------------------------- tables

    /** A table of plain-text cells; some columns right-aligned as numbers, some set as code (formulas). */
    public static final class Table {
        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();
        private final Set<Integer> numeric = new HashSet<>();
        private final Set<Integer> code = new HashSet<>();

        public Table(String... header) {
            this.header = List.of(header);
        }

        public Table numeric(int... columns) {
            for (int c : columns) {
                numeric.add(c);
            }
            return this;
        }

        public Table code(int... columns) {
            for (int c : columns) {
                code.add(c);
            }
            return this;
        }

        public Table row(String... cells) {
            rows.add(java.util.Arrays.asList(cells));
            return this;
        }

        public int size() {
            return rows.size();
        }

        String html() {
            StringBuilder t = new StringBuilder("<table>\n<thead><tr>");
            for (String h : header) {
                t.append("<th>").append(esc(h)).append("</th>");
            }
            t.append("</tr></thead>\n<tbody>\n");
            for (List<String> r : rows) {
                t.append("<tr>");
                for (int i = 0; i < r.size(); i++) {
                    t.append(numeric.contains(i) ? "<td class=\"num\">" : "<td>");
                    boolean asCode = code.contains(i) && r.get(i) != null && !r.get(i).isEmpty();
                    t.append(asCode ? "<code>" : "").append(esc(r.get(i))).append(asCode ? "</code>" : "")
                            .append("</td>");
                }
                t.append("</tr>\n");
            }
            return t.append("</tbody>\n</table>\n").toString();
        }
    }

    // ---------------------------------------------------------------- library and static page parts

    /** The Chart.js UMD bundle from the WebJar on the classpath, read once. */
    public static String chartJs() {
        String js = chartJs;
        if (js == null) {
            ClassLoader cl = HtmlPage.class.getClassLoader();
            String version;
            try (InputStream in = cl.getResourceAsStream(POM_PROPERTIES)) {
                if (in == null) {
                    throw new IllegalStateException("Chart.js WebJar is not on the classpath (" + POM_PROPERTIES
                            + ")");
                }
                Properties p = new Properties();
                p.load(in);
                version = p.getProperty("version");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String path = WEBJAR + version + "/dist/chart.umd.js";
            try (InputStream in = cl.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("Chart.js bundle not found at " + path);
                }
                // "</script" anywhere in the bundle would close our script element; "<\/" means the same in JS
                js = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            chartJs = js;
        }
        return js;
    }

    private static final String CSS = String.join("\n",
            "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222;max-width:1100px;"
                    + "margin:2em auto;padding:0 1em}",
            "h1,h2,h3{line-height:1.2}",
            "table{border-collapse:collapse;margin:.5em 0 1.5em;width:100%}",
            "th,td{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}",
            "th{background:#f4f4f4}",
            "td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}",
            "code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f4f4f4;padding:0 .2em;"
                    + "border-radius:3px;word-break:break-word}",
            "pre{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f4f4f4;padding:.6em;"
                    + "overflow-x:auto}",
            ".headline{font-size:1.15em}",
            ".grade{display:inline-block;font-weight:700;font-size:1.4em;padding:0 .5em;border-radius:4px;"
                    + "color:#fff;background:#777}",
            ".grade-A,.grade-B{background:#2e7d32}.grade-C{background:#f9a825}.grade-D,.grade-F{background:#c62828}",
            ".meta,.note{color:#666}",
            ".answer{border-left:5px solid #777;background:#f6f6f6;padding:.6em 1em;margin:1em 0;font-size:1.05em}",
            ".answer .label{font-weight:700;margin-right:.3em}",
            ".answer-yes{border-color:#2e7d32;background:#edf7ee}.answer-weak{border-color:#f9a825;background:#fdf8e6}",
            ".answer-no,.answer-degenerate{border-color:#c62828;background:#fdecea}.answer-short{border-color:#9e9e9e}",
            ".sev{display:inline-block;font-size:.8em;font-weight:600;padding:0 .4em;border-radius:3px;"
                    + "background:#eee}",
            ".sev-critical{background:#c62828;color:#fff}.sev-high{background:#ef6c00;color:#fff}"
                    + ".sev-medium{background:#f9a825}",
            "tr.problem td{background:#fdecea}",
            "table.heatmap td,table.heatmap th{text-align:right;padding:.2em .4em;font-size:.9em}",
            ".st-fail,.ch-worsened{color:#c62828}.st-warn{color:#ef6c00}.st-ok,.ch-improved{color:#2e7d32}",
            ".llm{border-left:4px solid #6a1b9a;background:#f7f0fa;padding:.5em 1em;margin:1em 0}",
            ".llm .label{font-size:.85em;font-weight:600;color:#6a1b9a}",
            ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:1em;margin-bottom:1.5em}",
            "figure{margin:0;border:1px solid #e4e4e4;border-radius:4px;padding:.5em}",
            "figcaption{font-weight:600;margin-bottom:.3em}",
            ".chart{position:relative;height:260px}",
            "section{margin-bottom:3em}",
            "");

    /** What every page's drawing code starts with: the data and a few helpers. */
    private static final String PRELUDE = String.join("\n",
            "  var data = JSON.parse(document.getElementById('chart-data').textContent);",
            "  var POS = '#2e7d32', NEG = '#c62828', LINE = '#1565c0', GREY = '#9e9e9e';",
            "  var SPLIT = { train: '#1565c0', valid: '#ef6c00', test: '#6a1b9a' };",
            "  Chart.defaults.animation = false;",
            "  Chart.defaults.maintainAspectRatio = false;",
            // each canvas records whether it was drawn: a browser test (and a curious user) can see it in the DOM
            "  function draw(id, config) {",
            "    var el = document.getElementById(id);",
            "    if (!el) { return; }",
            // a bar's length is its value: every bar chart's value axis starts at zero
            "    if (config.type === 'bar') {",
            "      config.options = config.options || {};",
            "      config.options.scales = config.options.scales || {};",
            "      var y = config.options.scales.y = config.options.scales.y || {};",
            "      if (y.beginAtZero === undefined) { y.beginAtZero = true; }",
            "    }",
            "    try { new Chart(el, config); el.setAttribute('data-drawn', 'yes'); }",
            "    catch (e) { el.setAttribute('data-error', String(e)); console.error(e); }",
            "  }",
            "  function signs(values) {",
            "    return values.map(function (v) { return v === null || v >= 0 ? POS : NEG; });",
            "  }",
            // tick labels as Chart.js writes numbers (no 0.15000000000000002), then the unit
            "  function unit(suffix) {",
            "    return { ticks: { callback: function (v, i, ticks) {",
            "      return Chart.Ticks.formatters.numeric.call(this, v, i, ticks) + suffix; } } };",
            "  }",
            "  function pct() { return unit('%'); }",
            // series of several splits on one axis: one dataset per split ({split, from, to} ranges)
            "  function bySplit(block, key, colours, extra) {",
            "    return block.ranges.map(function (r) {",
            "      var ds = { label: r.split, borderColor: colours[r.split], backgroundColor: colours[r.split],",
            "        borderWidth: 1.2, pointRadius: 0,",
            "        data: block[key].map(function (v, i) { return i >= r.from && i < r.to ? v : null; }) };",
            "      for (var k in (extra || {})) { ds[k] = extra[k]; }",
            "      return ds;",
            "    });",
            "  }",
            // a dashed line where each split after the first starts, with its name
            "  function splitLines(ranges) {",
            "    return { id: 'splits', afterDatasetsDraw: function (chart) {",
            "      var a = chart.chartArea, c = chart.ctx;",
            "      ranges.slice(1).forEach(function (r) {",
            "        var x = chart.scales.x.getPixelForValue(r.from);",
            "        c.save(); c.strokeStyle = '#555'; c.setLineDash([4, 4]); c.beginPath();",
            "        c.moveTo(x, a.top); c.lineTo(x, a.bottom); c.stroke();",
            "        c.fillStyle = '#555'; c.fillText(r.split, x + 4, a.top + 12); c.restore();",
            "      });",
            "    } };",
            "  }",
            "  function bps() { return unit(' bps'); }",
            "");
}
