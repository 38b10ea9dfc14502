package dev.offload.internal.loop;

import dev.offload.internal.base.L1Pad;
import dev.offload.internal.base.PaddedCounter;
import dev.offload.internal.base.VarHandles;
import dev.offload.internal.task.BatchCursor;
import dev.offload.internal.task.RecordAccess;
import dev.offload.internal.task.TaskRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;

/**
 * The state an event loop writes on every callback: the tasks it submitted and whose completions it still expects
 * (its registry), its idle time, and the tasks its callbacks submitted that are not published to their pools yet.
 * Padded (see {@link L1Pad}), so that the loop's writes never share a cache line with what a worker reads.
 *
 * <p>Registry: each task submitted from the loop takes a slot (its index is kept in the record) and gives it back
 * when its completion is handled on the loop. The loop does not end while a slot is taken, and a close that times out
 * cancels the tasks still holding one. Room is reserved before a submit admits its task, so registering cannot fail
 * once the task is accepted.
 *
 * <p>Batching: a task that a callback submitted is admitted at once by its pool and kept here; {@link #publish()}
 * hands the kept tasks to their pools, one batch per run of tasks for the same pool. The loop publishes after at most
 * {@value #PUBLISH_BATCH} callbacks, when its inbox is empty, and before it waits; and when a callback has submitted
 * {@value #PUBLISH_TASKS} tasks, inside the submit of the last (see {@link #afterSubmit()}). Publishing never nests: a
 * publish that runs code on this thread (an {@code onDrain} listener) which submits or closes a pool leaves what that
 * code added to the publish under way.
 *
 * <p>Idle time: the loop writes its idle total and the start of the current idle period under a sequence number (a
 * seqlock: odd while writing), so that a reader on any thread counts a period still under way exactly once.
 *
 * <p>Loop thread only, but {@link #idleNanos(long)} from any thread.
 */
public final class LoopState extends LoopStateL2Pad {
    /** Tasks submitted by callbacks are published after at most this many callbacks. */
    public static final int PUBLISH_BATCH = 16;

    /**
     * A callback that has submitted this many tasks publishes them in the submit of the last, without waiting for its
     * return: the workers start on a burst's first tasks while the callback is still copying the inputs of the rest,
     * instead of idling until the whole burst is admitted (in interleaved rounds of bursts of 256 SHA-256 tasks with
     * 4 KiB inputs, 0.89 of the time per task). Each publish costs a claim on the queue, a clock read and a look for
     * parked workers, spread over this many tasks. Tasks kept from earlier callbacks do not count: a stream of
     * callbacks that submit one task each keeps its batches of up to {@value #PUBLISH_BATCH}.
     */
    public static final int PUBLISH_TASKS = 8;

    private static final VarHandle IDLE_NANOS =
            VarHandles.field(MethodHandles.lookup(), LoopStateFields.class, "idleNanos", long.class);
    private static final VarHandle IDLE_SINCE =
            VarHandles.field(MethodHandles.lookup(), LoopStateFields.class, "idleSince", long.class);
    private static final VarHandle IDLE_SEQ =
            VarHandles.field(MethodHandles.lookup(), LoopStateFields.class, "idleSeq", long.class);

    /**
     * Runs a dependent of a loop-owned future now; the dependents that running it releases (a chain of stages) run
     * after it, one after the other, not nested, as {@code CompletableFuture} itself does: a long chain does not grow
     * the stack. Here, not in {@link LoopOwner}, which every worker reads on every delivery.
     *
     * @param dependent the dependent
     */
    void runDependent(Runnable dependent) {
        if (runningDependent) {
            released.add(dependent);
            return;
        }
        runningDependent = true;
        try {
            dependent.run();
            Runnable next;
            while ((next = released.poll()) != null) {
                next.run();
            }
        } finally {
            runningDependent = false;
        }
    }

    /** Creates the state of a new loop. */
    public LoopState() {
        this(TaskRecord.MAX_LOOP_SLOTS);
    }

    /** Creates the state of a loop that tracks at most {@code maxOutstanding} tasks (a power of two, at least 16). */
    public LoopState(int maxOutstanding) {
        super(maxOutstanding);
        for (int i = 0; i < free.length; i++) {
            free[i] = free.length - 1 - i;
        }
        freeTop = free.length;
    }

