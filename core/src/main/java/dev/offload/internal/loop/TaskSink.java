package dev.offload.internal.loop;

import dev.offload.internal.task.BatchCursor;
import dev.offload.internal.task.TaskRecord;

/**
 * Where an event loop hands the tasks its callbacks submitted: the pool that admitted them. The loop keeps each
 * admitted task until a batch is due (see {@link LoopState}), then publishes each run of tasks for one sink as one
 * batch.
 *
 * <p>Loop thread only.
 */
public interface TaskSink {
    /**
     * Queues the admitted records {@code records[from, to)} and wakes or asks for workers; a record that cannot be
     * queued is rejected (its future fails). Clears the batch's entries.
     *
     * @param records holds the batch, all admitted by this sink
     * @param from the first index of the batch
     * @param to one past the last index
     * @param cursor a cursor owned by the calling loop, for a bulk offer
     */
    void publish(TaskRecord[] records, int from, int to, BatchCursor cursor);
}
