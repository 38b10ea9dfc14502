package dev.offload.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;

/**
 * Where a task's future is completed: the event loop that submitted it, an executor, or the worker itself.
 *
 * <p>{@link #deliver} from any thread, exactly once per task. Padded in front, so that an owner that workers read on
 * every completion does not share a cache line with whatever was allocated before it.
 */
public abstract class CompletionOwner extends PadHead {
    /** Completes on the worker thread (or whichever thread decided the outcome). */
    public static final CompletionOwner DIRECT = new CompletionOwner() {
        @Override
        public void deliver(TaskRecord record) {
            record.run();
        }

        @Override
        public Executor asyncExecutor() {
            return ForkJoinPool.commonPool();
        }
    };

    /** For subclasses. */
    protected CompletionOwner() {}

    /**
     * Hands the record to the owner, which completes the future by running the record.
     *
     * @param record the decided task
     */
    public abstract void deliver(TaskRecord record);

    /**
     * Returns the executor of the future's {@code *Async} methods without an executor argument.
     *
     * @return the executor
     */
    public abstract Executor asyncExecutor();

    /**
     * An owner that completes futures on an executor; if it refuses, on the calling thread (a completion is never
     * dropped).
     *
     * @param executor the executor
     * @return the owner
     */
    public static CompletionOwner of(Executor executor) {
        return new CompletionOwner() {
            @Override
            public void deliver(TaskRecord record) {
                try {
                    executor.execute(record);
                } catch (RejectedExecutionException e) {
                    record.run();
                }
            }

            @Override
            public Executor asyncExecutor() {
                return executor;
            }
        };
    }
}
