package dev.quantagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class InOrderTest {

    @Test
    void resultsComeInTheOrderGivenWhenLaterItemsFinishFirst() throws Exception {
        CountDownLatch lastDone = new CountDownLatch(1);
        List<Integer> seen = new ArrayList<>();
        InOrder.map(List.of(0, 1, 2, 3), 4, () -> null, (s, i) -> {
            if (i == 3) {
                lastDone.countDown();
            } else {
                await(lastDone); // the first items finish only after the last one
            }
            return i * 10;
        }, seen::add);
        assertEquals(List.of(0, 10, 20, 30), seen);
    }

    @Test
    void eachThreadKeepsItsOwnState() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Set<Object> states = ConcurrentHashMap.newKeySet();
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            items.add(i);
        }
        InOrder.map(items, 2, () -> new int[] {made.incrementAndGet()}, (s, i) -> {
            states.add(s);
            return i;
        }, r -> { });
        assertTrue(made.get() <= 2, "one state per thread, made " + made.get());
        assertEquals(made.get(), states.size());
    }

    @Test
    void aFailureIsRethrownAtItsTurnAfterTheResultsBeforeIt() {
        List<Integer> seen = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> InOrder.map(List.of(0, 1, 2, 3), 2,
                () -> null, (s, i) -> {
                    if (i == 2) {
                        throw new IllegalStateException("item 2");
                    }
                    return i;
                }, seen::add));
        assertEquals("item 2", e.getMessage());
        assertEquals(List.of(0, 1), seen);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
