package dev.offload.internal.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The CPU budget ({@link OnCpuThreads}) seen from one idler: an owner that starts to wait while offload's threads
 * outnumber the cores gives its core up with yields and does not park at once (a parked worker costs a wake-up for the
 * next task its loop hands over); when no work comes for a while it parks, long before its spin budget ends; and an
 * owner back from a park counts at once. The count is process-wide, so the test restores what it changed.
 */
class IdlerBudgetTest {
    private static final Idler.WorkSource NO_WORK = () -> false;

    /**
     * Runs {@code body} with the test's thread counted as {@code idler}'s owner and stand-ins counted for threads that
     * hold every core, then removes them, as the process-wide count was.
     */
    private static void oversubscribed(Idler idler, Runnable body) {
        int cores = Runtime.getRuntime().availableProcessors();
        long before = OnCpuThreads.count();
        idler.start(); // the test's thread, counted as a spinning owner is
        for (int i = 0; i < cores; i++) {
            OnCpuThreads.enter(); // stand-ins for threads that hold every core
        }
        try {
            assertTrue(Idler.oversubscribed(), "count=" + OnCpuThreads.count() + ", cores=" + cores);
            body.run();
        } finally {
            for (int i = 0; i < cores; i++) {
                OnCpuThreads.exit();
            }
            idler.stop();
        }
        assertEquals(before, OnCpuThreads.count(), "the test must leave the process-wide count as it found it");
    }

    @Test
    void anOwnerBackFromAPark_countsAsOnACpu_beforeItRunsWhatWokeIt() {
        Idler idler = new Idler(Thread.currentThread(), 0, 0); // no spin or yield budget: it parks at its first step
        long before = OnCpuThreads.count();
        idler.start();
        try {
            assertEquals(before + 1, OnCpuThreads.count(), "a started owner counts");
            assertTrue(idler.idle(NO_WORK, System.nanoTime() + 1_000_000L), "an owner with no budget parks");
            assertEquals(
                    before + 1,
                    OnCpuThreads.count(),
                    "an owner whose park ended runs again and must count as on a CPU (it counted only after its next"
                            + " work, so a worker woken for a long task ran all of it uncounted)");
        } finally {
            idler.stop();
        }
        assertEquals(before, OnCpuThreads.count(), "the test must leave the process-wide count as it found it");
    }

    @Test
    void oversubscribed_aWaitingOwnerYieldsFirst_thenParks() {
        // A spin budget far past the test's bound: a park it sees comes from the oversubscription rule, not the budget.
        Idler idler = new Idler(Thread.currentThread(), 600_000_000_000L, 0);
        oversubscribed(idler, () -> {
            idler.reset();
            long deadline = System.nanoTime() + 5_000_000_000L; // a park, if one came, ends by itself
            // Steps 0 to 127: as it starts to wait (no clock read yet) and at its first clock check (which starts the
            // clock), an oversubscribed owner yields; it cannot have waited long enough to park, whatever the timing.
            for (int step = 0; step < 128; step++) {
                assertFalse(
                        idler.idle(NO_WORK, deadline),
                        "an owner that starts to wait while threads outnumber the cores must yield, not park (the"
                                + " thread it waits for may need the core, and a park makes its work cost a"
                                + " wake-up): step=" + step);
            }
            assertFalse(idler.waker().isParked(), "a yielding owner announces no park");
            long end = System.nanoTime() + 10_000_000_000L;
            boolean parked = false;
            while (!parked && System.nanoTime() - end < 0) {
                parked = idler.idle(NO_WORK, System.nanoTime() + 1_000_000L);
            }
            assertTrue(
                    parked,
                    "an owner that found no work for "
                            + Idler.OVERSUBSCRIBED_PARK_NANOS
                            + " ns while threads outnumber the cores must park (it is not needed now),"
                            + " long before its spin budget ends; bounded by the test's 10 s");
        });
    }

    @Test
    void oversubscribed_anOwnerThatNeverParks_yieldsForAsLongAsItWaits() {
        // LATENCY's budgets: spin and yield without end.
        Idler idler = new Idler(Thread.currentThread(), Long.MAX_VALUE, Long.MAX_VALUE);
        oversubscribed(idler, () -> {
            idler.reset();
            long deadline = System.nanoTime() + 5_000_000_000L; // a park, if one came, ends by itself
            long waitUntil = System.nanoTime() + 20 * Idler.OVERSUBSCRIBED_PARK_NANOS; // past the oversubscribed park
            int step = 0;
            while (System.nanoTime() - waitUntil < 0 || step < 1_000) {
                assertFalse(
                        idler.idle(NO_WORK, deadline),
                        "an owner with no yield budget (LATENCY) must never park, even while threads outnumber the"
                                + " cores: step=" + step);
                step++;
            }
        });
    }
}
