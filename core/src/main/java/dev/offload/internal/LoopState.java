package dev.offload.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The state an event loop writes on every callback: the completions it still expects, its idle time, and the tasks
 * its callbacks submitted that are not published to their pools yet. Padded (see {@link PadHead}), so that the loop's
 * writes never share a cache line with what a worker reads.
 *
 * <p>Batching: a task that a callback submitted is admitted at once by its pool and kept here; {@link #publish()}
 * hands the kept tasks to their pools, one batch per run of tasks for the same pool. The loop publishes after at most
 * {@value #PUBLISH_BATCH} callbacks, when its inbox is empty, and before it waits.
 *
 * <p>Loop thread only, but {@link #idleNanos()} from any thread.
 */
public final class LoopState extends PadHead {
    /** Tasks submitted by callbacks are published after at most this many callbacks. */
    public static final int PUBLISH_BATCH = 16;

    private static final int PAD = 32; // unused array slots at both ends: 128 bytes with compressed references
    private static final VarHandle IDLE_NANOS;

    static {
        try {
            IDLE_NANOS = MethodHandles.lookup().findVarHandle(LoopState.class, "idleNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private int pendingCompletions;
    private int count;
    private int heldFor; // callbacks run since the oldest unpublished task was admitted
    private volatile long idleNanos; // written by the loop only (opaque), read by anyone
    private long lastStamp = Long.MIN_VALUE / 2;
    private PoolCore[] pools = new PoolCore[PAD + 16 + PAD];
    private TaskRecord[] records = new TaskRecord[PAD + 16 + PAD];
    private final BatchCursor cursor = new BatchCursor();

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

    /** Creates the state of a new loop. */
    public LoopState() {}

    /** A task was submitted from this loop: its completion will come back to it. */
    public void expectCompletion() {
        pendingCompletions++;
    }

    /** An expected completion arrived, or will not come after all (the submit failed). */
    public void completionDone() {
        pendingCompletions--;
    }

    /**
     * Returns how many completions the loop still expects.
     *
     * @return the count; the loop must not end while it is above zero
     */
    public int pendingCompletions() {
        return pendingCompletions;
    }

    /**
     * Keeps a task that a callback submitted and its pool admitted, until {@link #publish()}.
     *
     * @param pool the pool that admitted it
     * @param record the task
     */
    public void keep(PoolCore pool, TaskRecord record) {
        if (PAD + count == records.length - PAD) {
            int capacity = 2 * count;
            records = Arrays.copyOf(records, PAD + capacity + PAD);
            pools = Arrays.copyOf(pools, PAD + capacity + PAD);
        }
        pools[PAD + count] = pool;
        records[PAD + count++] = record;
    }

    /**
     * A callback returned: publishes the kept tasks if the oldest has waited {@value #PUBLISH_BATCH} callbacks.
     */
    public void afterCallback() {
        if (count != 0 && ++heldFor >= PUBLISH_BATCH) {
            publish();
        }
    }

    /**
     * Hands every kept task to its pool. Each run of tasks for the same pool is one batch. The count is re-read after
     * each batch: publishing may run an {@code onDrain} listener on this thread, which may submit more.
     */
    public void publish() {
        if (count == 0) {
            return;
        }
        // One clock read per batch: the tasks' stamps (wait-time start and submission order) are that reading plus
        // their index, kept strictly increasing across batches.
        long stamp = Math.max(System.nanoTime(), lastStamp + 1);
        for (int k = 0; k < count; k++) {
            records[PAD + k].submitNanos = stamp + k;
        }
        lastStamp = stamp + count - 1;
        int i = 0;
        while (i < count) {
            PoolCore pool = pools[PAD + i];
            int end = i + 1;
            while (end < count && pools[PAD + end] == pool) {
                end++;
            }
            Arrays.fill(pools, PAD + i, PAD + end, null);
            pool.publish(records, PAD + i, PAD + end, cursor);
            i = end;
        }
        count = 0;
        heldFor = 0;
    }

    /**
     * Adds an idle period to the loop's idle time.
     *
     * @param nanos its length
     */
    public void addIdle(long nanos) {
        IDLE_NANOS.setOpaque(this, idleNanos + nanos);
    }

    /**
     * Returns the loop's idle time so far. Any thread.
     *
     * @return nanoseconds
     */
    public long idleNanos() {
        return (long) IDLE_NANOS.getOpaque(this);
    }
}
