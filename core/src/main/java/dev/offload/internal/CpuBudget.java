package dev.offload.internal;

/**
 * Process-wide count of worker threads that are running tasks, so that a waiting thread can tell whether spinning
 * would take a core away from a task.
 *
 * <p>Any thread. A worker adds itself when it leaves idle and removes itself when it goes idle again, not per task.
 */
public final class CpuBudget {
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final PaddedCounter BUSY = new PaddedCounter();

    private CpuBudget() {}

    /** A worker started running tasks. Any thread. */
    public static void enterBusy() {
        BUSY.getAndAdd(1);
    }

    /** A worker stopped running tasks. Any thread. */
    public static void exitBusy() {
        BUSY.getAndAdd(-1);
    }

    /**
     * Returns whether one more spinning thread still fits on the machine's cores beside the busy workers.
     *
     * @return {@code true} if busy workers + 1 ≤ available processors
     */
    public static boolean spinFits() {
        return BUSY.get() + 1 <= CORES;
    }
}
