package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The compensated rolling sums rest on this: sum + error is exactly a + b. Checked in exact decimal arithmetic. */
class RoundingErrorTest {

    @Test
    void sumPlusItsRoundingErrorIsExactlyTheRealSumWhicheverOperandIsLarger() {
        Random r = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            double a = r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15);
            double b = r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15);
            double sum = a + b;
            double error = TimeSeriesKernels.roundingError(a, b, sum);
            BigDecimal exact = new BigDecimal(a).add(new BigDecimal(b));
            assertEquals(0, exact.compareTo(new BigDecimal(sum).add(new BigDecimal(error))), a + " + " + b);
        }
    }
}
