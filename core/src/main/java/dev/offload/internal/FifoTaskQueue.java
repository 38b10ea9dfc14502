package dev.offload.internal;

import dev.offload.QueuedTask;
import dev.offload.TaskQueue;
import org.jctools.queues.varhandle.MpmcVarHandleArrayQueue;

/**
 * FIFO task queue over JCTools' VarHandle MPMC array queue; {@link #poll()} is relaxed (see
 * {@link TaskQueue#poll()}). Room for twice the pool's bound, so that cancelled tasks still in the array (dropped when
 * polled) do not take the room of live ones.
 *
 * <p>Any thread.
 */
public final class FifoTaskQueue implements TaskQueue {
    private final MpmcVarHandleArrayQueue<QueuedTask> queue;

    /**
     * Creates the queue.
     *
     * @param maxQueue the pool's bound on queued tasks
     */
    public FifoTaskQueue(int maxQueue) {
        if (maxQueue < 1) {
            throw new IllegalArgumentException("maxQueue must be >= 1: maxQueue=" + maxQueue);
        }
        this.queue = new MpmcVarHandleArrayQueue<>((int) Math.min(1 << 30, Math.max(4L, 2L * maxQueue)));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Fails only when the array is full of tasks. An array queue can also refuse when a consumer that claimed the
     * slot one lap back was descheduled before freeing it; then this waits for that consumer, yielding the core it may
     * need, rather than refuse a task there is room for.
     */
    @Override
    public boolean offer(QueuedTask task) {
        while (!queue.relaxedOffer(task)) {
            if (queue.size() >= queue.capacity()) {
                return false;
            }
            Thread.yield();
        }
        return true;
    }

    /**
     * Offers {@code count} tasks from {@code cursor} with one claim on the producers' index where room allows.
     *
     * @param cursor supplies the tasks, in order
     * @param count how many
     * @return how many were queued, the first ones supplied; fewer than {@code count} only if the queue is full (see
     *     {@link #offer})
     */
    int offerAll(BatchCursor cursor, int count) {
        int queued = queue.fill(cursor, count); // takes exactly as many tasks from the cursor as it queues
        while (queued < count && offer(cursor.get())) { // fill refused: full, or a consumer caught mid-poll
            queued++;
        }
        return queued;
    }

    @Override
    public QueuedTask poll() {
        // Relaxed: never spins on a slot whose producer was descheduled between claiming and filling it. On a busy
        // machine that producer may be waiting for this very core, and the spin would last a whole time slice.
        return queue.relaxedPoll();
    }

    @Override
    public boolean remove(QueuedTask task) {
        return false;
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    @Override
    public int size() {
        return queue.size();
    }
}
