package dev.offload.internal.task;

import dev.offload.TaskOptions;
import java.util.concurrent.CancellationException;

/**
 * What the other role packages do to a {@link TaskRecord}. A record is also the future a caller holds, so its own
 * members stay package-private: a caller that reaches the class (on the class path) finds only the methods of
 * {@code CompletableFuture} and {@code QueuedTask} on it. Each method here is one call to the record's member of the
 * same name; see there for what it does, which thread may call it and the ordering it relies on.
 */
public final class RecordAccess {
    private RecordAccess() {}

    public static Object task(TaskRecord r) {
        return r.task;
    }

    public static CompletionOwner owner(TaskRecord r) {
        return r.owner;
    }

    public static Settler settler(TaskRecord r) {
        return r.settler;
    }

    public static TaskOptions options(TaskRecord r) {
        return r.options();
    }

    public static Throwable submitSite(TaskRecord r) {
        return r.submitSite();
    }

    public static String taskName(TaskRecord r) {
        return r.taskName();
    }

    public static boolean isAsync(TaskRecord r) {
        return r.isAsync();
    }

    public static boolean isQueued(TaskRecord r) {
        return r.isQueued();
    }

    public static boolean isPending(TaskRecord r) {
        return r.isPending();
    }

    public static boolean isStopRequested(TaskRecord r) {
        return r.isStopRequested();
    }

    public static boolean stoppedWithInterrupt(TaskRecord r) {
        return r.stoppedWithInterrupt();
    }

    public static boolean tryStart(TaskRecord r, Thread worker) {
        return r.tryStart(worker);
    }

    public static boolean finishRun(TaskRecord r, int next) {
        return r.finishRun(next);
    }

    public static boolean finishPending(TaskRecord r) {
        return r.finishPending();
    }

    public static boolean decideQueued(TaskRecord r, Throwable failure, boolean cancelled) {
        return r.decideQueued(failure, cancelled);
    }

    public static boolean stop(
            TaskRecord r,
            boolean interrupt,
            Throwable failure,
            CancellationException cancellation,
            TaskRecord.Outcome outcome) {
        return r.stop(interrupt, failure, cancellation, outcome);
    }

    public static void completeOnOwner(TaskRecord r) {
        r.completeOnOwner();
    }

    public static void completeCancelledNow(TaskRecord r) {
        r.completeCancelledNow();
    }

    public static void addHook(TaskRecord r, Runnable hook) {
        r.addHook(hook);
    }

    public static void setLoopSlot(TaskRecord r, int slot) {
        r.setLoopSlot(slot);
    }

    public static int loopSlot(TaskRecord r) {
        return r.loopSlot();
    }

    public static Object payload(TaskRecord r) {
        return r.payload;
    }

    public static void setPayload(TaskRecord r, Object payload) {
        r.payload = payload;
    }

    public static Throwable failure(TaskRecord r) {
        return r.failure;
    }

    public static void setFailure(TaskRecord r, Throwable failure) {
        r.failure = failure;
    }

    public static long submitNanos(TaskRecord r) {
        return r.submitNanos;
    }

    public static void setSubmitNanos(TaskRecord r, long nanos) {
        r.submitNanos = nanos;
    }

    /**
     * The running task's thread: hands a progress value to the task's listener, ahead of its completion (see
     * {@code TaskRecord.postProgress}).
     *
     * @param r the running task's record
     * @param prepared the value, already checked and copied
     */
    public static void postProgress(TaskRecord r, Object prepared) {
        r.postProgress(prepared);
    }
}
