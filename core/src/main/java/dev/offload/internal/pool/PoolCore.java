package dev.offload.internal.pool;

import dev.offload.PoolEvent;
import dev.offload.PoolFailedException;
import dev.offload.PoolState;
import dev.offload.PoolStats;
import dev.offload.TaskOptions;
import dev.offload.TaskQueue;
import dev.offload.internal.base.Durations;
import dev.offload.internal.base.L1Pad;
import dev.offload.internal.base.StackText;
import dev.offload.internal.clone.Sendables;
import dev.offload.internal.control.PoolConfig;
import dev.offload.internal.control.PoolCounters;
import dev.offload.internal.control.PoolEvents;
import dev.offload.internal.dispatch.FreeWorkers;
import dev.offload.internal.dispatch.QueueGauge;
import dev.offload.internal.dispatch.Staffing;
import dev.offload.internal.idle.Waker;
import dev.offload.internal.loop.LoopCore;
import dev.offload.internal.loop.LoopState;
import dev.offload.internal.loop.TaskSink;
import dev.offload.internal.supervise.SupervisedPool;
import dev.offload.internal.supervise.WorkerSupervisor;
import dev.offload.internal.task.BatchCursor;
import dev.offload.internal.task.CompletionOwner;
import dev.offload.internal.task.RecordAccess;
import dev.offload.internal.task.Settler;
import dev.offload.internal.task.TaskRecord;
import dev.offload.internal.worker.ThreadWorker;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * A worker pool's admission and dispatch: the queue, its bound, the hand-off to workers, and the outcome accounting.
 * Worker lifecycle, time limits and close belong to the {@link WorkerSupervisor}; counters to {@link PoolCounters}.
 *
 * <p>Overview: a submit prepares its input (a structured clone that changes nothing the caller holds), reserves a slot
 * in the {@link QueueGauge}, and only then, past the point where it can fail, moves transferred buffers and queues the
 * task; a failure after the slot gives the slot back and moves nothing. Then it wakes a parked worker, or asks the
 * supervisor for one more if every live worker is busy and {@code maxWorkers} allows (a submitting thread never starts
 * a thread nor takes a lock). Workers poll the one shared queue, so no task waits behind a long one while another
 * worker is idle (no head-of-line blocking). A task submitted from an event loop is admitted at once and handed over
 * in a batch after the callback ({@link LoopState}).
 *
 * <p>Accounting: {@code submitted} is the number of queue slots ever reserved plus the submits refused because the
 * queue was full, so counting costs the submitter no extra write. The thread that decides a task's end (worker,
 * canceller, supervisor) counts it once and delivers the record to the owner once, before the future completes, so a
 * reader that saw the future complete also sees the count.
 *
 * <p>Close: a submitter reserves its slot (volatile RMW) before it reads the state, and a worker reads the state
 * before it reads the slot count, so either the submitter sees the pool closing and gives the slot back, or the
 * worker sees the slot and waits for the task.
 *
 * <p>Map: construction and the parts it wires; submit (admission, the slot, the offer, a loop's batches, waking or
 * asking for workers); the workers' side ({@link dev.offload.internal.worker.WorkerHost}: polling, starting, settling
 * outcomes and delivering them, the drain listener); the state machine the supervisor drives ({@link SupervisedPool});
 * the lifecycle API, delegated to the supervisor. Its length is the implementations of those three interfaces, each
 * short.
 *
 * <p>Any thread unless a method says otherwise.
 */
public final class PoolCore extends PoolCoreL2Pad implements Settler, TaskSink, SupervisedPool {
    /** See {@link #ownerMustAct()}. */
    static final int OWNER_WAKE_TASKS_PER_WORKER = 4;

    /**
     * Creates the pool machinery; its supervisor starts {@code minWorkers} workers at once.
     *
     * @param config the validated configuration
     */
    public PoolCore(PoolConfig config) {
        this(config, true);
    }

    /**
     * Creates the machinery; a stress test passes {@code false} to drive workers and the supervisor from its own
     * threads, one step at a time.
     */
    PoolCore(PoolConfig config, boolean start) {
        super(config);
        if (start) {
            supervisor.start();
        }
    }

