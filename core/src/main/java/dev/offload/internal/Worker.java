package dev.offload.internal;

import dev.offload.AsyncTask;
import dev.offload.Task;
import dev.offload.TaskContext;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker of a pool: its thread's run loop, its own state, and its task context.
 *
 * <p>Overview: poll the pool's queue; run what it returns; when the queue is empty, idle (spin, yield, park) until
 * the pool wakes it, the pool closes, or, above {@code minWorkers}, its idle timeout passes and it retires. The run
 * loop, the in-flight bookkeeping and the completion path live here and in {@link PoolCore} only, so that a
 * supervisor can later drive them.
 *
 * <p>Worker thread only, except {@link #wake()}, {@link #canTakeMore()} and the stats readers (any thread).
 */
public final class Worker extends PadHead implements TaskContext, Idler.WorkSource {
    private static final VarHandle BUSY_NANOS;
    private static final VarHandle COMPLETED;
    private static final VarHandle FAILED;
    private static final VarHandle BUSY;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            BUSY_NANOS = lookup.findVarHandle(Worker.class, "busyNanos", long.class);
            COMPLETED = lookup.findVarHandle(Worker.class, "completed", long.class);
            FAILED = lookup.findVarHandle(Worker.class, "failed", long.class);
            BUSY = lookup.findVarHandle(Worker.class, "busyFlag", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PoolCore pool;
    private final int id;
    private final WorkerThread thread;
    private final Idler idler;
    private final AtomicInteger asyncPending = new AtomicInteger();
    private final LatencyRecorder latencies = new LatencyRecorder();

    private Object state;
    private boolean hasState;
    private TaskRecord current;
    private long lastEnd; // nanoTime at the end of the last task, if the worker has not idled since; else 0
    // Written by this worker only, with release stores; read by stats with volatile loads.
    private volatile long busyNanos;
    private volatile long completed; // outcomes this worker decided, before delivering them
    private volatile long failed;
    private volatile boolean busyFlag; // running a task (or a run of tasks back to back)

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

    Worker(PoolCore pool, int id) {
        this.pool = pool;
        this.id = id;
        PoolConfig config = pool.config();
        this.thread = new WorkerThread(this, config.name() + "-worker-" + id, config.daemon());
        this.idler = new Idler(thread, this, config.spinNanos(), config.yieldNanos());
    }

    void start() {
        thread.start();
    }

    WorkerThread thread() {
        return thread;
    }

    void run() {
        idler.start();
        try {
            if (!initialize()) {
                return;
            }
            runLoop();
        } finally {
            idler.stop();
            pool.workerExited(this);
        }
    }

    private boolean initialize() {
        var initializer = pool.config().initializer();
        if (initializer == null) {
            return true;
        }
        try {
            state = initializer.get();
            hasState = true;
            return true;
        } catch (Throwable t) {
            pool.workerInitFailed(this, t);
            return false;
        }
    }

    private void runLoop() {
        long idleTimeout = pool.config().idleTimeoutNanos();
        boolean busy = false;
        long idleSince = System.nanoTime();
        while (true) {
            TaskRecord record = canTakeMore() ? pool.pollForWorker() : null;
            if (record != null) {
                if (!busy) {
                    busy = true;
                    BUSY.setRelease(this, true);
                }
                execute(record);
                idler.reset();
                continue;
            }
            lastEnd = 0;
            if (busy) {
                busy = false;
                BUSY.setRelease(this, false);
                idleSince = System.nanoTime();
            }
            if (pool.shouldExit(this)) {
                return;
            }
            boolean mayRetire = pool.mayRetire();
            long deadline = mayRetire ? idleSince + idleTimeout : Long.MAX_VALUE;
            if (idler.idle(this, deadline) && mayRetire && System.nanoTime() - deadline >= 0) {
                if (pool.tryRetire(this)) {
                    return;
                }
                idleSince = System.nanoTime();
            }
        }
    }

    @Override
    public boolean hasWork() {
        return (canTakeMore() && !pool.queueIsEmpty()) || pool.isClosing();
    }

    boolean canTakeMore() {
        return asyncPending.get() < pool.config().tasksPerWorker();
    }

    boolean isBusy() {
        return busyFlag;
    }

    Waker waker() {
        return idler.waker();
    }

    int asyncPending() {
        return asyncPending.get();
    }

    private void execute(TaskRecord record) {
        if (!record.tryStart(thread)) {
            return; // cancelled or rejected while queued; its slot was released by whoever did it
        }
        pool.onStarted(record);
        current = record;
        // Back to back, the previous task's end is this one's start: one clock read per task instead of two.
        long start = lastEnd != 0 ? lastEnd : System.nanoTime();
        Object input = record.payload;
        record.payload = null;
        if (record.isAsync()) {
            executeAsync(record, input, start);
            return;
        }
        Object output = null;
        Throwable failure = null;
        try {
            @SuppressWarnings("unchecked")
            Task<Object, Object> task = (Task<Object, Object>) record.task;
            output = pool.prepareOutput(task.run(input));
        } catch (Throwable t) {
            failure = t;
        }
        current = null;
        long end = System.nanoTime();
        lastEnd = end;
        latencies.record(start - record.submitNanos, end - start);
        addBusy(end - start);
        record.payload = output;
        record.failure = failure;
        if (record.finishRun(TaskRecord.DONE)) {
            pool.onDecided(record, this);
        }
    }

    private void addBusy(long nanos) {
        BUSY_NANOS.setRelease(this, busyNanos + nanos);
    }

    /** Worker thread: counts an outcome this worker decided, before it is delivered. */
    void countOutcome(boolean success) {
        if (success) {
            COMPLETED.setRelease(this, completed + 1);
        } else {
            FAILED.setRelease(this, failed + 1);
        }
    }

    long completedCount() {
        return completed;
    }

    long failedCount() {
        return failed;
    }

    private void executeAsync(TaskRecord record, Object input, long start) {
        latencies.recordWait(start - record.submitNanos);
        CompletionStage<?> stage;
        try {
            @SuppressWarnings("unchecked")
            AsyncTask<Object, Object> task = (AsyncTask<Object, Object>) record.task;
            stage = task.run(input);
            if (stage == null) {
                throw new NullPointerException("async task returned a null CompletionStage: task="
                        + record.task.getClass().getName());
            }
        } catch (Throwable t) {
            current = null;
            lastEnd = 0;
            addBusy(System.nanoTime() - start);
            record.failure = t;
            if (record.finishRun(TaskRecord.DONE)) {
                pool.onDecided(record, this);
            }
            return;
        }
        current = null;
        lastEnd = 0;
        addBusy(System.nanoTime() - start);
        if (!record.finishRun(TaskRecord.PENDING)) {
            return; // cancelled while its synchronous part ran
        }
        asyncPending.incrementAndGet();
        stage.whenComplete((value, failure) -> onAsyncDone(record, value, failure, start));
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
            record.payload = output;
            record.failure = fail;
            pool.recordAsyncRunTime(System.nanoTime() - start);
            if (record.finishPending()) {
                pool.onDecided(record, null); // any thread: counted by the pool
            }
        } finally {
            asyncPending.decrementAndGet();
            idler.wake(); // the worker may be waiting for a free async slot
        }
    }

    long busyNanos() {
        return busyNanos;
    }

    LatencyRecorder latencies() {
        return latencies;
    }

    @Override
    public boolean isCancelled() {
        TaskRecord r = current;
        return r != null && r.isCancelRequested();
    }

    @Override
    public void throwIfCancelled() {
        if (isCancelled()) {
            throw new CancellationException("task cancelled: worker=" + thread.getName());
        }
    }

    @Override
    public <S> S state(Class<S> type) {
        if (!hasState) {
            throw new IllegalStateException("worker has no state: pool="
                    + pool.config().name() + "; set one with WorkerPool.builder().workerState(initializer)");
        }
        if (state != null && !type.isInstance(state)) {
            throw new ClassCastException(
                    "worker state is a " + state.getClass().getName() + ", not a " + type.getName());
        }
        return type.cast(state);
    }

    @Override
    public int workerId() {
        return id;
    }

    @Override
    public String toString() {
        return "Worker[" + thread.getName() + "]";
    }
}
