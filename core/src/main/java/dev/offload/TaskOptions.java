package dev.offload;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Per-submit options: priority and where the completion is delivered.
 *
 * @param priority the priority for a {@link TaskQueue#priority priority queue}; higher runs first; ignored by FIFO
 * @param executor where the future completes when submitting from outside an event loop; {@code null} for the pool's
 *     default (its {@link WorkerPool.Builder#completionExecutor executor}, else the worker thread)
 */
public record TaskOptions(int priority, Executor executor) {
    /** No priority, default delivery. */
    public static final TaskOptions DEFAULT = new TaskOptions(0, null);

    /**
     * Returns these options with another priority.
     *
     * @param priority the priority
     * @return new options
     */
    public TaskOptions withPriority(int priority) {
        return new TaskOptions(priority, executor);
    }

    /**
     * Returns these options with another completion executor.
     *
     * @param executor the executor
     * @return new options
     */
    public TaskOptions withExecutor(Executor executor) {
        return new TaskOptions(priority, Objects.requireNonNull(executor, "executor"));
    }
}
