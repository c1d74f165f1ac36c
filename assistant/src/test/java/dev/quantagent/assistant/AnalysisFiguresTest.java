package dev.quantagent.assistant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The number check of LLM narratives. Named Analy* so the module's usual filter for the analysis tests runs it. */
class AnalysisFiguresTest {

    private static List<String> unsupported(Figures f, String text) {
        return f.unsupported(text);
    }

    @Test
    void aPercentageMatchesAtTheRoundingItIsWrittenWith() {
        Figures f = new Figures();
        f.percentage(0.1234); // shown as 12.34%
        assertEquals(List.of(), unsupported(f, "a return of 12.34%, about 12.3%, roughly 12% or 12 percent"));
        assertEquals(List.of("12.4%", "13%"), unsupported(f, "not 12.4% and not 13%"));
    }

    @Test
    void aFractionMayBeWrittenAsAFractionButNotAsABarePercentageNumber() {
        Figures f = new Figures();
        f.percentage(0.1234);
        assertEquals(List.of(), unsupported(f, "a win rate of 0.12"));
        assertEquals(List.of("12.34"), unsupported(f, "a win rate of 12.34"));
    }

    @Test
    void aNumberWithoutSignMayQuoteAMagnitudeButAnExplicitSignMustAgree() {
        Figures f = new Figures();
        f.percentage(-0.234); // a max drawdown
        assertEquals(List.of(), unsupported(f, "a 23.4% drawdown, -23.4% at worst, or −23% with a unicode minus"));
        assertEquals(List.of("+23.4%"), unsupported(f, "the equity rose +23.4%"));
    }

    @Test
    void thousandsSeparatorsCurrencyAndMultiplesAreRead() {
        Figures f = new Figures();
        f.plain(1234.5);
        f.plain(1.2);
        assertEquals(List.of(), unsupported(f, "an average win of $1,234.50, about 1,235 dollars, at 1.2x costs"));
        assertEquals(List.of("1,240", "1.5x"), unsupported(f, "1,240 dollars at 1.5x costs"));
    }

    @Test
    void countsMustMatchExactly() {
        Figures f = new Figures();
        f.plain(48);
        assertEquals(List.of(), unsupported(f, "48 trades"));
        assertEquals(List.of("47"), unsupported(f, "47 trades"));
    }

    @Test
    void aSmallWholeNumberMustBeAWholeFigureNotARoundedRatioOrFraction() {
        Figures f = new Figures();
        f.plain(2.66); // a Sharpe
        f.percentage(0.6); // a win rate
        f.plain(3); // a count of losing trades
        f.plain(136.86); // a large figure may be rounded to a whole number
        assertEquals(List.of(), unsupported(f, "3 losing trades in a row; about 137 of them; a win rate of 0.6"));
        assertEquals(List.of("1", "2"), unsupported(f, "1 in 2"));
        assertEquals(List.of("5"), unsupported(f, "a Sharpe of 2.7, not 5"));
    }

    @Test
    void namesWithDigitsAreNotFigures() {
        assertEquals(List.of(), unsupported(new Figures(), "Q1 of v1.1 on the 30d window, step R2"));
    }

    @Test
    void numbersAndDatesStatedInTheFactsAreFigures() {
        Figures f = new Figures();
        f.statedIn("From 2023-01-01 to 2023-12-31: Sharpe 1.23 with 95% of periods up, 1,200 trades.");
        assertEquals(List.of(), unsupported(f, "In 2023, until 2023-12-31, Sharpe 1.2 with 95% (0.95) up over "
                + "1,200 trades."));
        assertEquals(List.of("2024-01-01", "2024"), unsupported(f, "Since 2024-01-01 and all of 2024."));
    }

    @Test
    void eachUnsupportedNumberIsReportedOnceInOrder() {
        Figures f = new Figures();
        f.plain(2);
        assertEquals(List.of("7", "3.5%"), unsupported(f, "7 of 2 at 3.5%, then 7 again"));
    }
}
