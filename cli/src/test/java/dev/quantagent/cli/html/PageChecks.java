package dev.quantagent.cli.html;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What every test of a report page checks: it is self-contained, and its chart data can be read back. */
public final class PageChecks {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PageChecks() {
    }

    /** The JSON in the page's chart-data block, parsed. */
    public static JsonNode chartData(String html) throws IOException {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"chart-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "no chart-data block");
        return MAPPER.readTree(m.group(1));
    }

    /**
     * Nothing is loaded from anywhere: no script or link with a source, no CSS import, and no URL at all outside
     * the library's licence banners ({@code /*! ... *}{@code /}).
     */
    public static void assertSelfContained(String html) {
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, Math.min(100, html.length())));
        assertTrue(html.contains("Chart.js v4"), "the library is inlined");
        assertFalse(Pattern.compile("<script[^>]*\\ssrc\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find());
        assertFalse(Pattern.compile("<link[^>]*\\shref\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find());
        assertFalse(html.toLowerCase().contains("@import"));
        String outsideBanners = html.replaceAll("(?s)/\\*!.*?\\*/", "");
        assertFalse(outsideBanners.contains("http://"), "http:// outside a licence comment");
        assertFalse(outsideBanners.contains("https://"), "https:// outside a licence comment");
        // a link to a page beside this one (a run's pool-signal.html) loads nothing
        String markup = html.replaceAll("(?s)<script>.*?</script>", "").replaceAll("<a href=\"[\\w.-]+\\.html\">",
                "<a>");
        assertFalse(Pattern.compile("<[^>]*\\s(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(markup).find(),
                "an element outside the scripts points somewhere");
    }

    /** Occurrences of a text. */
    public static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
