package dev.offload.internal.worker;

import dev.offload.internal.control.PoolConfig;
import dev.offload.internal.control.PoolCounters;
import dev.offload.internal.dispatch.FreeWorkers;
import dev.offload.internal.dispatch.QueueGauge;
import dev.offload.internal.dispatch.Staffing;
import dev.offload.internal.task.TaskRecord;

/**
 * The pool a {@link ThreadWorker} works for, as the worker sees it: where it takes tasks, the pool's state, and where it
 * settles the outcomes it decides. The pool implements it; a worker never sees the pool's admission or supervision.
 *
 * <p>Any thread; a worker calls it from its own thread.
 */
public interface WorkerHost {
    /** {@link #state()}: taking tasks. */
    int RUNNING = 0;
    /** {@link #state()}: closing; queued tasks still run unless a close drops them. */
    int DRAINING = 1;
    /** {@link #state()}: workers crashed past the restart limit; nothing runs until a reset. */
    int FAILED = 2;
    /** {@link #state()}: closed. */
    int CLOSED = 3;

    /** Returns the pool's configuration. */
    PoolConfig config();

    /** Returns the pool's state: {@link #RUNNING}, {@link #DRAINING}, {@link #FAILED} or {@link #CLOSED}. */
    int state();

    /** Whether a forced close began: workers take nothing more, running tasks are stopped. */
    boolean isForced();

    /** Whether workers take no more queued tasks: a close that drops them, or a forced one, began. */
    boolean dropsQueued();

    /** Worker thread: the next task to run, or {@code null}; none once a close drops the queue or the pool failed. */
    TaskRecord pollForWorker();

    /** Whether no task is queued. */
    boolean queueIsEmpty();

    /** The pool's worker places. */
    Staffing staffing();

    /** The pool's queue slots. */
    QueueGauge gauge();

    /** The hand-off of a pool with no queue, or {@code null} if it has one. */
    FreeWorkers freeWorkers();

    /** The pool's counters. */
    PoolCounters counters();

    /** Worker thread: the record left QUEUED for RUNNING; its slot is free. */
    void onStarted(TaskRecord record);

    /** A worker decided its task's end: count it, then deliver it to its owner. */
    void onFinished(TaskRecord record, ThreadWorker worker, TaskRecord.Outcome outcome);

    /** Worker thread: a task's output, checked and cloned as the pool's isolation requires. */
    Object prepareOutput(Object output);

    /** A worker of a pool with no queue became free after a submit was refused. */
    void onWorkerFreed();

    /** Wakes every live worker. */
    void wakeAll();
}
