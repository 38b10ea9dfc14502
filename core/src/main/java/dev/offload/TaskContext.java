package dev.offload;

import dev.offload.internal.WorkerThread;
import java.util.concurrent.CancellationException;

/**
 * What a running task may know about itself and its worker: whether it was cancelled, and the worker's own state
 * made by the pool's {@link WorkerPool.Builder#workerState initializer} (like the top level of a Piscina worker file).
 *
 * <p>Threading: worker thread only; each worker has its own context and its own state object, never shared with
 * another worker, so the state needs no synchronization.
 */
public interface TaskContext {
    /**
     * Returns the context of the task running on the calling worker thread.
     *
     * @return the context
     * @throws IllegalStateException if the caller is not a worker thread of a {@link WorkerPool}
     */
    static TaskContext current() {
        return WorkerThread.currentContext();
    }

    /**
     * Returns whether the running task was cancelled; a long task should check it now and then and return early.
     *
     * @return {@code true} once {@code cancel} was called on the task's future
     */
    boolean isCancelled();

    /**
     * Throws if the running task was cancelled.
     *
     * @throws CancellationException if cancelled
     */
    void throwIfCancelled();

    /**
     * Returns this worker's own state object, made once per worker by the pool's initializer.
     *
     * @param type the state's type
     * @param <S> the state's type
     * @return the state
     * @throws IllegalStateException if the pool has no initializer
     * @throws ClassCastException if the state is not a {@code type}, with both type names
     */
    <S> S state(Class<S> type);

    /**
     * Returns the number of this worker within its pool, starting at 0; a replaced worker gets a new number.
     *
     * @return the worker's number
     */
    int workerId();
}
