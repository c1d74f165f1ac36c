package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.fail;

/** Array comparison for numerical tests: identical missing cells, values within a relative tolerance. */
final class Approx {

    private Approx() {
    }

    static void assertClose(double[] expected, double[] actual, double relTol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + " != " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) != Double.isNaN(a)) {
                fail(what + ": cell " + i + " expected " + e + " but was " + a);
            }
            if (!Double.isNaN(e) && Math.abs(e - a) > relTol * Math.max(Math.abs(e), Math.abs(a)) + 1e-10) {
                fail(what + ": cell " + i + " expected " + e + " but was " + a + " (diff " + Math.abs(e - a) + ")");
            }
        }
    }
}
