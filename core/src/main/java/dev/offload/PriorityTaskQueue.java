package dev.offload;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Priority task queue: higher priority first, then submission order. A lock guards the heap; the size is volatile
 * so that {@link #isEmpty()} needs no lock.
 *
 * <p>Any thread.
 */
final class PriorityTaskQueue implements TaskQueue {
    private static final Comparator<QueuedTask> ORDER =
            Comparator.comparingInt(QueuedTask::priority).reversed().thenComparingLong(QueuedTask::sequence);

    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<QueuedTask> heap = new PriorityQueue<>(ORDER);
    private volatile int size;

    /**
     * Creates the queue.
     *
     * @param maxQueue the pool's bound on queued tasks (the pool enforces it)
     */
    PriorityTaskQueue(int maxQueue) {
        if (maxQueue < 1) {
            throw new IllegalArgumentException("maxQueue must be >= 1: maxQueue=" + maxQueue);
        }
    }

    @Override
    public boolean offer(QueuedTask task) {
        lock.lock();
        try {
            heap.add(task);
            size = heap.size(); // volatile write after the add: publishes the task to isEmpty() readers
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public QueuedTask poll() {
        if (size == 0) {
            return null;
        }
        lock.lock();
        try {
            QueuedTask task = heap.poll();
            size = heap.size();
            return task;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean remove(QueuedTask task) {
        lock.lock();
        try {
            boolean removed = heap.remove(task);
            size = heap.size();
            return removed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return size;
    }
}
