package dev.offload.internal.loop;

import dev.offload.Cancellable;
import dev.offload.internal.base.PaddedCounter;
import dev.offload.internal.base.VarHandles;
import dev.offload.internal.idle.Idler;
import dev.offload.internal.idle.Waker;
import dev.offload.internal.task.CompletionOwner;
import dev.offload.internal.task.LoopBoundFuture;
import dev.offload.internal.task.OwnedFuture;
import dev.offload.internal.task.RecordAccess;
import dev.offload.internal.task.TaskRecord;
import dev.offload.internal.task.TaskThread;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jctools.queues.varhandle.MpscUnboundedVarHandleArrayQueue;

/**
 * The machinery of an event loop: its thread, its inbox, its timers, its idle strategy, the tasks it submitted, and
 * its close protocol. {@code EventLoop} is the public face of one.
 *
 * <p>Overview: an MPSC inbox (JCTools, VarHandle based) carries runnables, task completions and timer changes from
 * other threads; a timer heap and the loop's per-callback state ({@link LoopState}) are owned by the loop thread; an
 * idle strategy spins, yields, then parks until a producer wakes it, the next timer is due, or a close deadline passes.
 * After every callback, timer and completion the loop clears its thread's interrupt status, so that an interrupt a
 * callback leaves behind never reaches the next one nor keeps the idle strategy from parking.
 *
 * <p>Close: {@code RUNNING -> CLOSING -> TERMINATED}. Closing refuses {@code execute} and {@code schedule} from other
 * threads and drops timers; the loop keeps running what it holds and the completions of the tasks it submitted, and
 * ends once the inbox is empty, no producer is between its state check and its offer, and no submitted task is
 * outstanding. If tasks are still outstanding at the close deadline, they are cancelled (with interrupt) and their
 * futures fail with a {@link CancellationException} that says so. Internal offers (completions, dependents, timer
 * removals) are accepted until TERMINATED: a producer counts itself in {@code producers} (volatile RMW) before it
 * reads the state, and the loop writes TERMINATED before it reads {@code producers} for the last time, so either the
 * producer sees TERMINATED (and runs its item itself) or the loop sees the producer and runs the item before it ends.
 *
 * <p>Map: construction and identity; {@code execute} and the internal offers; the delivery of completions and when it
 * wakes the loop; timers; the tasks submitted from this loop (reserve, register, publish); close; the loop thread's
 * run loop, its drain and its dispatch of inbox items.
 *
 * <p>Any thread, unless a method says otherwise.
 */
public final class LoopCore {
    private static final int RUNNING = 0;
    private static final int CLOSING = 1;
    private static final int TERMINATED = 2;
    private static final int DRAIN_BATCH = 4096;
    private static final long STRAGGLER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * The longest a loop parks while a port's sender is still inside the callback that posted to it: a message that
     * callback posts later wakes the loop at once, unless its post raced the park (a window of nanoseconds), and then
     * waits this long at most; a close of that port is seen this long at most after the callback returns. Meanwhile a
     * loop with nothing else to do wakes about 1,000 times a second instead of spinning: 55 ms of CPU over a sender's
     * 2 s callback on the 2-core development VM (100 µs cost 290 ms, spinning all 2 s).
     */
    static final long POSTS_UNDER_WAY_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final System.Logger LOG = System.getLogger("dev.offload.EventLoop");
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();
    private static final ConcurrentHashMap<Integer, LoopCore> LIVE = new ConcurrentHashMap<>(); // started, not ended
    private static final VarHandle STATE = VarHandles.field(MethodHandles.lookup(), LoopCore.class, "state", int.class);
    private static final VarHandle CLOSE_DEADLINE =
            VarHandles.field(MethodHandles.lookup(), LoopCore.class, "closeDeadline", long.class);

    private final String name;
    private final Object facade;
    private final MpscUnboundedVarHandleArrayQueue<Object> inbox = new MpscUnboundedVarHandleArrayQueue<>(1024);
    private final LoopTimers timers = new LoopTimers();
    private final Consumer<Throwable> uncaughtHandler;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final LoopThread thread;
    final Idler idler; // package-private for StressLoops
    // What other threads wake this loop with, held here: the idler's fields share cache lines with the spin state the
    // loop writes on every idle step, which a producer reading the waker through the idler would pull on every post.
    private final Waker waker;
    private final long startNanos;
    private final long defaultCloseNanos;
    private final LoopOwner owner;
    private final LoopState local = new LoopState(); // what the loop writes per callback, on its own cache lines

