package dev.offload.internal.supervise;

import dev.offload.PoolState;
import dev.offload.internal.control.PoolEvents;
import dev.offload.internal.idle.Waker;
import dev.offload.internal.task.TaskRecord;
import dev.offload.internal.worker.WorkerHost;

/**
 * The pool a {@link WorkerSupervisor} supervises, as the supervisor sees it: what its workers see, plus the state
 * machine the supervisor drives and the queue it drains when tasks cannot run. The pool implements it; the
 * supervisor never sees the pool's admission.
 *
 * <p>Any thread, unless a method says otherwise.
 */
public interface SupervisedPool extends WorkerHost {
    /** Returns the pool's event sink. */
    PoolEvents events();

    /** Returns the state as the public enum. */
    PoolState publicState();

    /** Takes the next queued task, whatever the state, or {@code null}. */
    TaskRecord poll();

    /** The supervisor decided a queued task's end (queue timeout, close, failure): count it and deliver it. */
    void onQueuedDecided(TaskRecord record, TaskRecord.Outcome outcome);

    /** The live workers' wakers changed: the pool wakes these from now on. */
    void setWakers(Waker[] wakers);

    /** Stops intake: RUNNING or FAILED to DRAINING. Returns the state before. */
    int beginDrain();

    /** A forced close began: workers take nothing more, running tasks are stopped. */
    void setForced();

    /** A close that finishes what runs and drops what waits began (a forced close stays forced). */
    void setDropQueued();

    /** Workers crashed past the restart limit: RUNNING to FAILED; returns false in any other state. */
    boolean fail(Throwable crash);

    /** FAILED to RUNNING; returns false in any other state. */
    boolean reset();

    /** Why the pool FAILED, or {@code null}. */
    Throwable lastCrash();

    /** The pool is closed; returns the state before. The event is {@link #reportClosed}'s, after. */
    int markClosed();

    /** Emits the change to CLOSED that {@link #markClosed} made, unless the pool was closed already. */
    void reportClosed(int before);
}
