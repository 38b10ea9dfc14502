package dev.offload.internal.task;

import dev.offload.QueuedTask;
import java.util.function.Supplier;
import org.jctools.queues.MessagePassingQueue;

/**
 * Hands the records of a batch to a queue's bulk offer ({@code TaskQueue.offerAll}, JCTools' {@code fill}) one by one,
 * without allocating per batch. Owned by one thread (an event loop), reused for every batch it publishes.
 */
public final class BatchCursor implements MessagePassingQueue.Supplier<QueuedTask>, Supplier<QueuedTask> {
    private TaskRecord[] records;
    private int next;

    /** Creates an idle cursor. */
    public BatchCursor() {}

    public void reset(TaskRecord[] records, int from) {
        this.records = records;
        this.next = from;
    }

    @Override
    public QueuedTask get() {
        return records[next++];
    }

    public void clear() {
        records = null;
    }
}