    private volatile int state;
    // Offers under way from other threads (see offer): on cache lines of its own, since every such offer adds and
    // subtracts, and the fields around it are what the loop reads on every turn.
    private final PaddedCounter producers = new PaddedCounter();
    private volatile long closeDeadline = Long.MAX_VALUE;
    private volatile long closeTimeoutNanos;
    private volatile boolean abandoned; // the thread was abandoned inside a callback (see markAbandoned)
    private boolean closeTimedOut; // loop thread: the close deadline passed and what was owed was cancelled
    private final InboxPollSchedule looks = new InboxPollSchedule(); // loop thread
    private final Set<LoopBound> bound = new LinkedHashSet<>(); // loop thread: ports that live on this loop
    private Inlet[] inlets = new Inlet[4]; // loop thread: ports it polls on every turn (see Inlet)
    private int inletCount; // loop thread
    private final boolean endWhenUnreferenced; // a worker's loop: ends when idle and nothing refers to it
    private final int threadId = THREAD_IDS.incrementAndGet(); // how other loops reach this one by id
    private volatile BiConsumer<Object, Integer> threadMessageHandler; // see postMessageToThread
    private int refs; // loop thread: references that keep a loop that ends when unreferenced running

    /**
     * Creates and starts a loop.
     *
     * @param facade the {@code EventLoop} this is the machinery of
     * @param name the loop's name, also its thread's
     * @param daemon whether its thread is a daemon thread
     * @param spinNanos the idle strategy's spin budget
     * @param yieldNanos the idle strategy's yield budget
     * @param closeTimeout how long {@link #close(long)} waits by default, in nanoseconds
     * @param uncaughtHandler receives what callbacks throw
     */
    public LoopCore(
            Object facade,
            String name,
            boolean daemon,
            long spinNanos,
            long yieldNanos,
            long closeTimeout,
            Consumer<Throwable> uncaughtHandler) {
        this(facade, name, daemon, spinNanos, yieldNanos, closeTimeout, uncaughtHandler, true);
    }

    /** Creates a loop; a stress test passes {@code start = false} and drives its steps from its own threads. */
    public LoopCore(
            Object facade,
            String name,
            boolean daemon,
            long spinNanos,
            long yieldNanos,
            long closeTimeout,
            Consumer<Throwable> uncaughtHandler,
            boolean start) {
        this(facade, name, daemon, spinNanos, yieldNanos, closeTimeout, uncaughtHandler, start, false);
    }

    /**
     * Creates a loop that may end by itself: with {@code endWhenUnreferenced}, the loop closes as soon as it is idle
     * with nothing that refers to it (Node's rule for a worker's loop): no item in its inbox, no timer, no task it
     * submitted still outstanding, and no reference taken with {@link #ref()} (an open port with a message handler).
     * Such a loop starts with one reference, its creator's, which the creator releases with {@link #unref()} on the
     * loop once it has handed the loop its first work (a worker's main).
     */
    public LoopCore(
            Object facade,
            String name,
            boolean daemon,
            long spinNanos,
            long yieldNanos,
            long closeTimeout,
            Consumer<Throwable> uncaughtHandler,
            boolean start,
            boolean endWhenUnreferenced) {
        this.facade = facade;
        this.endWhenUnreferenced = endWhenUnreferenced;
        this.refs = endWhenUnreferenced ? 1 : 0; // the creator's, released on the loop once it handed the first work
        this.name = name;
        this.uncaughtHandler = uncaughtHandler;
        this.defaultCloseNanos = closeTimeout;
        this.thread = new LoopThread(this, name, daemon);
        this.idler = new Idler(thread, spinNanos, yieldNanos);
        this.waker = idler.waker();
        this.owner = new LoopOwner(this);
        this.startNanos = System.nanoTime();
        if (start) {
            LIVE.put(threadId, this);
            thread.start();
        }
    }

    /** The state the loop thread writes, on its own cache lines. Loop thread only. */
    LoopState local() {
        return local;
    }

    /**
     * Returns the loop whose thread is calling, if any.
     *
     * @return the loop, or {@code null}
     */
    public static LoopCore current() {
        return Thread.currentThread() instanceof LoopThread t ? t.core : null;
    }

    /**
     * Returns the loop whose thread is calling, or throws for a caller that must be one.
     *
     * @param action what the caller was asked to do, such as {@code "postMessage"}
     * @param why why it must run on a loop, for the message
     * @return the calling loop
     * @throws IllegalStateException if the calling thread is no event loop's
     */
    public static LoopCore currentOrThrow(String action, String why) {
        LoopCore loop = current();
        if (loop == null) {
            throw notOnLoop(action, why);
        }
        return loop;
    }

    /**
     * The exception for a call that must be made on an event loop thread and was not.
     *
     * @param action what the caller was asked to do
     * @param why why it must run on a loop
     * @return the exception, with the fix
     */
    public static IllegalStateException notOnLoop(String action, String why) {
        return new IllegalStateException(action + " must be called on an event loop thread: " + why + "; thread="
                + Thread.currentThread().getName() + "; fix: call it inside loop.execute(...)");
    }

    /**
     * Returns the public face of this loop.
     *
     * @return the {@code EventLoop}
     */
    public Object facade() {
        return facade;
    }