    /**
     * Makes room for one more submitted task (a registry slot and a batch entry) before its pool admits it, so that
     * {@link #register} cannot fail afterwards. May throw {@link OutOfMemoryError}; then nothing changed.
     *
     * @throws RejectedExecutionException if the loop already tracks the most tasks it can; then nothing changed
     */
    void reserve() {
        int needed = reserved + 1; // a submit re-entered from this one (an onDrain listener) reserves its own room
        while (freeTop < needed) {
            int old = slots.length;
            if (old >= maxOutstanding) {
                throw new RejectedExecutionException("this loop has " + (live + reserved)
                        + " tasks outstanding (submitted, their completion not yet run on the loop), the most one"
                        + " loop can track (" + maxOutstanding + "); submit more from their callbacks, or bound the"
                        + " work in flight");
            }
            TaskRecord[] grownSlots = Arrays.copyOf(slots, old * 2);
            int[] grownFree = Arrays.copyOf(free, old * 2); // keeps the free slots it has
            for (int i = 0; i < old; i++) {
                grownFree[freeTop + i] = old * 2 - 1 - i; // and adds the new ones
            }
            slots = grownSlots;
            free = grownFree;
            freeTop += old;
        }
        if (PAD + count + needed > records.length - PAD) {
            int capacity = 2 * (count + needed);
            TaskRecord[] grownRecords = Arrays.copyOf(records, PAD + capacity + PAD);
            TaskSink[] grownPools = Arrays.copyOf(pools, PAD + capacity + PAD);
            records = grownRecords;
            pools = grownPools;
        }
        reserved = needed; // last: if growing failed (OutOfMemoryError), nothing changed
    }

    /** Registers an admitted task and keeps it for publishing; room was made by {@link #reserve()}. */
    void register(TaskSink pool, TaskRecord record) {
        reserved--;
        int slot = free[--freeTop];
        slots[slot] = record;
        RecordAccess.setLoopSlot(record, slot);
        live++;
        pools[PAD + count] = pool;
        records[PAD + count++] = record;
    }

    /** A submit that reserved room failed before its pool admitted the task: gives the room back. */
    void unreserve() {
        reserved--;
    }

    /** A registered task's completion reached the loop; returns false if it was not registered (any more). */
    boolean unregister(TaskRecord record) {
        int slot = RecordAccess.loopSlot(record); // kept after this: the identity check below refuses a second time
        if (slot < 0 || slot >= slots.length || slots[slot] != record) {
            return false;
        }
        slots[slot] = null;
        free[freeTop++] = slot;
        live--;
        return true;
    }

    /**
     * Returns how many tasks the loop submitted whose completion has not reached it yet.
     *
     * @return the count; the loop must not end while it is above zero
     */
    public int outstanding() {
        return live;
    }

    /** Returns the registered tasks, for a close that timed out; the array may hold nulls. */
    TaskRecord[] registered() {
        return Arrays.copyOf(slots, slots.length);
    }

    /** A callback returned: publishes the kept tasks if the oldest has waited {@value #PUBLISH_BATCH} callbacks. */
    void afterCallback() {
        if (heldPosts != 0) {
            releasePosts();
        }
        if (count != 0 && ++heldFor >= PUBLISH_BATCH) {
            publish();
        }
        callbackStart = count; // the next callback's submits are counted from here
    }

    /**
     * A post from this loop set {@code flag}, a port's posting flag: it stays set until the running callback returns
     * (see {@link #releasePosts()}), so that the callback's next posts through the same port need no fence.
     *
     * @param flag the port's flag, set by the caller
     */
    void holdPost(PaddedCounter flag) {
        if (PAD + heldPosts == posts.length - PAD) {
            posts = Arrays.copyOf(posts, PAD + 2 * heldPosts + PAD);
        }
        posts[PAD + heldPosts++] = flag;
    }

    /**
     * The running callback returned: clears the posting flags its posts set (release stores, each after the posts it
     * covered), so that their receivers may park, sleep or fire a close handler again.
     */
    void releasePosts() {
        int n = heldPosts;
        for (int i = PAD; i < PAD + n; i++) {
            posts[i].setRelease(0);
            posts[i] = null;
        }
        heldPosts = 0;
    }

    /**
     * A port leaves this loop (transferred inside a message) while a post of the running callback holds its flag:
     * clears it now, before the port's next holder can set it, and forgets it.
     *
     * @param flag the port's flag
     */
    void releasePost(PaddedCounter flag) {
        for (int i = PAD; i < PAD + heldPosts; i++) {
            if (posts[i] == flag) {
                flag.setRelease(0);
                posts[i] = posts[PAD + --heldPosts];
                posts[PAD + heldPosts] = null;
                return;
            }
        }
    }

    /**
     * A task was admitted and registered (the submit is over): publishes the kept tasks if the running callback has
     * submitted {@value #PUBLISH_TASKS} of them since it began or since the last publish.
     */
    void afterSubmit() {
        if (count - callbackStart >= PUBLISH_TASKS) {
            publish();
        }
    }

    /**
     * Hands every kept task to its pool. Each run of tasks for the same pool is one batch. The count is re-read after
     * each batch: publishing may run an {@code onDrain} listener on this thread, which may submit more. A publish
     * called from inside one (that listener's submit, or its close of a pool) returns at once: the publish under way
     * hands over what was added.
     */
    void publish() {
        if (publishing || count == 0) { // nothing kept: the common case at the end of a turn, with nothing to write
            return;
        }
        publishing = true;
        try {
            publishKept();
        } finally {
            publishing = false;
        }
    }