    /**
     * Returns the configuration.
     *
     * @return the configuration
     */
    public PoolConfig config() {
        return config;
    }

    public PoolCounters counters() {
        return counters;
    }

    public PoolEvents events() {
        return events;
    }

    public Staffing staffing() {
        return staffing;
    }

    public QueueGauge gauge() {
        return gauge;
    }

    public WorkerSupervisor supervisor() {
        return supervisor;
    }

    // ---- submit ----

    /**
     * Submits a task: checks and prepares the input, reserves a queue slot (which counts the task), then queues it,
     * or, from an event loop, keeps it for the hand-over after the running callback. A submit that throws changed
     * nothing the caller holds: no buffer moved, no slot kept, no completion expected.
     *
     * @param task the task object, a {@code Task} or an {@code AsyncTask}; already checked
     * @param input the input
     * @param options the task's options
     * @return the task's future
     * @throws RejectedExecutionException if the pool is closed or failed, or the queue is full; counted as rejected
     * @throws dev.offload.NotSendableException if the input may not cross threads; not counted
     */
    public CompletableFuture<Object> submit(Object task, Object input, TaskOptions options) {
        return submit(options.executor() == null ? LoopCore.current() : null, task, input, options);
    }

    /**
     * {@link #submit(Object, Object, TaskOptions)} with the submitting loop given: the calling thread's, or the loop a
     * stress test's actor stands in for.
     *
     * @param loop the loop that submits and owns the completion, or {@code null} for none
     * @param task the task object
     * @param input the input
     * @param options the task's options; with an executor, {@code loop} must be {@code null}
     * @return the task's future
     */
    public CompletableFuture<Object> submit(LoopCore loop, Object task, Object input, TaskOptions options) {
        CompletionOwner owner = loop != null
                ? loop.owner()
                : options.executor() != null ? CompletionOwner.of(options.executor()) : config.defaultOwner();
        List<Object> moved = options.moved();
        Object prepared = config.trusted() // changes nothing yet
                ? input
                : moved.isEmpty() ? Sendables.prepare(input, "input") : Sendables.prepareMoving(input, "input", moved);
        Throwable site = config.captureSubmitSite() ? new SubmitSite(config.name()) : null;
        TaskRecord record = new TaskRecord(this, task, prepared, owner, options, site);
        if (loop != null) {
            loop.reserveSubmit(); // room to register it, so that nothing can fail once it is admitted
        }
        Sendables.Moves moves = null;
        boolean admitted = false;
        try {
            acquireSlot(); // counts the task as submitted, or refuses it (counted rejected)
            try {
                if (prepared instanceof Sendables.Moves m) {
                    m.commit(); // the point of no return for the caller's buffers
                    moves = m;
                    RecordAccess.setPayload(record, m.value());
                }
                if (loop != null) {
                    loop.register(this, record);
                } else {
                    RecordAccess.setSubmitNanos(record, System.nanoTime());
                    if (!queue.offer(record)) {
                        throw queueRefused();
                    }
                }
                admitted = true;
            } catch (Throwable t) {
                releaseSlot();
                counters.rejected.getAndIncrement();
                if (moves != null) {
                    moves.rollback();
                }
                throw t;
            }
        } finally {
            if (loop != null && !admitted) {
                loop.unreserveSubmit();
            }
        }
        // Accepted: what follows cannot undo the admission.
        if (loop == null) {
            signalWork(1);
            afterOffer();
        }
        watchQueueTime(record);
        if (loop != null) {
            loop.afterSubmit(); // last: the record is complete once a worker can take it
        }
        return record;
    }

    /**
     * After an offer: if the pool stopped running meanwhile, its supervisor drains the queue after it changed the
     * state, so this read of the state after the offer pairs with that drain: the supervisor is woken to drain again,
     * or, once it has ended (CLOSED), this thread drains the queue itself.
     */
    private void afterOffer() {
        // The offer ends with release stores; without a full fence this read could come before they are visible,
        // and the supervisor's drain, begun after it changed the state, could miss the task (a Dekker pair).
        VarHandle.fullFence();
        int s = state;
        if (s == CLOSED) {
            rejectQueuedAfterClose();
        } else if (s != RUNNING) {
            supervisor.wake();
        }
    }

