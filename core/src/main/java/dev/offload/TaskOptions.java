package dev.offload;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Per-submit options: priority, where the completion is delivered, time limits and an abort signal. Immutable; start
 * from {@link #DEFAULT} and change what you need: {@code TaskOptions.DEFAULT.withTimeout(Duration.ofSeconds(2))}.
 *
 * <p>Threading: immutable, any thread.
 */
public final class TaskOptions {
    /** No priority, default delivery, the pool's time limits. */
    public static final TaskOptions DEFAULT = new TaskOptions(0, null, null, null, null);

    private final int priority;
    private final Executor executor;
    private final Duration timeout;
    private final Duration queueTimeout;
    private final AbortSignal signal;

    private TaskOptions(int priority, Executor executor, Duration timeout, Duration queueTimeout, AbortSignal signal) {
        this.priority = priority;
        this.executor = executor;
        this.timeout = timeout;
        this.queueTimeout = queueTimeout;
        this.signal = signal;
    }

    /**
     * Returns the priority for a {@link TaskQueue#priority priority queue}; higher runs first; ignored by FIFO.
     *
     * @return the priority, 0 by default
     */
    public int priority() {
        return priority;
    }

    /**
     * Returns where the future completes when submitting from outside an event loop.
     *
     * @return the executor, or {@code null} for the pool's default (its
     *     {@link WorkerPool.Builder#completionExecutor executor}, else the worker thread)
     */
    public Executor executor() {
        return executor;
    }

    /**
     * Returns the longest a task may run, from the moment a worker starts it, before it fails with
     * {@link TaskTimeoutException} and is cancelled.
     *
     * @return the limit, or {@code null} for the pool's {@link WorkerPool.Builder#taskTimeout default}
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Returns the longest a task may wait in the queue before it fails with {@link TaskTimeoutException} unrun.
     *
     * @return the limit, or {@code null} for the pool's {@link WorkerPool.Builder#queueTimeout default}
     */
    public Duration queueTimeout() {
        return queueTimeout;
    }

    /**
     * Returns these options with another priority.
     *
     * @param priority the priority
     * @return new options
     */
    public TaskOptions withPriority(int priority) {
        return new TaskOptions(priority, executor, timeout, queueTimeout, signal);
    }

    /**
     * Returns these options with another completion executor.
     *
     * @param executor the executor
     * @return new options
     */
    public TaskOptions withExecutor(Executor executor) {
        return new TaskOptions(priority, Objects.requireNonNull(executor, "executor"), timeout, queueTimeout, signal);
    }

    /**
     * Returns these options with a run-time limit, which replaces the pool's default for this task.
     *
     * @param timeout more than zero
     * @return new options
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public TaskOptions withTimeout(Duration timeout) {
        return new TaskOptions(priority, executor, positive("timeout", timeout), queueTimeout, signal);
    }

    /**
     * Returns these options with a queue-wait limit, which replaces the pool's default for this task.
     *
     * @param queueTimeout more than zero
     * @return new options
     * @throws IllegalArgumentException if {@code queueTimeout} is zero or negative
     */
    public TaskOptions withQueueTimeout(Duration queueTimeout) {
        return new TaskOptions(priority, executor, timeout, positive("queueTimeout", queueTimeout), signal);
    }

    /**
     * Returns the signal whose abort cancels the task.
     *
     * @return the signal, or {@code null} for none
     */
    public AbortSignal signal() {
        return signal;
    }

    /**
     * Returns these options with an abort signal: {@link AbortSignal#abort(Throwable)} cancels the task, queued or
     * running, and a submit with a signal already aborted is refused, changing nothing.
     *
     * @param signal the signal; one signal may serve many tasks
     * @return new options
     */
    public TaskOptions withSignal(AbortSignal signal) {
        return new TaskOptions(priority, executor, timeout, queueTimeout, Objects.requireNonNull(signal, "signal"));
    }

    static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0: " + name + "=" + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return "TaskOptions[priority=" + priority + ", executor=" + executor + ", timeout=" + timeout
                + ", queueTimeout=" + queueTimeout + ", signal=" + signal + "]";
    }
}
