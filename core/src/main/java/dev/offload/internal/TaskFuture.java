package dev.offload.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The future of a pool task: {@link #cancel(boolean)} cancels the task itself (removed if queued; flagged and, with
 * {@code mayInterruptIfRunning}, interrupted if running). {@code *Async} methods without an executor run on the
 * owner (the submitting event loop).
 *
 * <p>Any thread.
 *
 * @param <T> the result type
 */
public final class TaskFuture<T> extends CompletableFuture<T> {
    private TaskRecord record;

    /** Creates an unbound future; {@link #bind} follows before it escapes. */
    public TaskFuture() {}

    void bind(TaskRecord record) {
        this.record = record;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return record.cancel(mayInterruptIfRunning) || isCancelled();
    }

    @Override
    public Executor defaultExecutor() {
        return record.owner().asyncExecutor();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    boolean cancelInternal() {
        return super.cancel(false);
    }

    @Override
    public String toString() {
        return "TaskFuture[" + record + ", " + super.toString() + "]";
    }
}
