package dev.offload;

import java.util.function.Supplier;

/**
 * Where a {@link WorkerPool} keeps tasks that no worker has taken yet. Pick one with
 * {@link WorkerPool.Builder#taskQueue}: {@link #fifo(int)} (the default) or {@link #priority(int)}, or bring your own.
 *
 * <p>Threading: an implementation must be thread-safe: submitting threads offer while worker threads poll and
 * cancelling threads remove, all at once. The pool bounds the number of tasks it offers by its {@code maxQueue}.
 *
 * <p>Memory consistency effects: actions prior to {@link #offer} <i>happen-before</i> the {@link #poll} that returns
 * the same task, and {@link #isEmpty()} must reflect every completed offer (a volatile read or stronger), since the
 * pool relies on it to decide whether a worker may park.
 */
public interface TaskQueue {
    /**
     * Adds a task.
     *
     * @param task the task
     * @return {@code false} if there is no room, in which case the pool rejects the submit
     */
    boolean offer(QueuedTask task);

    /**
     * Adds {@code count} tasks, taken from {@code tasks} in order, such as the tasks an event loop's callback
     * submitted. The pool calls it for a batch instead of {@link #offer} per task; a queue that can claim room for many
     * tasks at once (the {@link #fifo} queue does) overrides it. The default offers them one by one and stops at the
     * first refusal.
     *
     * @param tasks supplies the tasks; call it at most {@code count} times
     * @param count how many tasks to add, at least 1
     * @return how many were added: the first ones supplied. A task supplied but refused is not counted; the pool knows
     *     the tasks by position and rejects the ones from that position on
     */
    default int offerAll(Supplier<? extends QueuedTask> tasks, int count) {
        int queued = 0;
        while (queued < count && offer(tasks.get())) {
            queued++;
        }
        return queued;
    }

    /**
     * Takes the next task to run.
     *
     * <p>A lock-free queue may return {@code null} while an offer is under way but not yet complete, rather than wait
     * for a producer thread that may have been descheduled in the middle of it; the pool polls again, and checks
     * {@link #isEmpty()} before a worker parks.
     *
     * @return the task, or {@code null} if empty (or, see above, if the next offer is not complete)
     */
    QueuedTask poll();

    /**
     * Removes a task that was cancelled while queued, if the queue supports removal.
     *
     * @param task the task
     * @return {@code true} if removed now; {@code false} if not found or removal is unsupported (the pool then drops
     *     the cancelled task when a worker polls it)
     */
    boolean remove(QueuedTask task);

    /**
     * Returns whether the queue holds no task.
     *
     * @return {@code true} if empty
     */
    boolean isEmpty();

    /**
     * Returns the number of tasks held, including cancelled ones not removed yet.
     *
     * @return the size
     */
    int size();

    /**
     * A lock-free first-in first-out queue (an array-backed MPMC queue); cancelled tasks are dropped when polled.
     *
     * @param maxQueue the pool's bound on queued tasks, at least 1
     * @return a new queue with room for {@code maxQueue} live tasks and as many cancelled ones not yet dropped
     */
    static TaskQueue fifo(int maxQueue) {
        return new FifoTaskQueue(maxQueue);
    }

    /**
     * A queue that runs higher {@link QueuedTask#priority()} first and equal priorities in submission order; it
     * takes a lock per operation and removes cancelled tasks at once.
     *
     * @param maxQueue the pool's bound on queued tasks, at least 1
     * @return a new queue
     */
    static TaskQueue priority(int maxQueue) {
        return new PriorityTaskQueue(maxQueue);
    }
}
