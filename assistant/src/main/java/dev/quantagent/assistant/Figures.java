package dev.quantagent.assistant;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbers a narrative may quote: the figures the analysis computed and gave the model. A number in the
 * narrative is supported when it is one of them within the rounding of how the narrative writes it ({@code 1.2}
 * stands for anything in [1.15, 1.25]); a percentage is compared with figures that are percentages (a fraction
 * {@code 0.1234} is also the percentage {@code 12.34}); a number without a sign may be a figure's magnitude (a
 * drawdown of {@code -23.4%} is "a 23.4% drawdown") while an explicit sign must agree. A small whole number (below
 * ten) is too easily a count to be read as a rounded ratio: it must be a whole figure (a count, a cost multiple), so
 * "3 trades" passes only if something counts 3, and a Sharpe of 2.66 is not "3". Dates must appear as given. Numbers
 * glued to letters ({@code Q1}, {@code v1.1}, {@code 30d}) are names, not figures, and are not checked.
 */
final class Figures {

    /** A number as a text writes it. */
    record Quoted(String text, double value, int decimals, boolean percent, int sign) {
    }

    /** @param fraction a percentage's value as a fraction (0.1234 for 12.34%), quoted only with decimals */
    private record Figure(double value, boolean percent, boolean fraction) {
    }

    private static final Pattern DATE = Pattern.compile("(?<!\\d)\\d{4}-\\d{2}-\\d{2}(?!\\d)");
    /** Sign, currency, digits (with thousands separators), then % / percent or an "x" multiple. */
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])([-−+])?\\$?(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?"
            + "|\\d+(?:\\.\\d+)?|\\.\\d+)(\\s?%|\\s?(?:percent|per cent)\\b|[x×](?!\\w))?(?![\\w%])");

    private final List<Figure> figures = new ArrayList<>();
    private final Set<String> dates = new HashSet<>();

    /** A fraction shown as a percentage: both forms count. */
    void percentage(double fraction) {
        if (Double.isFinite(fraction)) {
            figures.add(new Figure(100 * fraction, true, false));
            figures.add(new Figure(fraction, false, true));
        }
    }

    void plain(double value) {
        if (Double.isFinite(value)) {
            figures.add(new Figure(value, false, false));
        }
    }

    /** Every number and date a text states, as written (the facts the model was given). */
    void statedIn(String text) {
        Matcher d = DATE.matcher(text);
        while (d.find()) {
            dates.add(d.group());
            plain(Double.parseDouble(d.group().substring(0, 4))); // the year alone is a fact too
        }
        for (Quoted q : numbers(text)) {
            if (q.percent()) {
                percentage(q.value() / 100);
            } else {
                plain(q.value());
            }
        }
    }

    /** The numbers and dates of a text that are not among the figures, each once, in order. */
    List<String> unsupported(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher d = DATE.matcher(text);
        while (d.find()) {
            if (!dates.contains(d.group())) {
                out.add(d.group());
            }
        }
        for (Quoted q : numbers(text)) {
            if (!supported(q)) {
                out.add(q.text());
            }
        }
        return List.copyOf(out);
    }

    boolean supported(Quoted q) {
        boolean smallWhole = q.decimals() == 0 && !q.percent() && Math.abs(q.value()) < 10;
        double tolerance = smallWhole ? 1e-9 : 0.5 * Math.pow(10, -q.decimals()) + 1e-9 * Math.max(1,
                Math.abs(q.value()));
        for (Figure f : figures) {
            if (f.percent() != q.percent() || f.fraction() && q.decimals() == 0) {
                continue;
            }
            double gap = q.sign() == 0 ? Math.abs(Math.abs(q.value()) - Math.abs(f.value()))
                    : Math.abs(q.value() - f.value());
            if (gap <= tolerance) {
                return true;
            }
        }
        return false;
    }

    /** The numbers of a text (dates left out). */
    static List<Quoted> numbers(String text) {
        String t = DATE.matcher(text).replaceAll(m -> " ".repeat(m.group().length()));
        List<Quoted> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(t);
        while (m.find()) {
            String digits = m.group(2).replace(",", "");
            int dot = digits.indexOf('.');
            int sign = m.group(1) == null ? 0 : m.group(1).equals("+") ? 1 : -1;
            double v = Double.parseDouble(digits) * (sign < 0 ? -1 : 1);
            String suffix = m.group(3) == null ? "" : m.group(3).strip();
            out.add(new Quoted(m.group().strip(), v, dot < 0 ? 0 : digits.length() - dot - 1,
                    suffix.equals("%") || suffix.startsWith("per"), sign));
        }
        return out;
    }
}