    /** The pool closed while tasks were being handed over: they are refused, their futures failed. */
    void rejectQueuedAfterClose() {
        TaskRecord r;
        while ((r = poll()) != null) {
            reject(r, closedBeforeHandOver());
        }
    }

    private void acquireSlot() {
        FreeWorkers free = freeWorkers;
        if (free != null && !free.tryClaim()) {
            refuseForNoFreeWorker();
        }
        int slot = gauge.tryAcquire(); // the slot counts the task as submitted
        if ((slot & QueueGauge.FIRE) != 0) {
            fireDrain();
        }
        if ((slot & QueueGauge.ACQUIRED) == 0) {
            if (free != null) {
                free.giveBack();
            }
            counters.refusedFull.getAndIncrement();
            counters.rejected.getAndIncrement();
            throw new RejectedExecutionException("queue full: maxQueue=" + config.maxQueue() + ", pool=" + config.name()
                    + "; wait for onDrain, check needsDrain() before submitting, or raise maxQueue");
        }
        if ((slot & QueueGauge.FILLED) != 0) {
            events.emit(new PoolEvent.QueueFull(config.name(), config.maxQueue()));
        }
        int s = state; // read after the slot's volatile RMW: pairs with the workers' exit check
        if (s != RUNNING) {
            releaseSlot();
            wakeAll();
            counters.rejected.getAndIncrement();
            throw refusal(s);
        }
    }

    private void refuseForNoFreeWorker() {
        counters.refusedFull.getAndIncrement();
        counters.rejected.getAndIncrement();
        if (state == RUNNING && staffing.live() < config.maxWorkers()) {
            supervisor.requestGrowth(); // a worker more, for the next submit
        }
        throw new RejectedExecutionException("no free worker: maxQueue=0, pool=" + config.name() + ", workers="
                + staffing.live() + ", maxWorkers=" + config.maxWorkers() + "; with no queue a task is accepted only"
                + " while a worker is free to take it: submit again when onDrain fires, or allow a queue with"
                + " maxQueue(n)");
    }

    private RejectedExecutionException refusal(int s) {
        if (s == FAILED) {
            Throwable crash = lastCrash;
            return new PoolFailedException(
                    "pool failed: pool=" + config.name() + ", maxRestarts="
                            + config.restartPolicy().maxRestarts() + ", lastCrash=" + StackText.describe(crash)
                            + "; workers crashed past the restart limit; call reset() once the cause is fixed",
                    crash);
        }
        return new RejectedExecutionException("pool closed: pool=" + config.name());
    }

    private void watchQueueTime(TaskRecord record) {
        long limit = RecordAccess.options(record).queueTimeout() != null
                ? Durations.toNanos(RecordAccess.options(record).queueTimeout())
                : config.queueTimeoutNanos();
        if (limit > 0) {
            supervisor.watchQueued(record, System.nanoTime() + limit, limit);
        }
    }

    /**
     * Event loop thread: queues admitted records (one claim on a FIFO queue's index for the whole batch) and wakes or
     * asks for workers. A record cancelled since it was admitted is skipped (its canceller released its slot). If the
     * pool closed meanwhile, or the queue refuses a record (only a queue holding cancelled tasks that it has not
     * dropped yet can), the task is rejected: its future fails with {@link RejectedExecutionException}. Clears the
     * batch's entries.
     *
     * @param records holds the batch, all admitted by this pool
     * @param from the first index of the batch
     * @param to one past the last index
     * @param cursor a cursor owned by the calling thread
     */
    @Override
    public void publish(TaskRecord[] records, int from, int to, BatchCursor cursor) {
        int end = from; // live records are moved to [from, end); cancelled ones are dropped
        for (int i = from; i < to; i++) {
            if (RecordAccess.isQueued(records[i])) {
                records[end++] = records[i];
            }
        }
        int queued = end == from || state == CLOSED ? 0 : offerAll(records, from, end - from, cursor);
        for (int i = from + queued; i < end; i++) {
            reject(records[i], state == CLOSED ? closedBeforeHandOver() : queueRefused());
        }
        Arrays.fill(records, from, to, null);
        if (queued > 0) {
            signalWork(queued);
            afterOffer(); // as in submit
        }
    }

