package dev.offload.internal.idle;

import dev.offload.internal.base.PaddedCounter;

/**
 * Process-wide count of offload threads that are on a CPU: event loops and workers that run or spin, but not those
 * that park. A waiting thread spins only while this count fits the machine's cores; past that, spinning would hold a
 * core that a thread with work (a running task, a loop handing tasks over) waits for, so it yields often instead.
 *
 * <p>Any thread. A thread changes the count only when it starts, parks, wakes with work, or ends; not per task.
 */
final class OnCpuThreads {
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final PaddedCounter ON_CPU = new PaddedCounter();

    /** A task that runs this long or longer is long: longer than a waiting thread yields before it parks. */
    static final long LONG_TASK_NANOS = Idler.OVERSUBSCRIBED_PARK_NANOS;

    /** How long after a long task ended a waiting thread still parks rather than yield. */
    static final long LONG_TASK_WINDOW_NANOS = 1_000_000_000L;

    /** {@link System#nanoTime()} at the end of the last long task, {@code 0} for none yet. */
    private static final PaddedCounter LONG_TASK_END = new PaddedCounter();

    private OnCpuThreads() {}

    /** The calling thread is on a CPU again (started, or woke with work). */
    public static void enter() {
        ON_CPU.getAndAdd(1);
    }

    /** The calling thread leaves the CPU (parks or ends). */
    public static void exit() {
        ON_CPU.getAndAdd(-1);
    }

    /**
     * Returns the count now (tests).
     *
     * @return offload threads on a CPU
     */
    static long count() {
        return ON_CPU.get();
    }

    /**
     * Returns whether more offload threads are on a CPU than there are cores, counting the caller.
     *
     * @return {@code true} if a waiting caller should yield its core rather than spin
     */
    public static boolean oversubscribed() {
        return ON_CPU.get() > CORES;
    }

    /**
     * A worker thread, after a task that ran for {@code runNanos}: if that is long ({@link #LONG_TASK_NANOS} or more),
     * notes when it ended. A store at most once per long task, so at most once per {@value #LONG_TASK_NANOS} ns per
     * worker.
     *
     * @param runNanos how long the task ran
     * @param endNanos {@link System#nanoTime()} at its end
     */
    static void taskRan(long runNanos, long endNanos) {
        if (runNanos >= LONG_TASK_NANOS) {
            LONG_TASK_END.setOpaque(endNanos); // a hint: read with no ordering, a late read only delays the switch
        }
    }

    /**
     * Returns whether a long task ended within the last {@link #LONG_TASK_WINDOW_NANOS} ns: a worker may be running
     * one now, and a thread that yields a core it shares with that worker waits for the rest of the worker's time
     * slice before it runs again.
     *
     * @param now {@link System#nanoTime()}
     * @return {@code true} if long tasks ran lately
     */
    static boolean longTasksLately(long now) {
        long end = LONG_TASK_END.get();
        return end != 0 && now - end < LONG_TASK_WINDOW_NANOS;
    }

    /** Forgets the long tasks seen (tests). */
    static void forgetLongTasks() {
        LONG_TASK_END.set(0);
    }
}
