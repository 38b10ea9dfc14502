package dev.offload.internal.task;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Where a task's future is completed: the event loop that submitted it (the loop's own owner), an executor, or the
 * thread that decided the task's outcome.
 *
 * <p>{@link #deliver} from any thread, exactly once per task. An owner that lives long and that workers read on every
 * completion sits alone on its cache lines (the event loop's does: see {@link dev.offload.internal.base.L1Pad}); the
 * owner of one executor-bound task is made per task and is not padded.
 */
public interface CompletionOwner {
    /** Completes on the worker thread (or whichever thread decided the outcome). */
    CompletionOwner DIRECT = new CompletionOwner() {
        @Override
        public void deliver(TaskRecord record) {
            record.completeOnOwner();
        }

        @Override
        public Executor asyncExecutor() {
            return ForkJoinPool.commonPool();
        }
    };

    /**
     * Hands the decided record to the owner, which completes its future. Never throws: if the owner cannot take it, the
     * future is completed on the calling thread.
     */
    void deliver(TaskRecord record);

    /**
     * Runs a progress delivery of a task this owner completes, where it completes the task's future, before any
     * completion handed over after it. The default runs it on the calling thread (the worker's).
     *
     * @param delivery what to run
     */
    default void deliverProgress(Runnable delivery) {
        delivery.run();
    }

    /** Returns the executor of the future's {@code *Async} methods called without an executor. */
    Executor asyncExecutor();

    /** Returns where the future's non-async dependents run, or {@code null} for wherever it completes. */
    default OwnedFuture.DependentExecutor dependentExecutor() {
        return null;
    }

    /**
     * An owner that completes futures on an executor; if the executor refuses or fails, on the calling thread (a
     * completion is never dropped).
     *
     * @param executor the executor
     * @return the owner
     */
    static CompletionOwner of(Executor executor) {
        return new CompletionOwner() {
            @Override
            public void deliver(TaskRecord record) {
                try {
                    executor.execute(record::completeOnOwner);
                } catch (Throwable t) {
                    System.getLogger("dev.offload.WorkerPool")
                            .log(
                                    System.Logger.Level.WARNING,
                                    "completion executor refused a completion; completing on this thread: executor="
                                            + executor,
                                    t);
                    record.completeOnOwner();
                }
            }

            @Override
            public void deliverProgress(Runnable delivery) {
                try {
                    executor.execute(delivery);
                } catch (Throwable t) {
                    delivery.run(); // as a completion is: never dropped because the executor refused
                }
            }

            @Override
            public Executor asyncExecutor() {
                return executor;
            }
        };
    }
}
