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
 * page needs no network when viewed and no user text is ever part of the code. The style sheet ({@code page.css}),
 * the helpers every page's drawing code starts with ({@code prelude.js}) and each page's drawing code (e.g.
 * {@code factor-page.js}) are resources beside this class, inlined.
 */
public final class HtmlPage {

    /** The Chart.js UMD bundle inside the WebJar (the version comes from the pom, via the jar's properties). */
    private static final String WEBJAR = "META-INF/resources/webjars/chart.js/";
    private static final String POM_PROPERTIES = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

    /** The pages' style sheet, and what every page's drawing code starts with: the data and a few helpers. */
    private static final String CSS = resource("page.css");
    private static final String PRELUDE = resource("prelude.js");

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
     * Ends the page: the chart data, the library, then {@code script}, which runs after {@code prelude.js} and so can
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

    /**
     * A page part kept beside this class ({@code page.css}, {@code prelude.js}, a page's drawing code such as
     * {@code factor-page.js}), inlined as it is: its lines that are only a {@code //} comment are for the reader of
     * the source and left out of the page.
     */
    static String resource(String name) {
        try (InputStream in = HtmlPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath beside " + HtmlPage.class.getName());
            }
            StringBuilder out = new StringBuilder();
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.strip().startsWith("//"))
                    .forEach(line -> out.append(line).append('\n'));
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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
}
