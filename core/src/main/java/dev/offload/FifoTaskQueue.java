package dev.offload;

import java.util.function.Supplier;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.varhandle.MpmcVarHandleArrayQueue;

/**
 * FIFO task queue over JCTools' VarHandle MPMC array queue; {@link #poll()} is relaxed (see
 * {@link TaskQueue#poll()}). Room for twice the pool's bound, so that cancelled tasks still in the array (dropped when
 * polled) do not take the room of live ones.
 *
 * <p>Any thread.
 */
final class FifoTaskQueue implements TaskQueue {
    private final MpmcVarHandleArrayQueue<QueuedTask> queue;

    /**
     * Creates the queue.
     *
     * @param maxQueue the pool's bound on queued tasks
     */
    FifoTaskQueue(int maxQueue) {
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
     * {@inheritDoc}
     *
     * <p>Claims the producers' index once for as many tasks as there is room for, then offers the rest one by one
     * (see {@link #offer}).
     */
    @Override
    public int offerAll(Supplier<? extends QueuedTask> tasks, int count) {
        @SuppressWarnings("unchecked") // a supplier of the pool's own batches: it supplies QueuedTasks
        MessagePassingQueue.Supplier<QueuedTask> each = tasks instanceof MessagePassingQueue.Supplier<?> own
                ? (MessagePassingQueue.Supplier<QueuedTask>) own
                : tasks::get;
        int queued = queue.fill(each, count); // takes exactly as many tasks from the supplier as it queues
        while (queued < count && offer(tasks.get())) { // fill refused: full, or a consumer caught mid-poll
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
