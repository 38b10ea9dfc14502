package dev.offload.internal.supervise;

import dev.offload.PoolEvent;
import dev.offload.PoolFailedException;
import dev.offload.PoolStats;
import dev.offload.TaskTimeoutException;
import dev.offload.WorkerCrashedException;
import dev.offload.internal.base.Durations;
import dev.offload.internal.base.LogWriter;
import dev.offload.internal.base.StackText;
import dev.offload.internal.control.PoolConfig;
import dev.offload.internal.control.PoolCounters;
import dev.offload.internal.control.PoolEvents;
import dev.offload.internal.dispatch.FreeWorkers;
import dev.offload.internal.dispatch.Staffing;
import dev.offload.internal.task.RecordAccess;
import dev.offload.internal.task.TaskRecord;
import dev.offload.internal.worker.WorkerHandle;
import dev.offload.internal.worker.WorkerHost;
import dev.offload.internal.worker.WorkerWatcher;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The lifecycle of a pool's workers, on one thread of its own: starting them (growth, replacement, recycle), crashes
 * and restarts with backoff, time limits and the blocked-task watchdog, abandonment of tasks that will not stop, the
 * pool state machine, and close. No submitting or worker thread ever starts a thread or waits for one.
 *
 * <p>Overview: the supervisor sleeps until its next deadline (a task's time limit or watchdog threshold, the end of a
 * grace period, a restart's backoff, a queue-wait limit, a close deadline, a worker's recycle age) or until woken by a
 * request (a worker ended or came online, growth, a task stopped with interrupt, recycle, reset, close). An idle pool's
 * supervisor parks with no deadline, so it costs no CPU. Each wake-up scans the live workers: a handful at most.
 *
 * <p>Memory ordering: before it parks, the supervisor publishes its wake-up time (volatile) and scans the workers'
 * running tasks again; a worker publishes its task (volatile) and then reads the wake-up time, and wakes the supervisor
 * if its task's deadline comes sooner (see {@code ThreadWorker}). Requests go through a concurrent queue, then an unpark.
 * Changes of the worker registry and reads of the statistics hold the {@link PoolCounters} lock, so that a worker that
 * ends is counted exactly once.
 *
 * <p>Map (one thread's decisions, which read one another's state, hence its length; its data are classes of their
 * own: {@link WorkerRegistry}, {@link RestartBackoff}, {@link QueueDeadlines}, {@link Watch}, and each per-worker
 * rule is a {@link WorkerRule} that both acts and says when it is due):
 * <ol>
 *   <li>requests from any thread: wake-ups, growth, workers online and ended, recycle, reset, close;
 *   <li>the supervisor's loop ({@code run}): requests, close, the worker rules, queue-wait limits, a failed pool or
 *       failing starts, staffing, recycling, the end of a close, then the sleep until the next deadline;
 *   <li>crashes and restarts ({@code onEnded}, {@code onCrash});
 *   <li>close ({@code handleClose}, {@code force}, {@code closedAt}, {@code finish}) and the queue drains of a close,
 *       a failed pool and starts that fail;
 *   <li>abandonment ({@code leave}, then {@code report}, which may be slow);
 *   <li>staffing and rolling recycle ({@code staff}, {@code startWorker}, {@code recycleStep});
 *   <li>the next deadline: the rules' {@code dueAt}, the queue-wait limits, the backoff, the close.
 * </ol>
 *
 * <p>Threading: the supervisor thread runs {@link #run()}; the other methods may be called from any thread.
 */
public final class WorkerSupervisor implements WorkerWatcher {
    private static final System.Logger LOG = System.getLogger("dev.offload.WorkerPool");
    /** How long the supervisor waits for the thread of a worker that reported its end to be gone. */
    private static final long WORKER_GONE_NANOS = 10_000_000L;
    /** How long a shutdown hook waits, after its close, for the log records still being written. */
    private static final long SHUTDOWN_LOG_NANOS = 1_000_000_000L;

    private static final int AWAKE = 0;
    private static final int TIMED = 1;
    private static final int FOREVER = 2;
    private static final long CLOSE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long ERROR_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final SupervisedPool pool;
    private final PoolConfig config;
    private final PoolEvents events;
    private final PoolCounters counters;
    private final WorkerRegistry registry;
    private final WorkerHandle.Factory workers;
    private final List<WorkerRule> rules;
    private final IdentityHashMap<WorkerHandle, Watch> watches =
            new IdentityHashMap<>(); // live workers' supervisor state
    private final Thread thread;
    private final Thread shutdownHook;
    private final ConcurrentLinkedQueue<Object> requests = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicBoolean growRequested = new AtomicBoolean();

    private volatile int sleepMode = AWAKE;
    private volatile boolean startFailing; // no live worker and the last start failed (see failQueuedIfNoWorkerStarts)
    private volatile boolean woken;
    private volatile long nextWake;
    private volatile long forceAt = Long.MAX_VALUE; // guarded by this for writes
    private volatile long closeDeadline = Long.MAX_VALUE; // guarded by this for writes

    // Supervisor thread only (and the constructor, before the thread starts):
    private int nextId;
    private int restartsOwed;
    private boolean forcedDone;
    private boolean drainFailed; // closing, and the workers crashed past the restart limit: start no more
    private final QueueDeadlines queueDeadlines = new QueueDeadlines();
    private final RestartBackoff backoff;
    private final LinkedHashSet<WorkerHandle> toRecycle = new LinkedHashSet<>();
    private WorkerHandle recycling;
    private WorkerHandle replacement;
    private Throwable startFailure; // why the last start failed, until a worker comes online
    private int startFailedWorker;

    public WorkerSupervisor(SupervisedPool pool, WorkerHandle.Factory workers) {
        this.workers = workers;
        this.pool = pool;
        this.config = pool.config();
        this.events = pool.events();
        this.counters = pool.counters();
        this.registry = new WorkerRegistry(pool);
        this.rules = WorkerRule.of(config, events, new RuleActions());
        this.backoff = new RestartBackoff(config.restartPolicy());
        this.thread = new Thread(this::run, config.name() + "-supervisor");
        thread.setDaemon(config.daemon());
        if (config.shutdownHookNanos() >= 0) {
            shutdownHook = new Thread(
                    () -> {
                        close(false, config.shutdownHookNanos(), false, true);
                        LogWriter.flush(SHUTDOWN_LOG_NANOS); // the close's records, before the JVM ends
                    },
                    config.name() + "-shutdown-hook");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
    }

    /** Starts {@code minWorkers} workers on the calling thread, then the supervisor thread. */
    public void start() {
        for (int i = 0; i < config.minWorkers(); i++) {
            if (pool.staffing().tryGrow()) {
                startWorker(false);
            }
        }
        thread.start();
    }

    public CompletableFuture<Void> termination() {
        return termination;
    }

    public boolean onSupervisorThread() {
        return Thread.currentThread() == thread;
    }

    // ---- requests from any thread ----

    public void wake() {
        woken = true;
        LockSupport.unpark(thread);
    }

    /** Whether {@link #wake()} was called since the last check (for stress tests that step the supervisor). */
    public boolean takeWoken() {
        boolean w = woken;
        woken = false;
        return w;
    }

    /** A submitter found every worker busy and room to grow. */
    public void requestGrowth() {
        // A pool whose workers cannot start fails what is queued: wake the supervisor for every such task.
        if (growRequested.compareAndSet(false, true) || startFailing) {
            wake();
        }
    }

    /** Whether a growth request is pending (for stress tests that step the supervisor). */
    public boolean growthRequested() {
        return growRequested.get();
    }

    /** Worker thread, after setting its busy flag: wakes a supervisor asleep with no deadline (for the watchdog). */
    @Override
    public void noteBusy() {
        if (sleepMode == FOREVER) { // volatile read after the worker's volatile write of its busy flag
            wake();
        }
    }

    /** Worker thread, after publishing its task: wakes the supervisor if {@code deadline} comes before its wake-up. */
    @Override
    public void noteDeadline(long deadline) {
        int mode = sleepMode; // volatile read after the worker's volatile write of its task
        if (mode == FOREVER || (mode == TIMED && deadline - nextWake < 0)) {
            wake();
        }
    }

    public void watchQueued(TaskRecord record, long deadline, long limit) {
        requests.add(new QueueDeadlines.Watch(record, deadline, limit));
        noteDeadline(deadline);
    }

    @Override
    public void workerOnline(WorkerHandle worker) {
        requests.add(new Online(worker));
        wake();
    }

    @Override
    public void workerEnded(WorkerHandle worker, Throwable crash, boolean taskCaused, String reason) {
        requests.add(new Ended(worker, crash, taskCaused, reason));
        wake();
    }

    public void recycleAll() {
        requests.add(Request.RECYCLE_ALL);
        wake();
    }

    /**
     * Puts a FAILED pool back to RUNNING on the supervisor thread, between two of its drains of the failed pool's
     * queue, and waits for it; the supervisor never blocks, so the wait is short.
     */
    public void reset() {
        if (pool.state() != WorkerHost.FAILED) {
            return;
        }
        if (Thread.currentThread() == thread) { // a listener reacting to FAILED: already between two drains
            resetNow();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        requests.add(new Reset(done));
        wake();
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resetting pool: pool=" + config.name(), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("pool supervisor did not reset the pool: pool=" + config.name(), e);
        }
    }

    private void resetNow() {
        if (pool.reset()) {
            backoff.reset();
            startFailure = null;
        }
    }

    @Override
    public long runLimitOf(TaskRecord record) {
        Duration d = RecordAccess.options(record).timeout();
        return d != null ? Durations.toNanos(d) : config.taskTimeoutNanos();
    }

    public int busyWorkers() {
        return registry.busy();
    }

    /**
     * Begins a close and, with {@code wait}, waits for it: graceful with no limit ({@code timeoutNanos < 0}), graceful
     * until a deadline whose last part is forced, or forced at once; with {@code dropQueued}, what is queued is
     * cancelled and what runs finishes.
     */
    public void close(boolean force, long timeoutNanos, boolean dropQueued, boolean wait) {
        long now = System.nanoTime(); // the deadline counts from the call, not from after the listener and the log
        pool.beginDrain();
        if (dropQueued) {
            pool.setDropQueued(); // workers take no more; this thread cancels what is queued (handleClose)
        }
        synchronized (this) {
            long grace = config.cancelGraceNanos();
            if (force) {
                forceAt = Math.min(forceAt, now);
                closeDeadline = Math.min(closeDeadline, now + grace);
            } else if (timeoutNanos >= 0) {
                long deadline = now + Math.min(timeoutNanos, Long.MAX_VALUE / 4);
                long forcedPart = Math.min(grace, timeoutNanos / 2);
                closeDeadline = Math.min(closeDeadline, deadline);
                forceAt = Math.min(forceAt, deadline - forcedPart);
            }
        }
        pool.wakeAll();
        wake();
        if (wait && Thread.currentThread() != thread) { // a listener on the supervisor thread: waiting would deadlock
            awaitClosed();
        }
    }

    private void awaitClosed() {
        try {
            long deadline = closeDeadline;
            if (deadline == Long.MAX_VALUE) {
                terminated.await();
                return;
            }
            long wait = deadline - System.nanoTime() + CLOSE_MARGIN_NANOS;
            if (!terminated.await(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
                String name = config.name(); // logged elsewhere: a slow logger must not hold this return up too
                LogWriter.log(
                        LOG,
                        System.Logger.Level.WARNING,
                        () -> "pool did not finish closing by its deadline: pool=" + name
                                + "; its supervisor is behind, the close goes on in the background",
                        null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing pool: pool=" + config.name(), e);
        }
    }

    // ---- the supervisor thread ----

    private void run() {
        while (true) {
            sleepMode = AWAKE;
            try {
                long now = System.nanoTime();
                handleRequests(now);
                handleClose(now);
                watchWorkers(now);
                expireQueued(now);
                failQueuedIfFailed();
                failQueuedIfNoWorkerStarts(now);
                staff(now);
                recycleStep();
                List<Abandonment> leftAtDeadline = closedAt(now);
                if (leftAtDeadline != null) {
                    finish(leftAtDeadline);
                    return;
                }
                long next = nextDeadline(now);
                nextWake = next;
                sleepMode = next == Long.MAX_VALUE ? FOREVER : TIMED; // volatile, then the re-scan: pairs with workers
                boolean growNow = growRequested.get() && !backoff.holds(System.nanoTime());
                boolean owedFailures = startFailing && !pool.queueIsEmpty();
                if (!requests.isEmpty() || growNow || owedFailures || earlier(nextDeadline(now), next) != next) {
                    continue;
                }
                if (next == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, next - System.nanoTime());
                }
            } catch (Throwable t) {
                LogWriter.log(
                        LOG,
                        System.Logger.Level.ERROR,
                        () -> "pool supervisor failed; carrying on: pool=" + config.name(),
                        t);
                LockSupport.parkNanos(this, ERROR_PAUSE_NANOS);
            }
        }
    }

    private void handleRequests(long now) {
        Object request;
        while ((request = requests.poll()) != null) {
            switch (request) {
                case Ended e -> onEnded(e, now);
                case Online o -> onOnline(o.worker);
                case QueueDeadlines.Watch q -> queueDeadlines.add(q);
                case Request r -> toRecycle.addAll(Arrays.asList(registry.live())); // RECYCLE_ALL
                case Reset r -> {
                    resetNow();
                    r.done.complete(null);
                }
                default -> throw new IllegalStateException("unknown supervisor request: " + request);
            }
        }
    }

    private void onOnline(WorkerHandle worker) {
        startFailure = null; // a worker can start: tasks wait for workers again
        if (worker == replacement) {
            replacement = null;
            WorkerHandle old = recycling;
            if (old != null) {
                old.requestRetire(); // it ends after its current task; its replacement is already taking tasks
            }
        }
    }

    private void onEnded(Ended e, long now) {
        WorkerHandle w = e.worker;
        if (registry.isDeparted(w)) {
            registry.departedEnded(w);
            events.emit(new PoolEvent.WorkerExited(config.name(), w.workerId(), "abandoned thread ended"));
            return;
        }
        if (!registry.isLive(w)) {
            return;
        }
        registry.ended(w);
        w.awaitGone(WORKER_GONE_NANOS); // its thread returns from its last statement: a close then leaves none alive
        watches.remove(w);
        if (!IDLE.equals(e.reason)) {
            pool.staffing().release(); // a worker retiring when idle gave its place up already (Staffing.tryRetire)
        }
        toRecycle.remove(w);
        if (w == recycling) {
            recycling = null;
        }
        if (w == replacement) {
            replacement = null;
            recycling = null; // the old worker stays; recycling it is given up
        }
        if (e.crash != null) {
            onCrash(w, e.crash, e.taskCaused, now);
        } else {
            events.emit(new PoolEvent.WorkerExited(config.name(), w.workerId(), e.reason));
        }
    }

    /**
     * A worker died. A crash a task caused (a {@link VirtualMachineError} thrown by a task, on a worker that had
     * started) is replaced at once and counts nothing towards {@code maxRestarts}; any other crash is a worker that
     * cannot live (its start failed, it died outside a task), PM2's path: backoff, then FAILED past the limit. See
     * {@link dev.offload.RestartPolicy}.
     */
    private void onCrash(WorkerHandle w, Throwable crash, boolean taskCaused, long now) {
        counters.workerCrashes.getAndIncrement();
        long uptime = now - w.startedNanos();
        events.emit(new PoolEvent.WorkerCrashed(config.name(), w.workerId(), crash, Duration.ofNanos(uptime)));
        if (!w.isOnline()) { // its initializer threw, or its thread could not start: no worker came of this start
            startFailure = crash;
            startFailedWorker = w.workerId();
        }
        RestartBackoff.Verdict verdict = taskCaused
                ? backoff.onTaskCrash(now)
                : backoff.onCrash(uptime, now); // the backoff holds while closing too
        if (verdict.overLimit()) {
            if (pool.fail(crash)) {
                restartsOwed = 0;
                failQueuedIfFailed();
            } else if (pool.state() == WorkerHost.DRAINING && !drainFailed) {
                // Closing with workers that keep crashing: no more restarts; what is queued fails as in FAILED.
                drainFailed = true;
                restartsOwed = 0;
                failQueued(true);
            }
            return;
        }
        if (pool.state() != WorkerHost.RUNNING) {
            return; // closing: a replacement is started only to finish queued tasks (see staff)
        }
        restartsOwed++;
        events.emit(new PoolEvent.WorkerRestartScheduled(config.name(), verdict.unstable(), verdict.delay()));
    }

    private void handleClose(long now) {
        if (pool.state() != WorkerHost.DRAINING && pool.state() != WorkerHost.CLOSED) {
            return;
        }
        if (!forcedDone && now - forceAt >= 0) {
            forcedDone = true;
            force();
        }
        if (forcedDone || pool.dropsQueued()) {
            failQueued(false); // and tasks an event loop hands over after such a close began
        }
    }

    /** Forced close: queued tasks are cancelled, running and pending ones stopped with interrupt. */
    private void force() {
        pool.setForced();
        pool.wakeAll();
        failQueued(false);
        for (WorkerHandle w : registry.live()) {
            TaskRecord r = w.current();
            if (r != null) {
                RecordAccess.stop(
                        r,
                        true,
                        null,
                        new CancellationException("pool closed forcibly while the task was running: pool="
                                + config.name() + ", task=" + RecordAccess.taskName(r)),
                        TaskRecord.Outcome.CANCELLED);
            }
            for (TaskRecord p : w.pendingAsync().keySet()) {
                RecordAccess.stop(
                        p,
                        false,
                        null,
                        new CancellationException("pool closed forcibly while the async task was pending: pool="
                                + config.name() + ", task=" + RecordAccess.taskName(p)),
                        TaskRecord.Outcome.CANCELLED);
            }
        }
    }

    /**
     * A pool with no live worker whose last start failed, and whose backoff holds the next start, owes nothing that
     * can run now: what is queued fails at once with that start's failure as its cause (Piscina rejects such a task
     * with its worker's start error), instead of waiting for the backoff. Once the backoff ends, tasks wait for the
     * next start again.
     */
    private void failQueuedIfNoWorkerStarts(long now) {
        Throwable cause = startFailure;
        boolean noWorker = cause != null && registry.live().length == 0 && backoff.holds(now);
        startFailing = noWorker; // submitters wake this thread while it is so
        if (!noWorker || pool.state() == WorkerHost.FAILED || pool.isForced()) {
            return;
        }
        VarHandle.fullFence(); // the flag is visible before the drain reads the queue: pairs with requestGrowth
        TaskRecord r;
        while ((r = pool.poll()) != null) {
            WorkerCrashedException failure = new WorkerCrashedException(
                    "no worker could start to run the task: pool=" + config.name() + ", worker=" + startFailedWorker
                            + " failed to start, cause=" + StackText.describe(cause)
                            + "; the pool goes on starting workers, paced by"
                            + " its restart policy",
                    startFailedWorker,
                    cause);
            if (RecordAccess.decideQueued(r, failure, false)) {
                pool.onQueuedDecided(r, TaskRecord.Outcome.FAILED);
            }
        }
    }

    public void failQueuedIfFailed() {
        if (pool.state() == WorkerHost.FAILED) {
            failQueued(true);
        }
    }

    private void failQueued(boolean poolFailed) {
        VarHandle.fullFence(); // the state change is visible before the drain reads the queue: pairs with afterOffer
        TaskRecord r;
        while ((r = pool.poll()) != null) {
            if (poolFailed) {
                Throwable crash = pool.lastCrash();
                if (RecordAccess.decideQueued(
                        r,
                        new PoolFailedException(
                                "pool failed before the task started: pool=" + config.name() + ", lastCrash="
                                        + StackText.describe(crash),
                                crash),
                        false)) {
                    pool.onQueuedDecided(r, TaskRecord.Outcome.FAILED);
                }
            } else if (RecordAccess.decideQueued(
                    r,
                    new CancellationException(
                            pool.isForced() || !pool.dropsQueued()
                                    ? "pool closed forcibly before the task started: pool=" + config.name()
                                    : "pool closed before the task started: pool=" + config.name()
                                            + "; closeAfterRunning() finishes running tasks and drops queued ones"),
                    true)) {
                pool.onQueuedDecided(r, TaskRecord.Outcome.CANCELLED);
            }
        }
    }

    /** Applies the {@link WorkerRule}s to every live worker. */
    private void watchWorkers(long now) {
        for (WorkerHandle w : registry.live()) {
            watchWorker(w, now);
        }
    }

    /** One worker: applies each rule that is due, in order (a stress test calls it for a worker it runs itself). */
    public void watchWorker(WorkerHandle worker, long now) {
        Watch w = watchOf(worker).read();
        try {
            for (WorkerRule rule : rules) {
                if (rule.dueAt(w, now) - now <= 0 && rule.act(w, now)) {
                    return;
                }
            }
        } finally {
            w.endPass();
        }
    }

    private Watch watchOf(WorkerHandle worker) {
        return watches.computeIfAbsent(worker, Watch::new);
    }

    /** Whether a recycle of {@code w} could be queued now: the pool runs and {@code w} is not being recycled. */
    private boolean recycleCandidate(WorkerHandle w) {
        return pool.state() == WorkerHost.RUNNING && w != recycling && w != replacement && !toRecycle.contains(w);
    }

    private void timeOut(TaskRecord r, long limit, long elapsed, boolean interrupt) {
        TaskTimeoutException timeout = new TaskTimeoutException(
                RecordAccess.taskName(r),
                TaskTimeoutException.Phase.RUNNING,
                Duration.ofNanos(limit),
                Duration.ofNanos(elapsed));
        if (RecordAccess.stop(r, interrupt, timeout, null, TaskRecord.Outcome.TIMED_OUT)) {
            events.emit(new PoolEvent.TaskTimedOut(
                    config.name(), RecordAccess.taskName(r), timeout.phase(), timeout.limit(), timeout.elapsed()));
        }
    }

    /**
     * The worker will never get another task; its thread is left to what it runs. Inside a task, only if the worker is
     * still in it ({@link WorkerHandle#abandonIn}: the worker may have left it just now); then the supervisor owns the
     * worker's state and tears it down on another thread. An idle worker (a close deadline) tears its state down itself
     * when it ends.
     */
    private void abandon(WorkerHandle w, TaskRecord r) {
        Abandonment a = leave(w, r);
        if (a != null) {
            report(a);
        }
    }

    /**
     * The fast half of {@link #abandon}: the worker leaves the pool (no stack capture, no event); returns what
     * {@link #report} must tell, or {@code null} if the worker left the task first and goes on.
     */
    private Abandonment leave(WorkerHandle w, TaskRecord r) {
        if (r != null && !w.abandonIn(r)) {
            return null; // it left the task first and goes on
        }
        w.leave(); // takes nothing more; its idling counts no more
        registry.abandoned(w);
        watches.remove(w);
        pool.staffing().release();
        counters.workersAbandoned.getAndIncrement();
        toRecycle.remove(w);
        if (w == recycling) {
            recycling = null;
        }
        if (w == replacement) {
            replacement = null;
            recycling = null;
        }
        return new Abandonment(w, r);
    }

    /** The slow half of {@link #abandon}: the stack of the thread left behind, the event, the state's teardown. */
    private void report(Abandonment a) {
        WorkerHandle w = a.worker;
        TaskRecord r = a.task;
        List<StackTraceElement> stack = w.stack();
        events.emit(new PoolEvent.WorkerAbandoned(
                config.name(), w.workerId(), r == null ? "none (idle)" : RecordAccess.taskName(r), stack));
        if (r != null && config.teardown() != null && w.isOnline() && w.hasState()) { // online: publishes the state
            Object state = w.stateForTeardown();
            Thread.ofVirtual().name(config.name() + "-teardown-" + w.workerId()).start(() -> {
                try {
                    config.teardown().accept(state);
                } catch (Throwable t) {
                    LogWriter.log(
                            LOG, System.Logger.Level.WARNING, () -> "worker state teardown failed: worker=" + w, t);
                }
            });
        }
    }

    private void expireQueued(long now) {
        QueueDeadlines.Watch q;
        while ((q = queueDeadlines.pollDue(now)) != null) {
            TaskRecord r = q.record();
            long elapsed = now - (q.deadline() - q.limit());
            TaskTimeoutException timeout = new TaskTimeoutException(
                    RecordAccess.taskName(r),
                    TaskTimeoutException.Phase.QUEUED,
                    Duration.ofNanos(q.limit()),
                    Duration.ofNanos(elapsed));
            if (RecordAccess.decideQueued(r, timeout, false)) {
                pool.onQueuedDecided(r, TaskRecord.Outcome.TIMED_OUT);
                events.emit(new PoolEvent.TaskTimedOut(
                        config.name(), RecordAccess.taskName(r), timeout.phase(), timeout.limit(), timeout.elapsed()));
            }
        }
    }

    /** Keeps the pool at {@code minWorkers}, grows it on request, and finishes queued work during a graceful close. */
    private void staff(long now) {
        int s = pool.state();
        boolean grow = growRequested.getAndSet(false);
        if (s == WorkerHost.FAILED || s == WorkerHost.CLOSED || pool.dropsQueued() || drainFailed) {
            return;
        }
        if (backoff.holds(now)) {
            if (grow) {
                growRequested.set(true); // keep the request for when the backoff ends
            }
            return;
        }
        Staffing staffing = pool.staffing();
        int live = staffing.live();
        int want = s == WorkerHost.RUNNING ? Math.max(0, config.minWorkers() - live) : 0;
        int queued = pool.gauge().queued();
        int idle = live - busyWorkers();
        if (queued > idle && live < config.maxWorkers()) {
            want = Math.max(want, Math.min(config.maxWorkers() - live, queued - Math.max(0, idle)));
        }
        if (s == WorkerHost.DRAINING && live == 0 && queued > 0) {
            want = Math.max(want, 1); // a task accepted while the workers were leaving
        }
        FreeWorkers free = pool.freeWorkers();
        if (grow && free != null && free.noneFree() && live < config.maxWorkers()) {
            want = Math.max(want, 1); // no queue: a submit was refused for want of a free worker
        }
        for (int i = 0; i < want && staffing.tryGrow(); i++) {
            boolean restart = restartsOwed > 0;
            if (restart) {
                restartsOwed--;
            }
            if (startWorker(restart) == null) {
                return;
            }
        }
        if (want == 0 && live >= config.minWorkers()) {
            restartsOwed = 0; // the pool is at size: nothing left to restart
        }
    }

    /** Registers a worker whose thread never starts, for stress tests whose actors run its steps. */
    public WorkerHandle registerUnstarted() {
        WorkerHandle w = workers.create(pool, this, nextId++);
        registry.add(w);
        return w;
    }

    /** Starts a worker in a place already reserved; returns null (place given back, counted a crash) if it fails. */
    private WorkerHandle startWorker(boolean restart) {
        WorkerHandle w = workers.create(pool, this, nextId++);
        registry.add(w);
        FreeWorkers free = pool.freeWorkers();
        if (free != null && free.free()) { // free from now: a submit may count on it before its thread runs
            pool.onWorkerFreed();
        }
        try {
            w.start();
            watchOf(w).startedThread = true;
            events.emit(new PoolEvent.WorkerStarted(config.name(), w.workerId(), w.threadName()));
        } catch (Throwable t) { // such as OutOfMemoryError: unable to create native thread
            if (free != null) {
                free.withdraw();
            }
            registry.ended(w);
            watches.remove(w);
            pool.staffing().release();
            onCrash(w, t, false, System.nanoTime());
            return null;
        }
        if (restart) {
            counters.workerRestarts.getAndIncrement();
        }
        return w;
    }

    /** Rolling recycle: one worker at a time gets a replacement first, then retires after its current task. */
    private void recycleStep() {
        if (recycling != null || toRecycle.isEmpty() || pool.state() != WorkerHost.RUNNING) {
            return;
        }
        WorkerHandle old = toRecycle.removeFirst();
        if (!registry.isLive(old) || old.isAbandoned()) {
            return;
        }
        recycling = old;
        pool.staffing().growForReplacement();
        replacement = startWorker(false);
        if (replacement == null) {
            recycling = null;
        }
    }

    /**
     * Whether the close is done: {@code null} if not; else the workers left to themselves at the close deadline, to be
     * reported once the pool is closed.
     */
    private List<Abandonment> closedAt(long now) {
        int s = pool.state();
        if (s != WorkerHost.DRAINING) {
            return null;
        }
        if (now - closeDeadline >= 0) {
            List<Abandonment> left = new ArrayList<>();
            for (WorkerHandle w : registry.live()) { // the deadline passed: what has not ended is left to itself
                Abandonment a = leave(w, w.current());
                if (a != null) {
                    left.add(a);
                }
            }
            return left;
        }
        return registry.live().length == 0 && pool.gauge().queued() == 0 ? List.of() : null;
    }

    /**
     * The pool is closed, and then the closers are released: nothing slow (a stack capture, the user's listener, a
     * log line, whose first record in a JVM can take a second) comes between the close deadline and the return of
     * {@code close}. The workers abandoned at the deadline and the state change are reported after.
     */
    private void finish(List<Abandonment> leftAtDeadline) {
        int before = pool.markClosed(); // then the last drain: a submit that offers after this sees CLOSED, drains
        failQueued(false);
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs or ran already
            }
        }
        terminated.countDown();
        for (Abandonment a : leftAtDeadline) {
            report(a);
        }
        pool.reportClosed(before);
        termination.complete(null);
    }

    /** The earliest moment the supervisor must act without being woken. */
    private long nextDeadline(long now) {
        long next = Long.MAX_VALUE;
        for (WorkerHandle worker : registry.live()) {
            Watch w = watchOf(worker).read();
            for (WorkerRule rule : rules) {
                next = earlier(next, rule.dueAt(w, now));
            }
            w.endPass();
        }
        next = earlier(next, queueDeadlines.next());
        if (backoff.holds(now)) {
            next = earlier(next, backoff.endsAt()); // a start the backoff holds (a restart, growth, a draining pool's)
        }
        if (pool.state() == WorkerHost.DRAINING) {
            next = earlier(next, forcedDone ? closeDeadline : forceAt);
            if (forcedDone && pool.gauge().queued() > 0) {
                next = earlier(next, now + TimeUnit.MILLISECONDS.toNanos(1)); // tasks still being handed over
            }
        }
        return next;
    }

    private static long earlier(long a, long b) {
        if (a == Long.MAX_VALUE) {
            return b;
        }
        if (b == Long.MAX_VALUE) {
            return a;
        }
        return a - b <= 0 ? a : b;
    }

    public PoolStats stats(long createdNanos) {
        return registry.stats(createdNanos);
    }

    /** What the rules do, on the supervisor's own state. */
    private final class RuleActions implements WorkerRule.Actions {
        @Override
        public void timeOut(TaskRecord r, long limit, long elapsed, boolean interrupt) {
            WorkerSupervisor.this.timeOut(r, limit, elapsed, interrupt);
        }

        @Override
        public void abandon(Watch w, TaskRecord r) {
            WorkerSupervisor.this.abandon(w.worker, r);
        }

        @Override
        public boolean recycleCandidate(WorkerHandle w) {
            return WorkerSupervisor.this.recycleCandidate(w);
        }

        @Override
        public void recycle(WorkerHandle w) {
            toRecycle.add(w);
        }

        @Override
        public void diedSilently(WorkerHandle w) {
            requests.add(new Ended(w, new IllegalStateException("worker thread ended unexpectedly"), false, "crash"));
        }

        @Override
        public long runLimitOf(TaskRecord r) {
            return WorkerSupervisor.this.runLimitOf(r);
        }
    }

    private enum Request {
        RECYCLE_ALL
    }

    private record Reset(CompletableFuture<Void> done) {}

    private record Ended(WorkerHandle worker, Throwable crash, boolean taskCaused, String reason) {}

    private record Online(WorkerHandle worker) {}

    /** A worker that left the pool inside {@code task} (null: idle), to be reported. */
    private record Abandonment(WorkerHandle worker, TaskRecord task) {}
}
