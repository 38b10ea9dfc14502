package dev.offload;

/**
 * A task waiting in a {@link WorkerPool}'s {@link TaskQueue}: what a custom queue may look at to order tasks.
 *
 * <p>Threading: any thread; both values are fixed before the task reaches the queue.
 */
public interface QueuedTask {
    /**
     * Returns the priority given at submit (higher runs first in a priority queue; default 0).
     *
     * @return the priority
     */
    int priority();

    /**
     * Returns the submission order: a {@link System#nanoTime()} reading taken when the task was handed to the workers,
     * so lower was submitted earlier. For a task submitted from an event loop's callback that is when the loop
     * published the callback's batch (see {@link EventLoop}); the tasks of one loop get strictly increasing stamps.
     * Tasks submitted at the same moment from different threads may tie.
     *
     * @return the submission time stamp
     */
    long sequence();
}
