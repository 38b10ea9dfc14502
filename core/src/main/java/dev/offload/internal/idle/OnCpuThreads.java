package dev.offload.internal.idle;

import dev.offload.internal.base.PaddedCounter;

/**
 * Process-wide count of offload threads that are on a CPU: event loops and workers that run or spin, but not those
 * that park. A waiting thread spins only while this count fits the machine's cores; past that, spinning would hold a
 * core that a thread with work (a running task, a loop handing tasks over) waits for, so it yields often instead.
 *
 * <p>Any thread. A thread changes the count only when it starts, parks, wakes from a park, or ends; not per task.
 */
final class OnCpuThreads {
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final PaddedCounter ON_CPU = new PaddedCounter();

    private OnCpuThreads() {}

    /** The calling thread is on a CPU again (started, or back from a park). */
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
}
