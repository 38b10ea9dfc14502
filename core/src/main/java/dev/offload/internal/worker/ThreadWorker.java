package dev.offload.internal.worker;

import dev.offload.AsyncTask;
import dev.offload.Task;
import dev.offload.TaskContext;
import dev.offload.WorkerCrashedException;
import dev.offload.internal.base.L1Pad;
import dev.offload.internal.base.StackText;
import dev.offload.internal.base.VarHandles;
import dev.offload.internal.clone.Sendables;
import dev.offload.internal.control.LatencyRecorder;
import dev.offload.internal.control.PoolConfig;
import dev.offload.internal.dispatch.FreeWorkers;
import dev.offload.internal.dispatch.Staffing;
import dev.offload.internal.idle.Idler;
import dev.offload.internal.idle.Taker;
import dev.offload.internal.idle.Waker;
import dev.offload.internal.task.RecordAccess;
import dev.offload.internal.task.TaskRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker of a pool: its thread's run loop, its own state, and its task context.
 *
 * <p>Overview: poll the pool's queue; run what it returns; when the queue is empty, idle (spin, yield, park) until the
 * pool wakes it, the pool closes, or, above {@code minWorkers}, its idle timeout passes and it retires. The {@link
 * WorkerWatcher} (the supervisor) watches it from outside through {@link #current} and {@link #currentStart}: time
 * limits, the watchdog, and abandonment of a task that will not stop. Whatever a task leaves behind stays behind: the
 * interrupt status is cleared after every task; a {@link VirtualMachineError} escaping a task (the thread is in doubt:
 * its {@code finally} blocks and locks may not have run) fails the task with {@link WorkerCrashedException} and ends
 * the worker, which the supervisor replaces; any other throwable fails only its task.
 *
 * <p>Memory ordering: a task with a time limit is published in {@link #current} with a volatile store, and then the
 * supervisor's next wake-up time is read (volatile): the supervisor publishes its wake-up time, then re-reads every
 * worker's {@code current}, so either it sees the new task or the worker sees a wake-up time later than the task's
 * deadline and wakes it (Dekker). For the watchdog, whose threshold is long, the same pairing uses the busy flag,
 * written once per busy period: other tasks are published with a release store, so a task costs no store-load fence
 * unless it has a time limit.
 *
 * <p>Worker thread only, except what the supervisor and the stats read (volatile fields) and {@link #wake()}.
 *
 * <p>Map: construction and the thread; the run loop (initialize, poll, run, idle, retire, exit, teardown); running
 * one task, plain then async, and the abandonment CAS ({@code leaveTask}, {@code abandonIn}); the worker's counters;
 * its {@code TaskContext} methods.
 */
public final class ThreadWorker extends ThreadWorkerL2Pad
        implements TaskContext, Idler.WorkSource, Taker, WorkerHandle {
    private static final VarHandle BUSY_NANOS =
            VarHandles.field(MethodHandles.lookup(), ThreadWorkerFields.class, "busyNanos", long.class);
    private static final VarHandle COMPLETED =
            VarHandles.field(MethodHandles.lookup(), ThreadWorkerFields.class, "completed", long.class);
    private static final VarHandle FAILED =
            VarHandles.field(MethodHandles.lookup(), ThreadWorkerFields.class, "failed", long.class);
    private static final VarHandle BUSY =
            VarHandles.field(MethodHandles.lookup(), ThreadWorkerFields.class, "busyFlag", boolean.class);
    private static final VarHandle CURRENT =
            VarHandles.field(MethodHandles.lookup(), ThreadWorkerFields.class, "current", TaskRecord.class);

    /** Idle steps between two looks at the idle timeout by a worker that does not park (a power of two, less one). */
    private static final int RETIRE_CHECK_MASK = 1023;

    /** The exit reason of a worker that ran its {@code maxTasksPerWorker} tasks. */
    static final String TASK_LIMIT = "maxTasksPerWorker reached";

    /** What {@link #current} holds once the supervisor abandoned the worker inside a task. */
    private static final TaskRecord ABANDONED = TaskRecord.stoppedMark();

    public ThreadWorker(WorkerHost pool, WorkerWatcher supervisor, int id) {
        super(pool, supervisor, id);
    }

    @Override
    public void start() {
        thread.start();
    }

    /** Returns the calling thread's worker if it belongs to {@code pool}, else null. */
    public static ThreadWorker currentWorkerOf(WorkerHost pool) {
        return Thread.currentThread() instanceof WorkerThread t && t.worker().pool == pool ? t.worker() : null;
    }

    void run() {
        idler.start();
        Throwable crash = null;
        boolean taskCaused = false;
        String reason = "closed";
        try {
            if (initialize()) {
                online = true;
                supervisor.workerOnline(this);
                reason = runLoop();
            } else {
                crash = initFailure;
            }
        } catch (WorkerDied d) {
            crash = d.getCause();
            taskCaused = true; // thrown by a task on a worker that had started: the task's doing
        } catch (Throwable t) {
            crash = t;
        } finally {
            idler.stop();
            if (crash != null) {
                failInFlight(crash);
            }
            if (!abandonedHere) {
                teardownState(); // a worker abandoned inside a task has its state torn down by the supervisor
            }
            if (freeWorkers != null && free) {
                freeWorkers.withdraw();
            }
            reported = true;
            supervisor.workerEnded(this, crash, taskCaused, reason);
        }
    }

    private boolean initialize() {
        var initializer = config.initializer();
        if (initializer == null) {
            return true;
        }
        try {
            state = initializer.get();
            hasState = true;
            return true;
        } catch (Throwable t) {
            initFailure = t;
            return false;
        } finally {
            Thread.interrupted(); // an interrupt the initializer left behind does not reach the first task
        }
    }

    void teardownState() {
        var teardown = config.teardown();
        if (teardown != null && hasState) {
            try {
                teardown.accept(state);
            } catch (Throwable t) {
                System.getLogger("dev.offload.WorkerPool")
                        .log(System.Logger.Level.WARNING, "worker state teardown failed: worker=" + this, t);
            }
            Thread.interrupted();
        }
    }

    /** Returns why the loop ended. */
    private String runLoop() {
        long idleTimeout = config.idleTimeoutNanos();
        int idleSteps = 0;
        boolean busy = false;
        long idleSince = System.nanoTime();
        while (true) {
            if (abandoned || abandonedHere) {
                return "abandoned thread ended";
            }
            if (retireRequested) {
                return "recycled";
            }
            if (tasksRun >= taskLimit) { // maxTasksPerWorker: never more, even under a burst
                return TASK_LIMIT;
            }
            TaskRecord record = canTakeMore() ? pool.pollForWorker() : null;
            if (record != null) {
                if (!start(record)) {
                    continue;
                }
                // Busy only once the task left the queue: a reader of stats never sees a busy worker whose task
                // still holds its queue slot.
                if (!busy) {
                    busy = true;
                    BUSY.setVolatile(this, true); // then the read of the supervisor's wake-up time: pairs with its scan
                    if (config.blockedNanos() > 0) {
                        supervisor.noteBusy();
                    }
                }
                run(record);
                idler.reset();
                continue;
            }
            lastEnd = 0;
            if (freeWorkers != null && !free && canTakeMore()) {
                free = true;
                if (freeWorkers.free()) {
                    pool.onWorkerFreed();
                }
            }
            if (busy) {
                busy = false;
                BUSY.setRelease(this, false);
                idleSince = System.nanoTime();
            }
            if (leavesClosingPool()) {
                return "closed";
            }
            boolean mayRetire =
                    pool.state() == WorkerHost.RUNNING && pool.staffing().aboveMin();
            long deadline = mayRetire ? idleSince + idleTimeout : Long.MAX_VALUE;
            Thread.interrupted(); // a stray interrupt must not turn the park into a spin
            // The idle timeout is looked at after a park, and every 1,024 steps of a worker that spins or yields
            // instead (LATENCY never parks): a clock read now and then, not on every spin.
            boolean parked = idler.idle(this, deadline);
            if (mayRetire && (parked || (++idleSteps & RETIRE_CHECK_MASK) == 0) && System.nanoTime() - deadline >= 0) {
                if (retireIfIdle()) {
                    return WorkerWatcher.IDLE; // gave its place up in tryRetire
                }
                idleSince = System.nanoTime();
            }
        }
    }

    /**
     * The idle timeout passed: leaves if the pool stays at or above {@code minWorkers} and no task is queued
     * ({@link Staffing#tryRetire}: a submitter that queued a task meanwhile either is seen here or sees the place given
     * up and asks the supervisor for a worker).
     */
    public boolean retireIfIdle() {
        return pool.state() == WorkerHost.RUNNING && pool.staffing().tryRetire(() -> !pool.queueIsEmpty());
    }

    /**
     * Worker thread, idle: whether it ends now because the pool is closing and nothing is left for it; if so, it wakes
     * its siblings first. A sibling that checked while this worker held a task taken but not yet counted out of the
     * queue read one queued task, found the queue empty and parked, and no close wakes it again. This worker's release
     * of that slot came before this check, so the sibling, parked on the old count, is woken here and checks again.
     *
     * @return {@code true} if the worker leaves
     */
    public boolean leavesClosingPool() {
        if (!shouldExit()) {
            return false;
        }
        pool.wakeAll();
        return true;
    }

    /**
     * Owner of an unstarted worker (a stress test's thread standing in for it): announces a park and re-checks for work,
     * as the idle step does before it parks.
     *
     * @return {@code true} if it would park now (a thread that publishes work or a close after this wakes it)
     */
    public boolean announcePark() {
        return idler.announcePark(this);
    }

    /** Whether the worker ends now because the pool is closing and nothing is left for it. */
    public boolean shouldExit() {
        if (pool.isForced()) {
            return true;
        }
        int s = pool.state();
        // Graceful: read the state, then the slot count (pairs with a submitter's slot-then-state). A close that
        // drops the queue leaves its tasks to the supervisor, but waits for this worker's pending async tasks.
        return (s == WorkerHost.DRAINING || s == WorkerHost.CLOSED)
                && (pool.gauge().queued() == 0 || pool.dropsQueued())
                && asyncCount.get() == 0;
    }

    @Override
    public boolean hasWork() {
        int s = pool.state();
        return (s != WorkerHost.FAILED && !pool.dropsQueued() && canTakeMore() && !pool.queueIsEmpty())
                || pool.isForced()
                || abandoned
                || retireRequested
                || shouldExit();
    }

    @Override
    public boolean canTakeMore() {
        return asyncCount.get() < config.tasksPerWorker();
    }

    @Override
    public boolean isBusy() {
        return busyFlag;
    }

    @Override
    public Waker waker() {
        return idler.waker();
    }

    /** Runs one task taken from the queue. Worker thread (or a stress test's thread standing in for it). */
    public void execute(TaskRecord record) {
        if (start(record)) {
            run(record);
        }
    }

    /** Claims a task taken from the queue and frees its slot; false if it was decided while queued. */
    private boolean start(TaskRecord record) {
        if (!RecordAccess.tryStart(record, Thread.currentThread())) {
            return false; // decided while queued (cancelled, timed out, failed); its slot was released by the decider
        }
        pool.onStarted(record);
        if (freeWorkers != null) {
            if (free) {
                free = false; // it spends the credit that the task's submit took
            } else {
                freeWorkers.giveBack(); // the task was counted against a worker that is still free
            }
        }
        return true;
    }

    /** Runs a task this worker started. */
    private void run(TaskRecord record) {

        // Back to back, the previous task's end is this one's start: one clock read per task instead of two.
        long start = lastEnd != 0 ? lastEnd : System.nanoTime();
        publishCurrent(record, start);
        Object input = RecordAccess.payload(record);
        RecordAccess.setPayload(record, null);
        if (RecordAccess.isAsync(record)) {
            executeAsync(record, input, start);
            return;
        }
        Object output = null;
        Throwable failure = null;
        VirtualMachineError fatal = null;
        try {
            @SuppressWarnings("unchecked")
            Task<Object, Object> task = (Task<Object, Object>) RecordAccess.task(record);
            output = pool.prepareOutput(task.run(input));
        } catch (VirtualMachineError e) {
            fatal = e;
            failure = crashOf(record, e);
        } catch (Throwable t) {
            failure = t;
        }
        long end = System.nanoTime();
        lastEnd = end;
        latencies.record(start - RecordAccess.submitNanos(record), end - start);
        addBusy(end - start);
        boolean won = RecordAccess.finishRun(record, TaskRecord.DONE);
        leaveTask(record, won);
        if (won) {
            RecordAccess.setPayload(record, output);
            RecordAccess.setFailure(record, failure);
            TaskRecord.Outcome outcome = fatal != null
                    ? TaskRecord.Outcome.CRASHED
                    : failure == null ? TaskRecord.Outcome.COMPLETED : TaskRecord.Outcome.FAILED;
            pool.onFinished(record, this, outcome);
        }
        Thread.interrupted(); // whatever the task, or a cancel of it, left set stays behind
        tasksRun++;
        if (fatal != null) {
            throw new WorkerDied(fatal);
        }
    }

    private WorkerCrashedException crashOf(TaskRecord record, Throwable cause) {
        return new WorkerCrashedException(
                "worker crashed while running the task: pool=" + config.name() + ", worker=" + id + ", task="
                        + RecordAccess.taskName(record) + ", cause=" + StackText.describe(cause),
                id,
                cause);
    }

    /**
     * The task is over on this thread: clears {@link #current}. A task that ended its own way ({@code finished}: the
     * worker won {@code finishRun}) was never stopped, so the supervisor, which abandons only inside a task stopped
     * with interrupt, cannot be abandoning this worker: a release store. Otherwise a CAS decides, against the
     * supervisor's {@link #abandonIn}, whether this worker goes on; if the supervisor abandoned it first, the worker
     * takes no other task and leaves its state to the supervisor's teardown.
     */
    private void leaveTask(TaskRecord record, boolean finished) {
        if (finished) {
            CURRENT.setRelease(this, null);
        } else if (!CURRENT.compareAndSet(this, record, null)) {
            abandonedHere = true;
        }
    }

    /** Worker thread: whether it lost {@link #leaveTask}'s CAS, so that it is abandoned and goes no further. */
    public boolean abandonedHere() {
        return abandonedHere;
    }

    /**
     * Supervisor thread: abandons this worker if it is still inside {@code record}. The CAS makes the supervisor and
     * the worker agree: either the worker left the task first and goes on, or it is abandoned and does not.
     *
     * @return {@code true} if abandoned
     */
    @Override
    public boolean abandonIn(TaskRecord record) {
        if (record == null || !CURRENT.compareAndSet(this, record, ABANDONED)) {
            return false;
        }
        abandoned = true;
        return true;
    }

    /**
     * Makes the running task visible to the supervisor. A task with a time limit is published with a volatile store
     * followed by the read of the supervisor's wake-up time (see the class comment), so that its limit is enforced on
     * time; other tasks with a release store: the watchdog's threshold is long, and the supervisor learns that this
     * worker is busy from its busy flag, written the same Dekker way but once per busy period, not per task.
     */
    private void publishCurrent(TaskRecord record, long start) {
        currentStart = start;
        long limit = supervisor.runLimitOf(record);
        if (limit > 0) {
            CURRENT.setVolatile(this, record); // then the volatile read of the wake-up time: pairs with the supervisor
            long blocked = config.blockedNanos();
            supervisor.noteDeadline(start + (blocked > 0 ? Math.min(limit, blocked) : limit));
        } else {
            CURRENT.setRelease(this, record);
        }
    }

    private void addBusy(long nanos) {
        BUSY_NANOS.setRelease(this, busyNanos + nanos);
    }

    /** Worker thread: counts an outcome this worker decided, before it is delivered. */
    public void countOutcome(boolean success) {
        if (success) {
            COMPLETED.setRelease(this, completed + 1);
        } else {
            FAILED.setRelease(this, failed + 1);
        }
    }

    @Override
    public long completedCount() {
        return completed;
    }

    @Override
    public long failedCount() {
        return failed;
    }

    private void executeAsync(TaskRecord record, Object input, long start) {
        latencies.recordWait(start - RecordAccess.submitNanos(record));
        CompletionStage<?> stage;
        try {
            @SuppressWarnings("unchecked")
            AsyncTask<Object, Object> task = (AsyncTask<Object, Object>) RecordAccess.task(record);
            stage = task.run(input);
            if (stage == null) {
                throw new NullPointerException(
                        "async task returned a null CompletionStage: task=" + RecordAccess.taskName(record));
            }
        } catch (Throwable t) {
            endSyncPart(start);
            boolean fatal = t instanceof VirtualMachineError;
            boolean won = RecordAccess.finishRun(record, TaskRecord.DONE);
            leaveTask(record, won);
            if (won) {
                RecordAccess.setFailure(record, fatal ? crashOf(record, t) : t);
                pool.onFinished(record, this, fatal ? TaskRecord.Outcome.CRASHED : TaskRecord.Outcome.FAILED);
            }
            Thread.interrupted();
            tasksRun++;
            if (fatal) {
                throw new WorkerDied((VirtualMachineError) t);
            }
            return;
        }
        tasksRun++;
        asyncCount.incrementAndGet();
        pendingAsync.put(record, start); // before the task leaves current: the supervisor always sees one of the two
        endSyncPart(start);
        boolean pending = RecordAccess.finishRun(record, TaskRecord.PENDING);
        leaveTask(record, pending);
        if (!pending) {
            asyncDone(record); // stopped while its synchronous part ran
            Thread.interrupted();
            return;
        }
        Thread.interrupted();
        stage.whenComplete((value, failure) -> onAsyncDone(record, value, failure, start));
    }

    private void endSyncPart(long start) {
        lastEnd = 0;
        addBusy(System.nanoTime() - start);
    }

    private void onAsyncDone(TaskRecord record, Object value, Throwable failure, long start) {
        try {
            Object output = null;
            Throwable fail = failure;
            if (fail == null) {
                try {
                    output = pool.prepareOutput(value);
                } catch (Throwable t) {
                    fail = t;
                }
            }
            pool.counters().recordAsyncRunTime(System.nanoTime() - start);
            if (RecordAccess.finishPending(record)) {
                RecordAccess.setPayload(record, output);
                RecordAccess.setFailure(record, fail);
                // any thread: counted by the pool
                pool.onFinished(record, null, fail == null ? TaskRecord.Outcome.COMPLETED : TaskRecord.Outcome.FAILED);
            }
        } finally {
            asyncDone(record);
        }
    }

    /** Any thread: an async task of this worker ended (its stage completed, or it was stopped); frees its slot. */
    public void asyncDone(TaskRecord record) {
        if (pendingAsync.remove(record) != null) {
            asyncCount.decrementAndGet();
            idler.wake(); // the worker may be waiting for a free async slot
        }
    }

    /** The worker is dying: its pending async tasks fail with the crash (its running task failed already). */
    private void failInFlight(Throwable crash) {
        for (TaskRecord r : pendingAsync.keySet()) {
            RecordAccess.stop(r, false, crashOf(r, crash), null, TaskRecord.Outcome.CRASHED);
        }
    }

    @Override
    public long busyNanos() {
        return busyNanos;
    }

    @Override
    public LatencyRecorder latencies() {
        return latencies;
    }

    @Override
    public boolean isCancelled() {
        TaskRecord r = current;
        return r != null && RecordAccess.isStopRequested(r);
    }

    @Override
    public void throwIfCancelled() {
        if (isCancelled()) {
            throw new CancellationException("task cancelled: worker=" + thread.getName());
        }
    }

    @Override
    public void onCancel(Runnable hook) {
        java.util.Objects.requireNonNull(hook, "hook");
        TaskRecord r = current;
        if (r == null || Thread.currentThread() != thread) {
            throw new IllegalStateException("onCancel called outside a running task: thread="
                    + Thread.currentThread().getName() + "; register hooks from inside the task");
        }
        RecordAccess.addHook(r, hook);
    }

    @Override
    public void post(Object value) {
        TaskRecord r = current;
        if (r == null || r == ABANDONED || Thread.currentThread() != thread) {
            throw new IllegalStateException("post called outside a running task: thread="
                    + Thread.currentThread().getName() + "; post progress from inside the task");
        }
        // Checked with or without a listener: a value that may not cross fails the same way wherever it is posted.
        RecordAccess.postProgress(r, config.trusted() ? value : Sendables.prepareAndCommit(value, "progress"));
    }

    @Override
    public <S> S state(Class<S> type) {
        if (!hasState) {
            throw new IllegalStateException("worker has no state: pool=" + config.name()
                    + "; set one with WorkerPool.builder().workerState(initializer)");
        }
        if (state != null && !type.isInstance(state)) {
            throw new ClassCastException(
                    "worker state is a " + state.getClass().getName() + ", not a " + type.getName());
        }
        return type.cast(state);
    }

    @Override
    public Object stateForTeardown() {
        return hasState ? state : null;
    }

    @Override
    public boolean hasState() {
        return hasState;
    }

    @Override
    public int workerId() {
        return id;
    }

    @Override
    public long startedNanos() {
        return startedNanos;
    }

    @Override
    public String threadName() {
        return thread.getName();
    }

    @Override
    public boolean isAlive() {
        return thread.isAlive();
    }

    @Override
    public void awaitGone(long nanos) {
        try {
            thread.join(java.time.Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public java.util.List<StackTraceElement> stack() {
        return java.util.List.of(thread.getStackTrace());
    }

    @Override
    public boolean hasReported() {
        return reported;
    }

    @Override
    public boolean isOnline() {
        return online;
    }

    @Override
    public TaskRecord current() {
        return current;
    }

    @Override
    public long currentStart() {
        return currentStart;
    }

    @Override
    public java.util.Map<TaskRecord, Long> pendingAsync() {
        return pendingAsync;
    }

    @Override
    public void leave() {
        abandoned = true;
        idler.detach();
    }

    @Override
    public boolean isAbandoned() {
        return abandoned;
    }

    @Override
    public void requestRetire() {
        retireRequested = true; // it ends after its current task
        idler.waker().wake();
    }

    @Override
    public String toString() {
        return "Worker[" + thread.getName() + "]";
    }

    /**
     * Ends a worker whose task raised a {@link VirtualMachineError}; the supervisor sees the error as the cause, and
     * the crash as the task's doing, not the worker's (see {@link dev.offload.RestartPolicy}).
     */
    public static final class WorkerDied extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WorkerDied(VirtualMachineError cause) {
            super(StackText.describe(cause), cause, false, false);
        }
    }
}

/** The fields of {@link ThreadWorker}, between its two paddings (see {@link L1Pad}). */
abstract class ThreadWorkerFields extends L1Pad {
    final WorkerHost pool;
    final PoolConfig config;
    final WorkerWatcher supervisor;
    final int id;
    final WorkerThread thread;
    final Idler idler;
    final AtomicInteger asyncCount = new AtomicInteger();
    final LatencyRecorder latencies = new LatencyRecorder();
    final long startedNanos;
    /** Async tasks whose stage is pending on this worker, with the time each started. */
    final ConcurrentHashMap<TaskRecord, Long> pendingAsync = new ConcurrentHashMap<>();

    final FreeWorkers freeWorkers; // maxQueue(0) only, else null
    final long taskLimit; // maxTasksPerWorker, or Long.MAX_VALUE for none
    boolean free = true; // maxQueue(0): counted free in freeWorkers (the supervisor counted it at its start)
    Object state;
    boolean hasState;
    Throwable initFailure; // what the initializer threw
    long lastEnd; // nanoTime at the end of the last task, if the worker has not idled since; else 0
    long tasksRun; // tasks this worker started that ended on it (their own way or stopped)
    volatile TaskRecord current; // the task running now; written as the class comment says
    volatile long currentStart; // written before current
    volatile boolean online; // the initializer returned; taking tasks
    volatile boolean retireRequested; // recycled: end after the current task
    volatile boolean abandoned; // left to a task that would not stop, or at a close deadline: take no more
    boolean abandonedHere; // worker thread: it lost the leaveTask CAS to abandonIn
    volatile boolean reported; // the worker told the supervisor it ended
    // Written by this worker only, with release stores; read by stats with volatile loads.
    volatile long busyNanos;
    volatile long completed; // outcomes this worker decided, before delivering them
    volatile long failed;
    volatile boolean busyFlag; // running a task (or a run of tasks back to back)

    ThreadWorkerFields(WorkerHost pool, WorkerWatcher supervisor, int id) {
        this.pool = pool;
        this.config = pool.config();
        this.supervisor = supervisor;
        this.id = id;
        ThreadWorker self = (ThreadWorker) this; // the only subclass
        this.thread = new WorkerThread(self, config.name() + "-worker-" + id);
        this.idler = new Idler(thread, self, config.spinNanos(), config.yieldNanos());
        this.startedNanos = System.nanoTime();
        this.freeWorkers = pool.freeWorkers();
        this.taskLimit = config.maxTasksPerWorker() > 0 ? config.maxTasksPerWorker() : Long.MAX_VALUE;
    }
}

/** The padding after the fields of {@link ThreadWorker}. */
abstract class ThreadWorkerL2Pad extends ThreadWorkerFields {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    ThreadWorkerL2Pad(WorkerHost pool, WorkerWatcher supervisor, int id) {
        super(pool, supervisor, id);
    }
}