    /**
     * Returns the loop's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    Thread thread() {
        return thread;
    }

    /**
     * Returns whether the calling thread is this loop's thread.
     *
     * @return {@code true} on the loop thread
     */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Returns whether a close has begun.
     *
     * @return {@code true} once closing or terminated
     */
    public boolean isClosed() {
        return state != RUNNING;
    }

    /**
     * Runs {@code task} on the loop thread, after what was handed to it before.
     *
     * @param task what to run
     * @throws RejectedExecutionException if the loop is closing or closed and the caller is another thread
     */
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (Thread.currentThread() == thread) {
            if (state == TERMINATED) { // in the loop's last drain, or a dependent of its termination
                throw new RejectedExecutionException("event loop closed: loop=" + name);
            }
            inbox.offer(task); // the loop cannot end while it runs this caller; it drains its inbox before it ends
            return;
        }
        offerIfRunning(task);
    }

    private void offerIfRunning(Object item) {
        producers.getAndAdd(1); // volatile RMW before the state read: pairs with the loop's exit check
        try {
            if (state != RUNNING) {
                throw new RejectedExecutionException("event loop closed: loop=" + name);
            }
            inbox.offer(item);
        } finally {
            producers.getAndAdd(-1);
            waker.wake(); // after the decrement: a closing loop parked on producers != 0 re-checks
        }
    }

    /**
     * Hands an item of another package to the loop from any thread while it has not ended (also while it closes): a
     * broadcast message, a message by thread id, a worker's event. It runs on the loop thread, in inbox order; what it throws goes to the loop's
     * uncaught-exception handler.
     *
     * @param item what to run
     * @return {@code false} if the loop has ended; the caller then acts itself
     */
    public boolean offerItem(Runnable item) {
        return offer(item);
    }

    /**
     * Loop thread: hands what a callback threw to the loop's uncaught-exception handler, as the loop does for its own
     * callbacks; for an item that runs several callbacks in one pass (a port delivering a batch of messages).
     *
     * @param t what was thrown
     */
    public void reportUncaught(Throwable t) {
        handleUncaught(t);
    }

    /**
     * Loop thread: one more thing keeps this loop running (an open port with a message handler), for a loop that ends
     * when unreferenced; counted, released with {@link #unref()}.
     */
    public void ref() {
        refs++;
    }

    /** Loop thread: releases a reference taken with {@link #ref()}. */
    public void unref() {
        refs--;
    }

    /**
     * Returns this loop's thread id: unique in the JVM, from 1, how other loops reach it by id.
     *
     * @return the id
     */
    public int threadId() {
        return threadId;
    }

    /**
     * Returns the running loop of thread id {@code threadId}.
     *
     * @param threadId an id
     * @return the loop, or {@code null} if none runs with that id
     */
    public static LoopCore byThreadId(int threadId) {
        return LIVE.get(threadId);
    }

    /**
     * Returns what receives messages posted to this loop by thread id, or {@code null}.
     *
     * @return the handler: the message and the sender's thread id
     */
    public BiConsumer<Object, Integer> threadMessageHandler() {
        return threadMessageHandler;
    }

    /**
     * Sets what receives messages posted to this loop by thread id; {@code null} for nothing.
     *
     * @param handler the handler, run on this loop
     */
    public void threadMessageHandler(BiConsumer<Object, Integer> handler) {
        threadMessageHandler = handler;
    }

    /**
     * Returns the loop's thread, for the owner of a loop that must interrupt it or read its CPU time.
     *
     * @return the thread
     */
    public Thread loopThread() {
        return thread;
    }

    /**
     * Loop thread: {@code resource} hears {@link LoopBound#loopEnded()} when this loop ends, unless it is unbound
     * first.
     *
     * @param resource what lives on this loop
     */
    public void bind(LoopBound resource) {
        bound.add(resource);
    }

    /**
     * Loop thread: {@code resource} no longer hears when this loop ends.
     *
     * @param resource what was bound
     */
    public void unbind(LoopBound resource) {
        bound.remove(resource);
    }

    /**
     * Loop thread: how many things hear when this loop ends (a test checks that closed ports do not stay bound).
     *
     * @return the number bound
     */
    public int boundCount() {
        return bound.size();
    }

    /**
     * Loop thread: {@code inlet} is polled on every turn from now on, and is asked whether it is ready before the loop
     * parks, until it is removed.
     *
     * @param inlet a port's inbound queue
     */
    public void addInlet(Inlet inlet) {
        if (inletCount == inlets.length) {
            inlets = java.util.Arrays.copyOf(inlets, inletCount * 2);
        }
        inlets[inletCount++] = inlet;
    }

    /**
     * Loop thread: {@code inlet} is polled no more. May be called while the loop polls (from a callback an inlet ran).
     *
     * @param inlet an inlet added before; nothing happens if it is not
     */
    public void removeInlet(Inlet inlet) {
        for (int i = 0; i < inletCount; i++) {
            if (inlets[i] == inlet) {
                inlets[i] = inlets[--inletCount]; // the last moves down: see pollInlets
                inlets[inletCount] = null;
                return;
            }
        }
    }

    /**
     * Any thread, after it published to one of this loop's inlets and passed a full fence: wakes the loop if it is
     * parked or about to park (a volatile read of its park flag; a spinning loop finds the work on its next turn).
     */
    public void wakeIfParked() {
        waker.wake();
    }

    /**
     * Any thread: whether the loop is parked or about to park (a volatile read of its park flag). A producer that reads
     * it after a fence that follows its own flag, and before it publishes, pairs with a loop whose check before parking
     * reads that flag (a port's poster: see {@code Endpoint}).
     *
     * @return {@code true} if {@link #wakeIfParked()} may have a loop to wake
     */
    public boolean mayBeParked() {
        return waker.isParked();
    }

    /**
     * Any thread: the loop's thread was abandoned inside a callback (a worker that did not stop within its bound). The
     * posting flags its callback holds are ignored from now on by the ports they would hold back.
     */
    public void markAbandoned() {
        abandoned = true;
    }

    /**
     * Returns whether the loop's thread was abandoned ({@link #markAbandoned()}).
     *
     * @return {@code true} once abandoned
     */
    public boolean isAbandoned() {
        return abandoned;
    }

    /**
     * Loop thread: a post through a port set the port's posting flag, which stays set until the running callback returns
     * ({@link #releasePosts()}): the callback's further posts through that port need no fence of their own. Their
     * receiver, which reads the flag before it parks, sleeps or fires a close handler, parks meanwhile for
     * {@link #POSTS_UNDER_WAY_PARK_NANOS} at most, and neither sleeps nor fires the close handler.
     *
     * @param flag the port's flag, set by the caller
     */
    public void holdPost(PaddedCounter flag) {
        local.holdPost(flag);
    }

    /**
     * Loop thread (or a stress test's thread standing in for it), after a callback: clears the posting flags its posts
     * set. The loop calls it after every callback; a batch of an inlet's messages counts as one.
     */
    public void releasePosts() {
        if (local.heldPosts != 0) {
            local.releasePosts();
        }
    }

    /**
     * Loop thread: a port leaves this loop while a post of the running callback holds its flag: clears it now.
     *
     * @param flag the port's flag
     */
    public void releasePost(PaddedCounter flag) {
        local.releasePost(flag);
    }

    /**
     * Loop thread: runs a batch of each inlet's work. The sweep runs from the last index down; a removal moves the last
     * inlet into the freed index, which is lower, so no inlet is skipped (one may run twice, which is harmless).
     *
     * @return how many callbacks ran
     */
    int pollInlets() {
        int n = 0;
        for (int i = inletCount - 1; i >= 0; i--) {
            if (i >= inletCount) { // a callback removed inlets meanwhile
                continue;
            }
            int ran = inlets[i].deliver(); // reads only the next slot of its queue, not the producer's index
            if (ran > 0) {
                n += ran;
                local.afterCallback(); // tasks its handlers submitted go to their pools as after any callback
            }
        }
        if (n > 0) {
            local.publish();
        }
        return n;
    }

    /**
     * Loop thread: an inlet found work and is about to run its first callback of the turn; the loop's idle period ends
     * here, before the work runs (for {@code utilization()}).
     */
    public void inletWorkArrived() {
        if (local.isIdle()) {
            local.endIdle(System.nanoTime());
        }
    }

    /**
     * Loop thread, before it parks: {@link Inlet#WORK} if an inlet has work, else {@link Inlet#POSTS_UNDER_WAY} if one
     * has posts under way, else {@link Inlet#IDLE}; volatile reads of what producers write.
     */
    private int inletsReadiness() {
        int readiness = Inlet.IDLE;
        for (int i = 0; i < inletCount; i++) {
            int r = inlets[i].readiness();
            if (r == Inlet.WORK) {
                return r;
            }
            if (r != Inlet.IDLE) {
                readiness = r;
            }
        }
        return readiness;
    }

    /**
     * Loop thread: whether an inlet has work; volatile reads of what producers write. Posts under way do not count: a
     * loop may end while a sender is still inside the callback that posted to it (that callback may be waiting for this
     * loop to end); what such a sender posts from then on is dropped with the rest of the port's queue, as for any port
     * of a loop that ends.
     */
    private boolean inletsReady() {
        return inletsReadiness() == Inlet.WORK;
    }

    /**
     * Loop thread (or a stress test standing in for it): one turn's work without timers: the inbox, then the inlets.
     *
     * @return how many items and callbacks ran
     */
    int runOnce() {
        int n = drainInbox();
        return inletCount == 0 ? n : n + pollInlets();
    }

    /**
     * Hands an item to the loop from any thread while it has not ended: a completion, a dependent, a timer change.
     *
     * @return {@code false} if the loop has ended; the caller then acts itself
     */
    boolean offer(Object item) {
        producers.getAndAdd(1); // volatile RMW before the state read: pairs with the loop's last check
        try {
            if (state == TERMINATED) {
                return false;
            }
            inbox.offer(item);
            return true;
        } finally {
            producers.getAndAdd(-1);
            waker.wake();
        }
    }

    /**
     * Worker (or deciding) thread: hands over the completion of a task this loop submitted. The task is registered, so
     * the loop cannot end before the completion arrives; no producer count is needed. A parked loop is woken only if
     * it must act now: its pool's queue is about to run dry (a few queued tasks per live worker, see
     * {@code PoolCore.ownerMustAct}), so the loop should submit more; it is closing; or the completion is young beside
     * those the loop's look period was set from (see {@link InboxPollSchedule}). Otherwise it stays parked (the workers keep
     * the cores) and collects the completions when it next looks, within {@value InboxPollSchedule#MAX_NANOS} ns, in one
     * batch: one wake-up for many completions instead of one each.
     */
    void deliverCompletion(TaskRecord record) {
        inbox.offer(record);
        int s = state; // after the offer: pairs with the loop's TERMINATED write before its last drain
        if (s == TERMINATED) {
            RecordAccess.completeOnOwner(
                    record); // the loop may have ended without this: complete here (a repeat is a no-op)
            return;
        }
        Waker k = waker;
        // After the offer: pairs with park. A loop asleep past its next timer's time is woken too, and every worker
        // that delivers meanwhile yields its core until the loop runs: the OS ends a timed park up to its timer slack
        // late (50 µs), and while busy workers hold the cores it queues the woken loop behind one of them, on either
        // core; with every delivering worker yielding, the loop's timers run about as late as the timer slack, not
        // several times later. Timers only: a look at completions is meant to wait for more.
        if (k.isAsleep()) {
            if (s != RUNNING
                    || RecordAccess.settler(record).ownerMustAct()
                    || k.isYoung(RecordAccess.submitNanos(record))) {
                k.wake();
            } else if (k.pastDue() && Thread.currentThread() instanceof TaskThread) {
                k.wake();
                Thread.yield();
            }
        }
    }

    /**
     * Runs {@code task} on the loop thread once {@code delayNanos} has passed.
     *
     * @param delayNanos zero or more
     * @param task what to run
     * @return the timer's handle
     * @throws RejectedExecutionException if the loop is closing or closed
     */
    public Cancellable schedule(long delayNanos, Runnable task) {
        long now = System.nanoTime();
        LoopTimers.Timer timer = new LoopTimers.Timer(this, now + Math.min(delayNanos, Long.MAX_VALUE / 4), task);
        if (Thread.currentThread() == thread) {
            if (state != RUNNING) {
                throw new RejectedExecutionException("event loop closing: loop=" + name
                        + "; a closing loop drops its timers, so it refuses new ones");
            }
            timers.add(timer);
        } else {
            offerIfRunning(timer);
        }
        return timer;
    }

    /**
     * Returns how many timers are scheduled and neither fired nor removed, as the loop last saw. Any thread.
     *
     * @return the count
     */
    public int pendingTimers() {
        return timers.countForReaders();
    }

    /**
     * A timer was cancelled (its task already dropped): its removal from the heap, at once on the loop thread, else
     * handed to the loop through its inbox. The offer wakes a parked loop, so an idle loop does not keep cancelled
     * timers until their deadline; a busy loop is not woken (it is not parked) and removes them in its next drain.
     */
    void timerCancelled(LoopTimers.Timer timer) {
        if (Thread.currentThread() == thread) {
            timers.remove(timer);
        } else {
            offer(timer); // false: the loop has ended and holds no timers
        }
    }

    /**
     * Returns the loop's idle and total time since it started, counting an idle period under way.
     *
     * @return {@code {idleNanos, totalNanos}}
     */
    public long[] idleAndTotal() {
        long now = System.nanoTime();
        long total = now - startNanos;
        return new long[] {Math.min(total, local.idleNanos(now)), total};
    }

    // ---- tasks submitted from this loop (loop thread only) ----

    /** Loop thread: the owner of tasks submitted from this loop. */
    public CompletionOwner owner() {
        return owner;
    }

    /**
     * Loop thread: before a pool admits a task from this loop: refuses if the loop has ended, and makes room to
     * register it (so that nothing can fail once the pool admitted it).
     */
    public void reserveSubmit() {
        if (state == TERMINATED || closeTimedOut) {
            throw new RejectedExecutionException("event loop closed: loop=" + name
                    + "; a loop that has ended cannot receive the completion of a task");
        }
        local.reserve();
    }

    /** Loop thread: a submit that reserved room failed before its pool admitted the task. */
    public void unreserveSubmit() {
        local.unreserve();
    }

    /** Loop thread: a pool admitted {@code record}; keep it for the hand-over and expect its completion. */
    public void register(TaskSink pool, TaskRecord record) {
        local.register(pool, record);
    }

    /**
     * Loop thread: a submit from this loop is over (its task admitted and registered); once the running callback has
     * submitted {@value LoopState#PUBLISH_TASKS} tasks, hands them to the workers without waiting for its return.
     */
    public void afterSubmit() {
        local.afterSubmit();
    }

    /** Loop thread (or any thread that may be one): hands the tasks the running callback submitted to the workers. */
    public static void publishPending() {
        LoopCore loop = current();
        if (loop != null) {
            loop.local.publish();
        }
    }

    // ---- close ----

    /**
     * Begins a graceful close with the default timeout; from another thread, waits until the loop has ended or the
     * timeout passed (then the loop has cancelled what it was owed).
     */
    public void close() {
        close(defaultCloseNanos);
    }

    /**
     * Begins a close whose outstanding tasks are cancelled after {@code timeoutNanos}; from another thread, waits until
     * the loop has ended, at most about that long.
     *
     * @param timeoutNanos zero or more
     * @throws IllegalStateException if called from a task this loop submitted (it would wait for itself), or if
     *     interrupted while waiting
     */
    public void close(long timeoutNanos) {
        if (Thread.currentThread() == thread) {
            beginClose(timeoutNanos);
            return;
        }
        TaskRecord running = Thread.currentThread() instanceof TaskThread t ? t.runningTask() : null;
        if (running != null && RecordAccess.owner(running) == owner) {
            throw new IllegalStateException("close() of an event loop from a task it submitted would wait for that"
                    + " task: loop=" + name + ", task=" + RecordAccess.taskName(running)
                    + "; close the loop from outside its tasks, or use closeAsync()");
        }
        long deadline = beginClose(timeoutNanos);
        try {
            long wait = deadline - System.nanoTime();
            if (!terminated.await(Math.max(0, wait) + STRAGGLER_NANOS * 2, TimeUnit.NANOSECONDS)) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "event loop did not end within its close timeout: loop=" + name + ", timeout="
                                + java.time.Duration.ofNanos(timeoutNanos)
                                + "; its thread is running a callback that does not return, and is left to it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing event loop: loop=" + name, e);
        }
    }

    /**
     * Begins a close and returns at once.
     *
     * @param timeoutNanos how long outstanding tasks may take before they are cancelled, or a negative value for the
     *     default
     * @return a future completed when the loop thread has ended; see {@link #onCallerLoop}
     */
    public CompletableFuture<Void> closeAsync(long timeoutNanos) {
        beginClose(timeoutNanos < 0 ? defaultCloseNanos : timeoutNanos);
        return onCallerLoop(termination);
    }

    /**
     * Returns {@code future} as the calling event loop should see it: a future whose dependents run on that loop (see
     * {@link OwnedFuture}); off a loop, {@code future} itself.
     *
     * @param future a future completed on some other thread
     * @param <T> the result type
     * @return the future to hand to the caller
     */
    public static <T> CompletableFuture<T> onCallerLoop(CompletableFuture<T> future) {
        LoopCore caller = current();
        if (caller == null) {
            return future;
        }
        LoopBoundFuture<T> bound = new LoopBoundFuture<>(caller.owner);
        future.whenComplete((value, failure) -> {
            if (failure == null) {
                bound.complete(value);
            } else {
                bound.completeExceptionally(failure);
            }
        });
        return bound;
    }

    /**
     * Returns a future completed when the loop thread has ended.
     *
     * @return the termination future
     */
    public CompletableFuture<Void> termination() {
        return termination;
    }

    long beginClose(long timeoutNanos) {
        long deadline = System.nanoTime() + Math.min(Math.max(0, timeoutNanos), Long.MAX_VALUE / 4);
        if (STATE.compareAndSet(this, RUNNING, CLOSING)) {
            closeTimeoutNanos = timeoutNanos;
        }
        while (true) { // the earliest deadline of every close call wins
            long current = closeDeadline;
            if (current - deadline <= 0 && current != Long.MAX_VALUE
                    || CLOSE_DEADLINE.compareAndSet(this, current, deadline)) {
                break;
            }
        }
        waker.wake();
        return closeDeadline;
    }

    // ---- the loop thread ----

    private void run() {
        idler.start();
        try {
            loop();
        } finally {
            releasePosts();
            idler.stop();
            timers.clear();
            state = TERMINATED;
            LIVE.remove(threadId, this);
            endBound();
            terminated.countDown();
            termination.complete(null);
        }
    }

    private void loop() {
        Idler.WorkSource hasWork = parkCheck;
        long stragglerDeadline = Long.MAX_VALUE;
        while (true) {
            int work = runOnce();
            LoopTimers.Timer first = timers.peek();
            if (first != null) {
                if (state != RUNNING) {
                    timers.clear(); // a closing loop drops its timers
                } else if (first.deadline - System.nanoTime() <= 0) {
                    local.endIdle(System.nanoTime()); // a due timer ends the idle period too
                    work += runDueTimers();
                }
            }
            releasePosts(); // each callback released its posts; this covers code that ran outside one (a close)
            if (state != RUNNING) { // checked on every pass: a loop that always has work still meets its deadline
                if (work == 0 && endIfDone()) {
                    return;
                }
                long now = System.nanoTime();
                if (!closeTimedOut && closeDeadline - now <= 0) {
                    cancelOutstanding();
                    stragglerDeadline = now + STRAGGLER_NANOS;
                    continue;
                }
                if (now - stragglerDeadline >= 0) {
                    // Past the deadline and the stragglers' grace: end. A completion delivered later completes its
                    // record where it is delivered (deliverCompletion); callbacks still queued run once more, and
                    // new ones are refused.
                    finalDrain();
                    return;
                }
            }
            if (work > 0) {
                idler.reset();
                looks.worked();
                continue;
            }
            if (endWhenUnreferenced && state == RUNNING && unreferenced()) {
                beginClose(defaultCloseNanos); // nothing can reach it any more: end, as Node's worker does
                continue;
            }
            if (idler.spinsOnly() && local.isIdle() && local.outstanding() == 0) {
                // A spin step between two clock checks, on a loop that waits for no pool: it cannot park, so it needs
                // no look time nor park deadline, and the turn reads no clock (which would be most of an empty turn's
                // cost, and a message from a port or another loop waits less for the next poll); the idle period
                // has started. A loop with tasks out keeps its look schedule up to date on every turn: without the
                // clock read its faster polling of the inbox slowed the pool's pipeline (1.26 of the time in 3
                // interleaved rounds, 0.92 to 1.28).
                idler.idle(hasWork, Long.MAX_VALUE);
                continue;
            }
            long now = System.nanoTime();
            if (!local.isIdle()) {
                local.startIdle(now);
            }
            // Workers leave a parked loop asleep while its completions are not urgent (see deliverCompletion): it looks
            // on its own, or a young completion wakes it (InboxPollSchedule).
            long lookAt = looks.idle(now, local.outstanding() > 0);
            long parkDeadline = parkDeadline(stragglerDeadline);
            waker.youngAfter(looks.youngAfter());
            waker.dueAt(state == RUNNING ? parkDeadline : Long.MAX_VALUE); // the next timer (see delivery)
            idler.idle(hasWork, earlier(parkDeadline, lookAt));
        }
    }

    /**
     * Loop thread, after it announced that it parks: whether it has work after all. Work is an item in the inbox, an
     * inlet ready, or, once closing, the chance to end or a deadline to act on: close() and the last producer wake the
     * loop after their volatile writes, and the loop re-checks both before it parks.
     */
    boolean hasWork() {
        if (!inbox.isEmpty()) {
            return true;
        }
        int inlets = inletsReadiness();
        if (inlets == Inlet.WORK
                || (state != RUNNING
                        && (canTerminate() || (!closeTimedOut && closeDeadline - System.nanoTime() <= 0)))) {
            return true;
        }
        local.postsUnderWay = inlets == Inlet.POSTS_UNDER_WAY; // parks, but looks again within a bound
        return false;
    }

    /**
     * What the loop checks before it parks ({@link #hasWork()}), and how long it may park: no longer than
     * {@link #POSTS_UNDER_WAY_PARK_NANOS} while a port's sender is still inside the callback that posted to it, since
     * that callback's later posts pass no fence and may miss the park (see {@link Inlet#POSTS_UNDER_WAY}).
     */
    final Idler.WorkSource parkCheck = new Idler.WorkSource() {
        @Override
        public boolean hasWork() {
            return LoopCore.this.hasWork();
        }

        @Override
        public long parkBoundNanos() {
            return local.postsUnderWay ? POSTS_UNDER_WAY_PARK_NANOS : Long.MAX_VALUE;
        }
    };

    /** Loop thread, ended: what lives on the loop hears it (a port closes its channel), each once. */
    private void endBound() {
        while (!bound.isEmpty()) {
            LoopBound resource = bound.iterator().next();
            bound.remove(resource);
            try {
                resource.loopEnded();
            } catch (Throwable t) {
                handleUncaught(t);
            }
        }
    }

    /** Loop thread: nothing refers to this loop; a callback, a timer or a completion would still reach it. */
    private boolean unreferenced() {
        return refs <= 0 && timers.peek() == null && local.outstanding() == 0 && inbox.isEmpty() && !inletsReady();
    }

    private static long earlier(long a, long b) {
        return a == Long.MAX_VALUE ? b : b == Long.MAX_VALUE || a - b <= 0 ? a : b;
    }

    /** Loop thread, closing: ends the loop if nothing is left to run or to wait for; returns whether it ended. */
    boolean endIfDone() {
        if (!canTerminate()) {
            return false;
        }
        finalDrain();
        return true;
    }

    private long parkDeadline(long stragglerDeadline) {
        if (state == RUNNING) {
            LoopTimers.Timer next = timers.peek();
            return next == null ? Long.MAX_VALUE : next.deadline;
        }
        return stragglerDeadline != Long.MAX_VALUE ? stragglerDeadline : closeDeadline;
    }

    private boolean canTerminate() {
        return local.outstanding() == 0 && producers.get() == 0 && inbox.isEmpty() && !inletsReady();
    }

    /** Ends the loop: TERMINATED first, then whatever producers that saw the loop running still hand over. */
    private void finalDrain() {
        local.endIdle(System.nanoTime());
        state = TERMINATED; // volatile write, then the volatile read of producers: pairs with offer()
        while (producers.get() != 0 || !inbox.isEmpty()) {
            if (runOnce() == 0) { // a port roused by a post before the end delivers, as a queued item runs
                Thread.onSpinWait();
            }
        }
    }

    private void cancelOutstanding() {
        closeTimedOut = true; // from now on callbacks cannot submit: nothing new is owed
        int n = 0;
        long timeout = closeTimeoutNanos;
        for (TaskRecord r : local.registered()) {
            if (r != null
                    && RecordAccess.stop(
                            r,
                            true,
                            null,
                            new CancellationException("event loop closed before the task completed: loop=" + name
                                    + ", closeTimeout=" + java.time.Duration.ofNanos(timeout) + ", task="
                                    + RecordAccess.taskName(r)),
                            TaskRecord.Outcome.CANCELLED)) {
                n++;
            }
        }
        if (n > 0) { // a loop past its deadline with no task out (a worker's, terminated) has nothing to report
            LOG.log(
                    System.Logger.Level.WARNING,
                    "event loop closed with tasks still running after its close timeout: loop=" + name + ", timeout="
                            + java.time.Duration.ofNanos(timeout) + ", cancelled=" + n
                            + "; their futures fail with CancellationException");
        }
    }

    int drainInbox() {
        int n = 0;
        Object item;
        // Relaxed: a producer descheduled in the middle of its offer is not waited for here (it may need this core);
        // the idle step re-checks the inbox, which counts that offer as pending work.
        while (n < DRAIN_BATCH && (item = inbox.relaxedPoll()) != null) {
            if (n++ == 0 && local.isIdle()) {
                // The idle period ends before the work runs (for utilization()): here, not at a peek at the turn's
                // start, which an item offered just after it would pass, and with it every item that the first
                // queues and this drain runs too.
                local.endIdle(System.nanoTime());
            }
            dispatch(item);
            local.afterCallback();
        }
        local.publish();
        return n;
    }

    private void dispatch(Object item) {
        if (item instanceof TaskRecord record) {
            long submitted = RecordAccess.submitNanos(record);
            if (submitted != 0) { // 0: ended before the loop handed it to its pool (cancelled, refused)
                looks.completed(submitted);
            }
            local.unregister(record);
            try {
                RecordAccess.completeOnOwner(record); // dependents run here, inside (OwnedFuture)
            } catch (Throwable t) {
                handleUncaught(t);
            }
        } else if (item instanceof LoopTimers.Timer timer) {
            if (timer.isPending() && state == RUNNING) {
                timers.add(timer);
            } else {
                timers.remove(timer);
            }
        } else {
            try {
                ((Runnable) item).run();
            } catch (Throwable t) {
                handleUncaught(t);
            }
        }
        Thread.interrupted(); // an interrupt a callback left set stays behind: never seen by the next one
    }

    private int runDueTimers() {
        long now = System.nanoTime();
        int n = 0;
        LoopTimers.Timer timer;
        while ((timer = timers.peek()) != null && timer.deadline - now <= 0) {
            timers.poll();
            if (timer.fire()) {
                n++;
                try {
                    timer.task().run();
                } catch (Throwable t) {
                    handleUncaught(t);
                }
                releasePosts();
                Thread.interrupted();
                local.publish();
            }
        }
        return n;
    }

    private void handleUncaught(Throwable t) {
        try {
            uncaughtHandler.accept(t);
        } catch (Throwable again) {
            LOG.log(System.Logger.Level.ERROR, "uncaught-exception handler failed on loop " + name, again);
        }
    }

    @Override
    public String toString() {
        int s = state;
        return "EventLoop[" + name + ", state=" + (s == RUNNING ? "running" : s == CLOSING ? "closing" : "closed")
                + "]";
    }

    /** The loop's platform thread; also how a caller finds its loop. */
    private static final class LoopThread extends Thread {
        private final LoopCore core;

        LoopThread(LoopCore core, String name, boolean daemon) {
            super(name);
            this.core = core;
            setDaemon(daemon);
        }

        @Override
        public void run() {
            core.run();
        }
    }
}
