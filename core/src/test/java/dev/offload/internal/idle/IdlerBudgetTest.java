package dev.offload.internal.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The CPU budget ({@link OnCpuThreads}) seen from one idler: a spinning owner that finds offload's threads
 * outnumbering the cores gives its core up with yields and does not park (a parked worker costs a wake-up for the next
 * task its loop hands over); once its spin budget is spent it parks as usual. The count is process-wide, so the test
 * restores what it added.
 */
class IdlerBudgetTest {
    private static final Idler.WorkSource NO_WORK = () -> false;

    @Test
    void oversubscribed_aSpinningOwnerYields_andDoesNotPark_untilItsBudgetIsSpent() {
        int cores = Runtime.getRuntime().availableProcessors();
        Idler idler = new Idler(Thread.currentThread(), 200_000_000L, 0); // spins 200 ms, then parks
        long before = OnCpuThreads.count();
        idler.start(); // the test's thread, counted as a spinning owner is
        for (int i = 0; i < cores; i++) {
            OnCpuThreads.enter(); // stand-ins for threads that hold every core
        }
        try {
            assertTrue(Idler.oversubscribed(), "count=" + OnCpuThreads.count() + ", cores=" + cores);
            idler.reset();
            long deadline = System.nanoTime() + 5_000_000_000L; // a park, if one came, ends by itself
            for (int step = 0; step < 10_000; step++) {
                assertFalse(
                        idler.idle(NO_WORK, deadline),
                        "an owner within its spin budget must not park while threads outnumber the cores (a parked"
                                + " worker costs a wake-up for the next task handed over): step=" + step);
            }
            assertFalse(idler.waker().isParked(), "a yielding owner announces no park");
            long end = System.nanoTime() + 10_000_000_000L;
            boolean parked = false;
            while (!parked && System.nanoTime() - end < 0) {
                parked = idler.idle(NO_WORK, System.nanoTime() + 1_000_000L);
            }
            assertTrue(parked, "once its spin budget is spent, the owner must park (bounded by the test's 10 s)");
        } finally {
            for (int i = 0; i < cores; i++) {
                OnCpuThreads.exit();
            }
            idler.stop();
        }
        assertEquals(before, OnCpuThreads.count(), "the test must leave the process-wide count as it found it");
    }
}