    private RejectedExecutionException closedBeforeHandOver() {
        return new RejectedExecutionException("pool closed before the event loop handed the task over: pool="
                + config.name() + "; the loop's callback outlived the pool's close");
    }

    private void reject(TaskRecord record, RuntimeException reason) {
        if (RecordAccess.decideQueued(record, reason, false)) {
            releaseSlot();
            counters.rejected.getAndIncrement();
            deliver(record);
        }
    }

    /** Offers {@code count} records from {@code from} in order; returns how many the queue took (the first ones). */
    private int offerAll(TaskRecord[] records, int from, int count, BatchCursor cursor) {
        cursor.reset(records, from);
        int queued = queue.offerAll(cursor, count);
        cursor.clear();
        return queued;
    }

    private RejectedExecutionException queueRefused() {
        return new RejectedExecutionException("task queue refused the task: pool=" + config.name() + ", size="
                + queue.size() + ", maxQueue=" + config.maxQueue()
                + " (cancelled tasks not yet polled still hold room)");
    }

    /** After {@code tasks} tasks were queued: wakes up to that many parked workers, else asks for more workers. */
    private void signalWork(int tasks) {
        int needed = tasks;
        for (Waker k : wakers) {
            if (k.isParked() && k.taker().canTakeMore() && k.wake() && --needed == 0) {
                return;
            }
        }
        int live = staffing.live(); // read after the offer: pairs with Staffing.tryRetire
        if (live >= config.maxWorkers()) {
            return; // no room to grow: the workers take the tasks when they poll next (checked first: it is cheap)
        }
        if (gauge.queued() > live - supervisor.busyWorkers()) {
            supervisor.requestGrowth(); // the supervisor starts the thread: a submitter never does
        }
    }

    // ---- workers ----

    public void setWakers(Waker[] wakers) {
        this.wakers = wakers;
    }

    public TaskRecord poll() {
        return (TaskRecord) queue.poll();
    }

    /** Worker thread: the next task to run, or null; none once a close drops the queue or the pool failed. */
    public TaskRecord pollForWorker() {
        return dropsQueued() || state == FAILED ? null : poll();
    }

    public boolean queueIsEmpty() {
        return queue.isEmpty();
    }

    public int state() {
        return state;
    }

    public boolean isForced() {
        return intake == FORCED;
    }

    /** Whether workers take no more queued tasks: a close that drops them, or a forced one, began. */
    public boolean dropsQueued() {
        return intake != TAKE;
    }

    /** Worker thread: the record left QUEUED for RUNNING; its slot is free. */
    public void onStarted(TaskRecord record) {
        if (gauge.release()) {
            fireDrain();
        }
    }

    /** A queued task left the queue without a worker starting it (or its submit failed): its slot is free. */
    void releaseSlot() {
        if (freeWorkers != null) {
            freeWorkers.giveBack(); // the free worker it was counted against is still free
        }
        if (gauge.release()) {
            fireDrain();
        }
    }

    /** The hand-off of a pool with no queue, or {@code null} if it has one. */
    public FreeWorkers freeWorkers() {
        return freeWorkers;
    }

    /** A worker of a pool with no queue became free after a submit was refused: the drain listener fires. */
    public void onWorkerFreed() {
        fireDrain();
    }

    public Object prepareOutput(Object output) {
        return config.trusted() ? output : Sendables.prepareAndCommit(output, "output");
    }

    /**
     * A worker decided its task's end: count it (in the worker's own counters for the common outcomes), then hand it
     * to its owner.
     */
    public void onFinished(TaskRecord record, ThreadWorker worker, TaskRecord.Outcome outcome) {
        if (outcome != TaskRecord.Outcome.COMPLETED
                && RecordAccess.submitSite(record) != null
                && RecordAccess.failure(record) != null) {
            addSubmitSite(RecordAccess.failure(record), RecordAccess.submitSite(record));
        }
        if (worker != null && outcome == TaskRecord.Outcome.COMPLETED) {
            worker.countOutcome(true);
        } else if (worker != null && outcome == TaskRecord.Outcome.FAILED) {
            worker.countOutcome(false);
        } else {
            counters.count(outcome);
        }
        deliver(record);
    }

