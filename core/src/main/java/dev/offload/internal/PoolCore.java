package dev.offload.internal;

import dev.offload.LatencySummary;
import dev.offload.PoolStats;
import dev.offload.TaskQueue;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The machinery of a worker pool: queue, bound, workers, counters and the close protocol.
 *
 * <p>Overview: submitters reserve a slot in the {@link QueueGauge}, offer the record to the {@link TaskQueue}, then
 * wake a parked worker, or start one if every live worker is busy and {@code maxWorkers} allows. Workers poll the one
 * shared queue, so no task waits behind a long one while another worker is idle (no head-of-line blocking).
 *
 * <p>Accounting: {@code submitted} counts at submit: it is the number of queue slots ever reserved plus the submits
 * refused because the queue was full, so counting costs the submitter no extra write. The thread that decides a
 * task's end state (worker, canceller, rejecter) counts it once and delivers the record to the owner once, before the
 * future completes, so a reader that saw the future complete also sees the count. A worker counts what it decides
 * in its own counters, which {@link #stats()} adds up.
 *
 * <p>Close: {@code RUNNING -> CLOSING} stops intake; workers end when no slot is reserved and no async task is
 * pending. A submitter reserves its slot (volatile RMW) before it reads the state, and a worker reads the state before
 * it reads the slot count, so either the submitter sees CLOSING and gives the slot back, or the worker sees the slot
 * and waits for the task. {@code FORCED} additionally rejects what is queued and interrupts the workers.
 *
 * <p>Any thread unless a method says otherwise.
 */
public final class PoolCore extends PadHead {
    private static final System.Logger LOG = System.getLogger("dev.offload.WorkerPool");
    private static final int RUNNING = 0;
    private static final int CLOSING = 1;
    private static final int FORCED = 2;

    private final PoolConfig config;
    private final TaskQueue queue;
    private final QueueGauge gauge;
    private final PaddedCounter refusedFull = new PaddedCounter(); // submitted = slots ever reserved + these
    private final PaddedCounter completed = new PaddedCounter();
    private final PaddedCounter failed = new PaddedCounter();
    private final PaddedCounter cancelled = new PaddedCounter();
    private final PaddedCounter rejected = new PaddedCounter();
    private final Staffing staffing;
    private final Recorder asyncRunTimes = new Recorder(2);
    private final Histogram runTotal = new Histogram(2);
    private final Histogram waitTotal = new Histogram(2);
    private final Object lock = new Object();
    private final long createdNanos = System.nanoTime();

    private volatile Worker[] workers = new Worker[0];
    private volatile Waker[] wakers = new Waker[0]; // the workers' wakers: signalWork reads no worker's own lines
    private volatile int state = RUNNING;
    private volatile Runnable drainListener;
    private int nextWorkerId; // guarded by lock
    private long exitedBusyNanos; // guarded by lock
    private long exitedCompleted; // guarded by lock
    private long exitedFailed; // guarded by lock

    // Trailing padding: HotSpot lays out reference fields after primitive ones, in declaration order, so these null
    // references come last (see PadHead).
    @SuppressWarnings("unused")
    private Object t00, t01, t02, t03, t04, t05, t06, t07;
    @SuppressWarnings("unused")
    private Object t08, t09, t10, t11, t12, t13, t14, t15;
    @SuppressWarnings("unused")
    private Object t16, t17, t18, t19, t20, t21, t22, t23;
    @SuppressWarnings("unused")
    private Object t24, t25, t26, t27, t28, t29, t30, t31;
    /**
     * Creates the pool machinery and starts {@code minWorkers} workers.
     *
     * @param config the validated configuration
     */
    public PoolCore(PoolConfig config) {
        this.config = config;
        this.queue = config.queueFactory().apply(config.maxQueue());
        this.gauge = new QueueGauge(config.maxQueue());
        this.staffing = new Staffing(config.minWorkers(), config.maxWorkers());
        for (int i = 0; i < config.minWorkers(); i++) {
            if (staffing.tryGrow()) {
                startWorker();
            }
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

    /**
     * Makes the record, and future, of a task about to be submitted.
     *
     * @param task the task object, a {@code Task} or an {@code AsyncTask}
     * @param input the input, prepared by {@link #admit}
     * @param owner where the future completes
     * @param priority the priority
     * @return the record, which is also the future {@code submit} returns
     */
    public TaskRecord newRecord(Object task, Object input, CompletionOwner owner, int priority) {
        Throwable site = config.captureSubmitSite() ? new SubmitSite(config.name()) : null;
        return new TaskRecord(this, task, input, owner, priority, site);
    }

    /**
     * Checks the input, counts and queues a record. Submitting thread.
     *
     * @param record the record from {@link #newRecord}
     * @throws RejectedExecutionException if the pool is closed or the queue is full; counted as rejected
     * @throws dev.offload.NotSendableException if the input may not cross threads; not counted
     */
    public void submit(TaskRecord record) {
        admit(record);
        record.submitNanos = System.nanoTime();
        if (!queue.offer(record)) {
            releaseSlot();
            rejected.getAndIncrement();
            throw queueRefused();
        }
        signalWork();
    }

    /**
     * The first half of {@link #submit}: checks the input, reserves a queue slot and counts the task, but does not
     * queue it yet; {@link #publish} does. An event loop admits the tasks its callbacks submit at once (so a full
     * queue still fails the submit) and publishes them when the callback returns, so that a worker never takes a
     * task while the callback that submitted it still attaches to its future. The reserved slot keeps a closing
     * pool waiting for the task. Submitting thread.
     *
     * @param record the record from {@link #newRecord}
     * @throws RejectedExecutionException if the pool is closed or the queue is full; counted as rejected
     * @throws dev.offload.NotSendableException if the input may not cross threads; not counted
     */
    public void admit(TaskRecord record) {
        if (!config.trusted()) { // before the slot: a task refused as not sendable is not submitted at all
            record.payload = Sendables.prepare(record.payload, "input");
        }
        int slot = gauge.tryAcquire(); // the slot counts the task as submitted
        if ((slot & QueueGauge.FIRE) != 0) {
            fireDrain();
        }
        if ((slot & QueueGauge.ACQUIRED) == 0) {
            refusedFull.getAndIncrement();
            rejected.getAndIncrement();
            throw new RejectedExecutionException("queue full: maxQueue=" + config.maxQueue() + ", pool=" + config.name()
                    + "; wait for onDrain, check needsDrain() before submitting, or raise maxQueue");
        }
        if (state != RUNNING) { // read after the slot's volatile RMW: pairs with the workers' exit check
            releaseSlot();
            wakeAll();
            rejected.getAndIncrement();
            throw new RejectedExecutionException("pool closed: pool=" + config.name());
        }
    }

    /**
     * The second half of {@link #submit}, for a batch: queues admitted records (one claim on a FIFO queue's index for
     * the whole batch) and wakes or starts workers for them. A record cancelled since it was admitted is skipped (its
     * canceller released its slot). If the queue refuses a record (only a queue holding cancelled tasks that it has
     * not dropped yet can), the task is rejected and its future fails with {@link RejectedExecutionException}, counted
     * as rejected. Clears the batch's entries. Submitting thread.
     *
     * @param records holds the batch, all passed to {@link #admit} of this pool
     * @param from the first index of the batch
     * @param to one past the last index
     * @param cursor a cursor owned by the calling thread
     */
    public void publish(TaskRecord[] records, int from, int to, BatchCursor cursor) {
        int end = from; // live records are moved to [from, end); cancelled ones are dropped
        for (int i = from; i < to; i++) {
            if (records[i].isQueued()) {
                records[end++] = records[i];
            }
        }
        int queued = end == from ? 0 : offerAll(records, from, end - from, cursor);
        for (int i = from + queued; i < end; i++) {
            TaskRecord r = records[i];
            if (r.tryReject(queueRefused())) {
                releaseSlot();
                rejected.getAndIncrement();
                deliver(r);
            }
        }
        Arrays.fill(records, from, to, null);
        if (queued > 0) {
            signalWork(queued);
        }
    }

    /** Offers {@code count} records from {@code from} in order; returns how many the queue took (the first ones). */
    private int offerAll(TaskRecord[] records, int from, int count, BatchCursor cursor) {
        if (queue instanceof FifoTaskQueue fifo) {
            cursor.reset(records, from);
            int queued = fifo.offerAll(cursor, count);
            cursor.clear();
            return queued;
        }
        int queued = 0;
        while (queued < count && queue.offer(records[from + queued])) {
            queued++;
        }
        return queued;
    }

    private RejectedExecutionException queueRefused() {
        return new RejectedExecutionException("task queue refused the task: pool=" + config.name() + ", size="
                + queue.size() + ", maxQueue=" + config.maxQueue()
                + " (cancelled tasks not yet polled still hold room)");
    }

    private void signalWork() {
        signalWork(1);
    }

    /** After {@code tasks} tasks were queued: wakes up to that many parked workers, else grows the pool if needed. */
    private void signalWork(int tasks) {
        int needed = tasks;
        for (Waker k : wakers) {
            if (k.isParked() && k.worker().canTakeMore() && k.wake() && --needed == 0) {
                return;
            }
        }
        while (needed-- > 0) {
            int live = staffing.live(); // read after the offer: pairs with tryRetire
            if (live >= config.maxWorkers()) {
                return; // no room to grow: the workers take the tasks when they poll next (checked first: it is cheap)
            }
            if (gauge.queued() <= live - busyWorkers(workers)) {
                return; // enough idle workers are spinning or about to park, and re-check the queue before they do
            }
            if (!staffing.tryGrow()) {
                return;
            }
            startWorker();
        }
    }

    private void startWorker() {
        Worker w;
        synchronized (lock) {
            w = new Worker(this, nextWorkerId++);
            Worker[] next = Arrays.copyOf(workers, workers.length + 1);
            next[next.length - 1] = w;
            workers = next;
            wakers = wakersOf(next);
        }
        w.start();
    }

    TaskRecord poll() {
        return (TaskRecord) queue.poll();
    }

    /** Worker thread: the next task to run, or null; none once a forced close began (it rejects what is queued). */
    TaskRecord pollForWorker() {
        return state == FORCED ? null : poll();
    }

    boolean queueIsEmpty() {
        return queue.isEmpty();
    }

    boolean isClosing() {
        return state != RUNNING;
    }

    /** Worker thread: the record left QUEUED for RUNNING; its slot is free. */
    void onStarted(TaskRecord record) {
        releaseSlot();
    }

    private void releaseSlot() {
        if (gauge.release()) {
            fireDrain();
        }
    }

    Object prepareOutput(Object output) {
        return config.trusted() ? output : Sendables.prepare(output, "output");
    }

    /**
     * The record reached DONE: count it, then hand it to its owner.
     *
     * @param decider the worker whose thread decided it (counted in that worker's own counters), or null for any
     *     other thread (counted in the pool's shared ones)
     */
    void onDecided(TaskRecord record, Worker decider) {
        boolean success = record.failure == null;
        if (!success && record.submitSite != null) {
            record.failure.addSuppressed(record.submitSite);
        }
        if (decider != null) {
            decider.countOutcome(success);
        } else {
            (success ? completed : failed).getAndIncrement();
        }
        deliver(record);
    }

    /** The record was cancelled by its future. */
    void onCancelled(TaskRecord record, boolean wasQueued) {
        if (wasQueued) {
            queue.remove(record);
            releaseSlot();
        }
        cancelled.getAndIncrement();
        record.cancelInternal();
        deliver(record);
    }

    private void deliver(TaskRecord record) {
        try {
            record.owner().deliver(record);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "completion delivery failed; completing on this thread", t);
            record.run();
        }
    }

    private void fireDrain() {
        Runnable listener = drainListener;
        if (listener != null) {
            try {
                listener.run();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "onDrain listener failed: pool=" + config.name(), t);
            }
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
     * @return {@code true} if a submit would be rejected now
     */
    public boolean needsDrain() {
        return gauge.isFull();
    }

    private static Waker[] wakersOf(Worker[] ws) {
        Waker[] ks = new Waker[ws.length];
        for (int i = 0; i < ws.length; i++) {
            ks[i] = ws[i].waker();
        }
        return ks;
    }

    /** Counts the workers running a task; each publishes its own flag, so taking a task writes no shared line. */
    private static int busyWorkers(Worker[] ws) {
        int n = 0;
        for (Worker w : ws) {
            if (w.isBusy()) {
                n++;
            }
        }
        return n;
    }

    boolean mayRetire() {
        return state == RUNNING && staffing.aboveMin();
    }

    /** Worker thread: whether the worker ends now because the pool is closing and nothing is left for it. */
    boolean shouldExit(Worker worker) {
        int s = state;
        if (s == RUNNING) {
            return false;
        }
        // FORCED: pending async tasks still complete and deliver from the threads that finish them.
        boolean exit = s == FORCED || (gauge.queued() == 0 && worker.asyncPending() == 0);
        if (exit) {
            staffing.release();
        }
        return exit;
    }

    /** Worker thread: the idle timeout passed; leave if the pool stays at or above {@code minWorkers}. */
    boolean tryRetire(Worker worker) {
        return state == RUNNING && staffing.tryRetire(() -> !queue.isEmpty());
    }

    void workerInitFailed(Worker worker, Throwable cause) {
        staffing.release();
        LOG.log(System.Logger.Level.ERROR, "worker state initializer failed; worker not started: " + worker, cause);
    }

    void workerExited(Worker worker) {
        synchronized (lock) {
            drain(worker);
            exitedBusyNanos += worker.busyNanos();
            exitedCompleted += worker.completedCount();
            exitedFailed += worker.failedCount();
            Worker[] ws = workers;
            int i = Arrays.asList(ws).indexOf(worker);
            if (i >= 0) {
                Worker[] next = new Worker[ws.length - 1];
                System.arraycopy(ws, 0, next, 0, i);
                System.arraycopy(ws, i + 1, next, i, ws.length - i - 1);
                workers = next;
                wakers = wakersOf(next);
            }
            lock.notifyAll();
        }
    }

    void recordAsyncRunTime(long nanos) {
        asyncRunTimes.recordValue(Math.max(0, nanos));
    }

    /**
     * Stops intake; with {@code force}, also rejects queued tasks and interrupts running ones. Returns once every
     * worker thread has ended.
     *
     * @param force whether to force
     * @throws IllegalStateException if called from one of this pool's worker threads, or if interrupted
     */
    public void close(boolean force) {
        for (Worker w : workers) {
            if (w.thread() == Thread.currentThread()) {
                throw new IllegalStateException("close() called from the pool's own worker thread: pool="
                        + config.name() + "; close the pool from outside its tasks");
            }
        }
        synchronized (lock) {
            if (state == RUNNING || (force && state == CLOSING)) {
                state = force ? FORCED : CLOSING;
            }
        }
        if (force) {
            rejectQueued();
            for (Worker w : workers) {
                w.thread().interrupt();
            }
        }
        awaitQuiescence(force);
    }

    private void rejectQueued() {
        TaskRecord r;
        while ((r = poll()) != null) {
            if (r.tryReject(new RejectedExecutionException(
                    "pool closed by closeNow() before the task started: pool=" + config.name()))) {
                releaseSlot();
                rejected.getAndIncrement();
                deliver(r);
            }
        }
    }

    private void wakeAll() {
        for (Waker k : wakers) {
            k.wake();
        }
    }

    /**
     * Waits until no worker is left and no accepted task is queued. A submitter that raced with close may have
     * queued a task after the workers left; then a worker is started for it (graceful) or it is rejected (forced).
     */
    private void awaitQuiescence(boolean force) {
        while (true) {
            if (force) {
                rejectQueued(); // outside the lock: a rejection may run completion callbacks on this thread
            }
            wakeAll();
            boolean grow = false;
            synchronized (lock) {
                if (workers.length == 0) {
                    if (gauge.queued() == 0) {
                        return;
                    }
                    grow = !force && staffing.tryGrow();
                }
                if (!grow) {
                    try {
                        lock.wait(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while closing pool: pool=" + config.name(), e);
                    }
                }
            }
            if (grow) {
                startWorker();
            }
        }
    }

    /**
     * Returns whether {@link #close} has begun.
     *
     * @return {@code true} once closing
     */
    public boolean isShutdown() {
        return state != RUNNING;
    }

    /**
     * Reads the counters and histograms.
     *
     * @return a snapshot
     */
    public PoolStats stats() {
        synchronized (lock) {
            long busyTotal = exitedBusyNanos;
            long completedTotal = exitedCompleted + completed.get();
            long failedTotal = exitedFailed + failed.get();
            Worker[] ws = workers;
            for (Worker w : ws) {
                drain(w);
                busyTotal += w.busyNanos();
                completedTotal += w.completedCount();
                failedTotal += w.failedCount();
            }
            runTotal.add(asyncRunTimes.getIntervalHistogram());
            long age = Math.max(1, System.nanoTime() - createdNanos);
            double utilization = Math.min(1.0, (double) busyTotal / ((double) age * config.maxWorkers()));
            return new PoolStats(
                    gauge.acquiredTotal() + refusedFull.get(),
                    completedTotal,
                    failedTotal,
                    cancelled.get(),
                    rejected.get(),
                    gauge.queued(),
                    busyWorkers(ws),
                    ws.length,
                    summary(runTotal),
                    summary(waitTotal),
                    utilization);
        }
    }

    private void drain(Worker w) { // under lock
        w.latencies().drainInto(runTotal, waitTotal);
    }

    private static LatencySummary summary(Histogram h) {
        if (h.getTotalCount() == 0) {
            return LatencySummary.EMPTY;
        }
        return new LatencySummary(
                h.getTotalCount(),
                Duration.ofNanos((long) h.getMean()),
                Duration.ofNanos(h.getValueAtPercentile(50)),
                Duration.ofNanos(h.getValueAtPercentile(99)),
                Duration.ofNanos(h.getValueAtPercentile(99.9)),
                Duration.ofNanos(h.getMaxValue()));
    }

    /** Added as a suppressed exception to a task's failure: where the task was submitted. */
    static final class SubmitSite extends Exception {
        private static final long serialVersionUID = 1L;

        SubmitSite(String pool) {
            super("task submitted here: pool=" + pool);
        }
    }
}
