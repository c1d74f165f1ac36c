package dev.quantagent.sandbox;

/**
 * Arithmetic one cell at a time, for code outside the element-wise loops (derived fields, kernels' final steps,
 * canonical constants). Results are never infinite: anything that would be +-Inf is NaN, the missing value.
 */
final class Scalar {

    private Scalar() {
    }

    /** NaN for +-Inf and NaN, otherwise v. (Inf - Inf and NaN - NaN are NaN, so the test is one subtraction.) */
    static double finite(double v) {
        // v - v is 0 for a number and NaN for NaN or an infinity; subtracting it keeps v (and -0.0) bit for bit.
        // Arithmetic instead of a branch, so the loops around it vectorise.
        return v - (v - v);
    }

    static double add(double a, double b) {
        return finite(a + b);
    }

    static double sub(double a, double b) {
        return finite(a - b);
    }

    static double mul(double a, double b) {
        return finite(a * b);
    }

    static double div(double a, double b) {
        return finite(a / b); // x / 0 is an infinity or NaN, so finite() makes it NaN without a branch
    }
}