    /**
     * Adds where the task was submitted to its failure, once per throwable: a throwable instance that tasks share (a
     * cached exception) carries the first site only, instead of growing with every task.
     */
    private static void addSubmitSite(Throwable failure, Throwable site) {
        synchronized (failure) {
            for (Throwable s : failure.getSuppressed()) {
                if (s instanceof SubmitSite) {
                    return;
                }
            }
            failure.addSuppressed(site);
        }
    }

    /** Another thread than the runner decided the task's end ({@link TaskRecord#stop}). */
    @Override
    public void onStopped(TaskRecord record, boolean wasQueued, boolean interrupted, TaskRecord.Outcome outcome) {
        if (wasQueued) {
            queue.remove(record);
            releaseSlot();
        }
        counters.count(outcome);
        if (outcome == TaskRecord.Outcome.CANCELLED) {
            RecordAccess.completeCancelledNow(record); // Future.cancel: done when cancel returns
        }
        deliver(record);
        if (interrupted) {
            supervisor.wake(); // it starts the grace period after which a task that keeps running is abandoned
        }
    }

    /** The supervisor decided a queued task's end (queue timeout, forced close, pool failed). */
    public void onQueuedDecided(TaskRecord record, TaskRecord.Outcome outcome) {
        queue.remove(record);
        releaseSlot();
        counters.count(outcome);
        if (outcome == TaskRecord.Outcome.CANCELLED) {
            RecordAccess.completeCancelledNow(record);
        }
        deliver(record);
    }

    void deliver(TaskRecord record) {
        if (RecordAccess.owner(record) == CompletionOwner.DIRECT && supervisor.onSupervisorThread()) {
            // A time limit, a forced close or a failed pool decided it: its dependents must not run on, and hold up,
            // the supervisor.
            Thread.ofVirtual().name(config.name() + "-completion").start(() -> RecordAccess.owner(record)
                    .deliver(record));
            return;
        }
        RecordAccess.owner(record).deliver(record);
    }

    /**
     * Whether an owner loop that parked should be woken for a completion now: the queue holds at most
     * {@value #OWNER_WAKE_TASKS_PER_WORKER} tasks per live worker, so the workers run dry soon unless the owner
     * submits more. The margin covers the wake-up itself: the loop must be scheduled, on a core a worker uses, before
     * it can refill the queue. A smaller margin leaves the workers idle while the loop is being scheduled; a larger
     * one wakes the loop for smaller batches of completions.
     */
    @Override
    public boolean ownerMustAct() {
        return gauge.queued() <= OWNER_WAKE_TASKS_PER_WORKER * staffing.live();
    }

    private void fireDrain() {
        events.emit(new PoolEvent.QueueDrained(config.name(), config.maxQueue()));
        Runnable listener = drainListener;
        if (listener != null && supervisor.onSupervisorThread()) {
            Runnable l = listener; // released by a drain of the supervisor: run the user's code elsewhere
            Thread.ofVirtual().name(config.name() + "-drain").start(() -> runDrainListener(l));
        } else if (listener != null) {
            runDrainListener(listener);
        }
    }

    private void runDrainListener(Runnable listener) {
        try {
            listener.run();
        } catch (Throwable t) {
            System.getLogger("dev.offload.WorkerPool")
                    .log(System.Logger.Level.WARNING, "onDrain listener failed: pool=" + config.name(), t);
        }
    }

    /**
     * Sets what runs when the queue, after being full, drains to half its bound.
     *
     * @param listener the listener; it must hand off quickly (it runs on a worker or submitting thread)
     */
    public void onDrain(Runnable listener) {
        this.drainListener = listener;
    }

    /**
     * Returns whether the queue is at its bound.
     *
     * @return {@code true} if a submit would be refused now for lack of room
     */
    public boolean needsDrain() {
        return freeWorkers != null ? freeWorkers.noneFree() : gauge.isFull();
    }

    public void wakeAll() {
        for (Waker k : wakers) {
            k.wake();
        }
    }

    // ---- state changes (supervisor and close callers) ----

    /** Stops intake: RUNNING or FAILED to DRAINING. Returns the state before. */
    public int beginDrain() {
        synchronized (this) {
            int s = state;
            if (s == RUNNING || s == FAILED) {
                state = DRAINING;
                events.emit(new PoolEvent.StateChanged(config.name(), publicState(s), PoolState.DRAINING, null));
            }
            return s;
        }
    }