    private void publishKept() {
        int i = 0;
        while (i < count) { // re-read: a batch may run an onDrain listener on this thread, which may submit more
            TaskSink pool = pools[PAD + i];
            int end = i + 1;
            while (end < count && pools[PAD + end] == pool) {
                end++;
            }
            // One clock read per batch: the tasks' stamps (wait-time start and submission order) are that reading
            // plus their index, strictly increasing across batches.
            long stamp = Math.max(System.nanoTime(), lastStamp + 1);
            for (int k = i; k < end; k++) {
                RecordAccess.setSubmitNanos(records[PAD + k], stamp + (k - i));
            }
            lastStamp = stamp + (end - i) - 1;
            Arrays.fill(pools, PAD + i, PAD + end, null);
            pool.publish(records, PAD + i, PAD + end, cursor);
            i = end;
        }
        count = 0;
        heldFor = 0;
        callbackStart = 0;
    }

    /** Loop thread: an idle period starts at {@code now}. */
    void startIdle(long now) {
        long s = idleSeq;
        IDLE_SEQ.setOpaque(this, s + 1);
        VarHandle.storeStoreFence(); // the odd sequence is visible before the new value
        IDLE_SINCE.setOpaque(this, now);
        idle = true;
        IDLE_SEQ.setRelease(this, s + 2);
    }

    /** Loop thread: the idle period under way, if any, ends at {@code now}. */
    void endIdle(long now) {
        if (!idle) {
            return;
        }
        idle = false;
        long s = idleSeq;
        IDLE_SEQ.setOpaque(this, s + 1);
        VarHandle.storeStoreFence();
        IDLE_NANOS.setOpaque(this, idleNanos + (now - idleSince));
        IDLE_SINCE.setOpaque(this, NOT_IDLE);
        IDLE_SEQ.setRelease(this, s + 2);
    }

    /** Loop thread: whether an idle period is under way. */
    boolean isIdle() {
        return idle;
    }

    /**
     * Returns the loop's idle time up to {@code now}, counting the period under way. Any thread.
     *
     * @param now a {@link System#nanoTime()} reading
     * @return nanoseconds
     */
    public long idleNanos(long now) {
        while (true) {
            long s = (long) IDLE_SEQ.getAcquire(this);
            long total = (long) IDLE_NANOS.getOpaque(this);
            long since = (long) IDLE_SINCE.getOpaque(this);
            VarHandle.loadLoadFence(); // the values are read before the sequence is checked again
            if ((s & 1) == 0 && (long) IDLE_SEQ.getOpaque(this) == s) {
                return since == NOT_IDLE ? total : total + Math.max(0, now - since);
            }
            Thread.onSpinWait();
        }
    }
}

/** The fields of {@link LoopState}, between its two paddings (see {@link L1Pad}). */
abstract class LoopStateFields extends L1Pad {
    static final long NOT_IDLE = Long.MIN_VALUE;
    static final int PAD = 32; // unused array slots at both ends: 128 bytes with compressed references

    int count;
    int heldFor; // callbacks run since the oldest unpublished task was admitted
    boolean publishing; // inside publish(): a nested call returns at once
    int callbackStart; // the kept tasks when the running callback began, or 0 after a publish
    int live; // registry slots taken
    int reserved; // room promised to submits under way (nested ones included)
    int freeTop; // entries in free
    boolean idle;
    long idleNanos; // seqlock-protected: written by the loop, read by anyone
    long idleSince = NOT_IDLE;
    long idleSeq;
    long lastStamp = Long.MIN_VALUE / 2;
    TaskSink[] pools = new TaskSink[PAD + 16 + PAD];
    TaskRecord[] records = new TaskRecord[PAD + 16 + PAD];
    TaskRecord[] slots = new TaskRecord[16];
    int[] free = new int[16];
    final int maxOutstanding;
    final BatchCursor cursor = new BatchCursor();
    final java.util.ArrayDeque<Runnable> released = new java.util.ArrayDeque<>(); // see runDependent
    boolean runningDependent;
    // The posting flags that the running callback's posts set, from index PAD (see holdPost): 1 to 3 ports at most,
    // usually; the array grows for a callback that posts through more.
    PaddedCounter[] posts = new PaddedCounter[PAD + 4 + PAD];
    int heldPosts;
    boolean postsUnderWay; // the last check before a park found a port's sender inside the callback that posted

    LoopStateFields(int maxOutstanding) {
        this.maxOutstanding = maxOutstanding;
    }
}

/** The padding after the fields of {@link LoopState}. */
abstract class LoopStateL2Pad extends LoopStateFields {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    LoopStateL2Pad(int maxOutstanding) {
        super(maxOutstanding);
    }
}
