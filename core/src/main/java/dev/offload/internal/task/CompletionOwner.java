package dev.offload.internal.task;

import dev.offload.internal.base.PadHead;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Where a task's future is completed: the event loop that submitted it (the loop's own owner), an executor, or the
 * thread that decided the task's outcome.
 *
 * <p>{@link #deliver} from any thread, exactly once per task. Padded in front, so that an owner that workers read on
 * every completion does not share a cache line with whatever was allocated before it.
 */
public abstract class CompletionOwner extends PadHead {
    private static final System.Logger LOG = System.getLogger("dev.offload.WorkerPool");

    /** Completes on the worker thread (or whichever thread decided the outcome). */
    public static final CompletionOwner DIRECT = new CompletionOwner() {
        @Override
        public void deliver(TaskRecord record) {
            record.completeOnOwner();
        }

        @Override
        public Executor asyncExecutor() {
            return ForkJoinPool.commonPool();
        }
    };

    public CompletionOwner() {}

    /**
     * Hands the decided record to the owner, which completes its future. Never throws: if the owner cannot take it, the
     * future is completed on the calling thread.
     */
    public abstract void deliver(TaskRecord record);

    /** Returns the executor of the future's {@code *Async} methods called without an executor. */
    public abstract Executor asyncExecutor();

    /** Returns where the future's non-async dependents run, or {@code null} for wherever it completes. */
    public OwnedFuture.DependentExecutor dependentExecutor() {
        return null;
    }

    /**
     * An owner that completes futures on an executor; if the executor refuses or fails, on the calling thread (a
     * completion is never dropped).
     *
     * @param executor the executor
     * @return the owner
     */
    public static CompletionOwner of(Executor executor) {
        return new CompletionOwner() {
            @Override
            public void deliver(TaskRecord record) {
                try {
                    executor.execute(record::completeOnOwner);
                } catch (Throwable t) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "completion executor refused a completion; completing on this thread: executor=" + executor,
                            t);
                    record.completeOnOwner();
                }
            }

            @Override
            public Executor asyncExecutor() {
                return executor;
            }
        };
    }
}
