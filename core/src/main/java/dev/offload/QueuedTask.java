package dev.offload;

/**
 * A task waiting in a {@link WorkerPool}'s {@link TaskQueue}: what a custom queue may look at to order tasks.
 *
 * <p>Threading: any thread; both values are fixed at submit.
 */
public interface QueuedTask {
    /**
     * Returns the priority given at submit (higher runs first in a priority queue; default 0).
     *
     * @return the priority
     */
    int priority();

    /**
     * Returns the submission order: the {@link System#nanoTime()} reading taken at submit, so lower was submitted
     * earlier (tasks submitted at the same moment from different threads may tie).
     *
     * @return the submission time stamp
     */
    long sequence();
}
