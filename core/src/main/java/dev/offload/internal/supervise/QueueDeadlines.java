package dev.offload.internal.supervise;

import dev.offload.internal.task.RecordAccess;
import dev.offload.internal.task.TaskRecord;
import java.util.PriorityQueue;

/**
 * The queue-wait limits of a pool's queued tasks, earliest first. A task that started long before its limit leaves
 * only when the heap is purged (when it has doubled since the last purge), so the heap holds at most about twice the
 * tasks still queued with a limit.
 *
 * <p>Supervisor thread only.
 */
final class QueueDeadlines {
    /** A queued task, when it must have started, and its limit. */
    record Watch(TaskRecord record, long deadline, long limit) {}

    private static final int MIN_PURGE = 1024;

    private final PriorityQueue<Watch> heap = new PriorityQueue<>((a, b) -> Long.compare(a.deadline - b.deadline, 0));
    private int purgeAt = MIN_PURGE;

    void add(Watch w) {
        if (!RecordAccess.isQueued(w.record())) {
            return;
        }
        heap.add(w);
        if (heap.size() >= purgeAt) {
            heap.removeIf(x -> !RecordAccess.isQueued(x.record()));
            purgeAt = Math.max(MIN_PURGE, 2 * heap.size());
        }
    }

    /** Removes and returns the earliest watch whose deadline has passed at {@code now}, or null. */
    Watch pollDue(long now) {
        Watch w = heap.peek();
        if (w == null || now - w.deadline < 0) {
            return null;
        }
        return heap.poll();
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE}. */
    long next() {
        Watch w = heap.peek();
        return w == null ? Long.MAX_VALUE : w.deadline;
    }
}
