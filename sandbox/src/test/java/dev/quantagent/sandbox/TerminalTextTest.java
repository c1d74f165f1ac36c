package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class TerminalTextTest {

    @Test
    void anEscapeSequenceIsShownAsItsCodeNotSentToTheTerminal() {
        assertEquals("bad \\u001B[2Jname", TerminalText.printable("bad \u001b[2Jname"));
    }

    @Test
    void aBidirectionalOverrideIsShownAsItsCode() {
        assertEquals("abc\\u202Etxt.exe", TerminalText.printable("abc\u202etxt.exe"));
    }

    @Test
    void lineBreaksTabsAndOrdinaryUnicodeAreKeptAsTheyAre() {
        String text = "line one\n\tline two: ρ = 0.5, β → 1";
        assertSame(text, TerminalText.printable(text));
    }

    @Test
    void aCarriageReturnAndTheC1ControlsAreEscaped() {
        assertEquals("a\\u000Db\\u0085c\\u009Bd", TerminalText.printable("a\rb\u0085c\u009bd"));
    }

    @Test
    void nullStaysNull() {
        assertNull(TerminalText.printable(null));
    }
}
