package dev.offload.internal.task;

/**
 * The pool a {@link TaskRecord} belongs to, as the record and the loop see it: the record settles a decision taken
 * by a thread other than its runner through it, and the loop asks it whether a completion is urgent. A worker pool
 * implements it; the record and the loop never see the pool itself.
 *
 * <p>Any thread.
 */
public interface Settler {
    /**
     * Another thread than the runner decided the task's end ({@link TaskRecord#stop}): counts the outcome, frees
     * what the task held (its queue slot if it was queued), and delivers the record to its owner.
     *
     * @param record the record, already decided
     * @param wasQueued whether it was decided while queued
     * @param interrupted whether its runner was interrupted
     * @param outcome how it counts
     */
    void onStopped(TaskRecord record, boolean wasQueued, boolean interrupted, TaskRecord.Outcome outcome);

    /**
     * Whether an owner loop that parked should be woken for a completion of this pool now, because the pool's
     * workers run out of queued tasks soon unless the owner submits more.
     *
     * @return {@code true} to wake the owner
     */
    boolean ownerMustAct();
}
