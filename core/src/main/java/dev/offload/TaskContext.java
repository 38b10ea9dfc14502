package dev.offload;

import java.util.concurrent.CancellationException;

/**
 * What a running task may know about itself and its worker: whether it was stopped (cancelled, timed out, or its
 * pool closed forcibly), the worker's own state made by the pool's {@link WorkerPool.Builder#workerState initializer}
 * (like the top level of a Piscina worker file), and hooks to tear down what it holds when it is stopped.
 *
 * <p>Threading: worker thread only, while the task runs: for an {@link AsyncTask}, during its synchronous part (the
 * context of a continuation that runs later on the worker describes whatever the worker runs then). Each worker has
 * its own context and its own state object, never shared with another worker, so the state needs no
 * synchronization.
 */
public interface TaskContext {
    /**
     * Returns the context of the task running on the calling worker thread.
     *
     * @return the context
     * @throws IllegalStateException if the caller is not a worker thread of a {@link WorkerPool}
     */
    static TaskContext current() {
        if (Thread.currentThread() instanceof TaskContext context) { // a pool's worker thread is its own context
            return context;
        }
        throw new IllegalStateException("TaskContext.current() called outside a worker thread: thread="
                + Thread.currentThread().getName() + "; call it from inside a running task");
    }

    /**
     * Returns whether the running task was stopped: cancelled by its future, timed out, or stopped by a forced close.
     * A long task should check it now and then and return early.
     *
     * @return {@code true} once the task's end was decided by another thread
     */
    boolean isCancelled();

    /**
     * Throws if the running task was stopped (see {@link #isCancelled()}).
     *
     * @throws CancellationException if stopped
     */
    void throwIfCancelled();

    /**
     * Registers what to run if the running task is stopped (cancelled, timed out, or stopped by a forced close), such
     * as closing a socket or file the task is blocked on, like the abort listeners of Node worker pools. Hooks run
     * once, on a thread of their own, while the worker gets the pool's {@link WorkerPool.Builder#cancelGracePeriod
     * grace period} to leave the task before it is abandoned. A hook registered after the task was stopped runs at
     * once; hooks of a task that ends normally never run. What a hook throws is logged.
     *
     * @param hook the hook
     * @throws IllegalStateException if called outside a running task
     */
    void onCancel(Runnable hook);

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
     * Posts a progress value of the running task to the listener its submitter gave
     * ({@link TaskOptions#withProgress}), as a Piscina task's progress messages: delivered where the task's future
     * completes, in order, and always before that completion. The value is checked and cloned now, by the isolation
     * rules of the task's output. Without a listener the value is dropped. Worker thread, during the task's
     * synchronous part.
     *
     * @param value the progress value
     * @throws IllegalStateException if called outside a running task
     * @throws NotSendableException if the value may not cross threads
     */
    void post(Object value);

    /**
     * Returns the number of this worker within its pool, starting at 0; a replaced worker gets a new number.
     *
     * @return the worker's number
     */
    int workerId();
}