    public void setForced() {
        synchronized (this) { // with setDropQueued's check-then-write: a forced close is never undone
            intake = FORCED;
        }
    }

    /** A close that finishes what runs and drops what waits began (a forced close stays forced). */
    public void setDropQueued() {
        synchronized (this) {
            if (intake == TAKE) {
                intake = DROP_QUEUED;
            }
        }
    }

    /** Supervisor: workers crashed past the restart limit. */
    public boolean fail(Throwable crash) {
        synchronized (this) {
            if (state != RUNNING) {
                return false;
            }
            lastCrash = crash;
            state = FAILED;
        }
        events.emit(new PoolEvent.StateChanged(config.name(), PoolState.RUNNING, PoolState.FAILED, crash));
        return true;
    }

    /** FAILED to RUNNING; returns false in any other state. */
    public boolean reset() {
        synchronized (this) {
            if (state != FAILED) {
                return false;
            }
            state = RUNNING;
            lastCrash = null;
        }
        events.emit(new PoolEvent.StateChanged(config.name(), PoolState.FAILED, PoolState.RUNNING, null));
        return true;
    }

    /** Supervisor: the pool is closed; returns the state before. The event is {@link #reportClosed}'s, after. */
    public int markClosed() {
        synchronized (this) {
            int before = state;
            state = CLOSED;
            return before;
        }
    }

    /** Supervisor: emits the change to CLOSED that {@link #markClosed} made, unless the pool was closed already. */
    public void reportClosed(int before) {
        if (before != CLOSED) {
            events.emit(new PoolEvent.StateChanged(config.name(), publicState(before), PoolState.CLOSED, null));
        }
    }

    public Throwable lastCrash() {
        return lastCrash;
    }

    static PoolState publicState(int s) {
        return switch (s) {
            case RUNNING -> PoolState.RUNNING;
            case DRAINING -> PoolState.DRAINING;
            case FAILED -> PoolState.FAILED;
            default -> PoolState.CLOSED;
        };
    }

    /**
     * Returns the pool's state.
     *
     * @return the state
     */
    public PoolState publicState() {
        return publicState(state);
    }

    /**
     * Returns whether a close has begun.
     *
     * @return {@code true} once draining or closed
     */
    public boolean isShutdown() {
        int s = state;
        return s == DRAINING || s == CLOSED;
    }

    // ---- lifecycle API, delegated to the supervisor ----

    /**
     * Closes: gracefully with no deadline ({@code timeoutNanos < 0}), gracefully until a deadline then forcibly, or
     * forcibly at once ({@code force}). Returns when the pool is closed, or (with a deadline) about then.
     *
     * @param force whether to force at once
     * @param timeoutNanos how long a graceful close may take, or a negative value for no limit
     */
    public void close(boolean force, long timeoutNanos) {
        ThreadWorker self = ThreadWorker.currentWorkerOf(this);
        if (self != null) {
            throw new IllegalStateException("close called from the pool's own worker thread: pool=" + config.name()
                    + ", worker=" + self.workerId() + "; close the pool from outside its tasks, or use closeAsync()");
        }
        LoopCore.publishPending(); // tasks the running callback submitted are accepted: hand them over first
        supervisor.close(force, timeoutNanos, false, true);
    }

    /**
     * Closes once the running tasks have finished: queued tasks are cancelled unrun, pending async tasks finish.
     * Returns when the pool is closed.
     */
    public void closeAfterRunning() {
        ThreadWorker self = ThreadWorker.currentWorkerOf(this);
        if (self != null) {
            throw new IllegalStateException("closeAfterRunning called from the pool's own worker thread: pool="
                    + config.name() + ", worker=" + self.workerId() + "; close the pool from outside its tasks");
        }
        LoopCore.publishPending();
        supervisor.close(false, -1, true, true);
    }

    /**
     * Begins a graceful close and returns at once.
     *
     * @return a future completed when the pool is closed; see {@link LoopCore#onCallerLoop}
     */
    public CompletableFuture<Void> closeAsync() {
        LoopCore.publishPending();
        supervisor.close(false, -1, false, false);
        return LoopCore.onCallerLoop(supervisor.termination());
    }

