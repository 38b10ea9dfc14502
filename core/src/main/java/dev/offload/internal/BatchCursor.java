package dev.offload.internal;

import dev.offload.QueuedTask;
import org.jctools.queues.MessagePassingQueue;

/**
 * Hands the records of a batch to a queue's bulk offer one by one, without allocating per batch. Owned by one thread
 * (an event loop), reused for every batch it publishes.
 */
final class BatchCursor implements MessagePassingQueue.Supplier<QueuedTask> {
    private TaskRecord[] records;
    private int next;

    /** Creates an idle cursor. */
    public BatchCursor() {}

    void reset(TaskRecord[] records, int from) {
        this.records = records;
        this.next = from;
    }

    @Override
    public QueuedTask get() {
        return records[next++];
    }

    void clear() {
        records = null;
    }
}