    /**
     * Puts a FAILED pool back to RUNNING; returns once it is. The supervisor makes the change, between two of its own
     * drains of a failed pool's queue, so that no task submitted after the reset is failed by a drain that began
     * before it.
     */
    public void resetFailed() {
        supervisor.reset();
    }

    /** Replaces every worker, one at a time, after its current task. */
    public void recycleWorkers() {
        supervisor.recycleAll();
    }

    /**
     * Reads the counters, queue, workers and latency histograms.
     *
     * @return a snapshot
     */
    public PoolStats stats() {
        return supervisor.stats(createdNanos);
    }

    /**
     * Cancels a task of some pool with {@code cancellation}, with interrupt if it runs, as its abort signal does.
     *
     * @param future a future that {@link #submit} returned; any other is left alone
     * @param queuedOnly whether to cancel it only if it is still queued (an abort's first pass: a worker freed by the
     *     cancel of a running task must not start a queued task of the same signal)
     * @param cancellation what the future fails with
     * @return {@code true} if this call ended the task
     */
    public static boolean abort(
            CompletableFuture<?> future, boolean queuedOnly, java.util.concurrent.CancellationException cancellation) {
        return future instanceof TaskRecord r
                && (!queuedOnly || RecordAccess.isQueued(r))
                && RecordAccess.stop(r, true, null, cancellation, TaskRecord.Outcome.CANCELLED);
    }

    /** Added as a suppressed exception to a task's failure: where the task was submitted. */
    static final class SubmitSite extends Exception {
        private static final long serialVersionUID = 1L;

        SubmitSite(String pool) {
            super("task submitted here: pool=" + pool);
        }
    }
}

/** The fields of {@link PoolCore}, between its two paddings (see {@link L1Pad}). */
abstract class PoolCoreFields extends L1Pad {
    /** {@link #intake}: workers take queued tasks. */
    static final int TAKE = 0;
    /** {@link #intake}: a close drops what is queued; workers finish what runs and take nothing more. */
    static final int DROP_QUEUED = 1;
    /** {@link #intake}: a forced close began: workers take nothing more, running tasks are stopped. */
    static final int FORCED = 2;

    final PoolConfig config;
    final TaskQueue queue;
    final QueueGauge gauge;
    final FreeWorkers freeWorkers; // maxQueue(0) only, else null: a task is accepted only for a free worker
    final Staffing staffing;
    final PoolCounters counters = new PoolCounters();
    final PoolEvents events;
    final WorkerSupervisor supervisor;
    final long createdNanos = System.nanoTime();

    volatile int state = SupervisedPool.RUNNING;
    volatile int intake = TAKE; // TAKE, DROP_QUEUED or FORCED: whether workers take queued tasks
    volatile Throwable lastCrash; // why the pool FAILED
    volatile Waker[] wakers = new Waker[0]; // the workers' wakers: signalWork reads no worker's own lines
    volatile Runnable drainListener;

    PoolCoreFields(PoolConfig config) {
        this.config = config;
        // With no queue (maxQueue 0), free workers bound what is queued: at most one task each, and a registered
        // replacement's; the gauge's bound is only a backstop.
        int bound = config.maxQueue() > 0 ? config.maxQueue() : (int) Math.min(1 << 22, 2L * (config.maxWorkers() + 1));
        this.queue = config.queueFactory().apply(bound);
        if (queue == null) {
            throw new IllegalArgumentException("taskQueue factory returned null: maxQueue=" + bound);
        }
        this.gauge = new QueueGauge(bound);
        this.freeWorkers = config.maxQueue() == 0 ? new FreeWorkers() : null;
        this.staffing = new Staffing(config.minWorkers(), config.maxWorkers());
        this.events = new PoolEvents(config.name(), config.listener());
        this.supervisor = new WorkerSupervisor((PoolCore) this, ThreadWorker::new); // the only subclass
    }
}

/** The padding after the fields of {@link PoolCore}. */
abstract class PoolCoreL2Pad extends PoolCoreFields {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    PoolCoreL2Pad(PoolConfig config) {
        super(config);
    }
}
