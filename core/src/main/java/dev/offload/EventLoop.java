package dev.offload;

import dev.offload.internal.Idler;
import dev.offload.internal.LoopCompletion;
import dev.offload.internal.LoopState;
import dev.offload.internal.PoolCore;
import dev.offload.internal.TaskRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jctools.queues.varhandle.MpscUnboundedVarHandleArrayQueue;

/**
 * One thread that runs callbacks, timers and task completions in order, like a Node.js event loop.
 *
 * <p>Tasks submitted to a {@link WorkerPool} from this loop's thread complete on this thread: their callbacks never
 * need locks. Other threads hand work to the loop with {@link #execute(Runnable)}.
 *
 * <p>Batching: a task submitted from a callback on this loop is accepted or refused at once, but handed to the
 * workers once the loop has run up to 16 callbacks or has none left to run, whichever comes first, and before the
 * loop waits. A worker then never takes a task while the callback that submitted it is still attaching to its
 * future, and workers take tasks in batches. Closing a pool from the loop thread hands them over first. A callback
 * must therefore not block waiting for a task it submitted to start (no callback should block the loop anyway).
 *
 * <p>Threading: {@link #execute}, {@link #schedule}, {@link #close} and the queries may be called from any thread.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@link #execute(Runnable)} or {@link #schedule}
 * <i>happen-before</i> the runnable runs on the loop thread.
 */
public final class EventLoop implements Executor, AutoCloseable {
    /*
     * Overview: an MPSC inbox (JCTools, VarHandle based) of runnables; a timer heap owned by the loop thread; an
     * idle strategy that spins, yields, then parks until a producer wakes it or the next timer is due; a list of
     * tasks that callbacks submitted and that are not yet published to their pools' queues (see the class javadoc:
     * publishing right away measured 3x slower on a no-op pipeline in about a third of runs, when the worker kept up
     * with the loop and the two threads wrote the same records and queue slots at the same time).
     *
     * Close: RUNNING -> CLOSING (execute from other threads is refused) -> TERMINATED. The loop ends once the inbox
     * is empty, no execute() from another thread is between its state check and its offer (producers == 0), and no
     * completion of a task submitted from this loop is still expected (pendingCompletions == 0).
     */
    private static final int RUNNING = 0;
    private static final int CLOSING = 1;
    private static final int TERMINATED = 2;
    private static final int DRAIN_BATCH = 4096;

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final VarHandle STATE;
    private static final VarHandle PRODUCERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(EventLoop.class, "state", int.class);
            PRODUCERS = lookup.findVarHandle(EventLoop.class, "producers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final MpscUnboundedVarHandleArrayQueue<Runnable> inbox = new MpscUnboundedVarHandleArrayQueue<>(1024);
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Consumer<Throwable> uncaughtHandler;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final LoopThread thread;
    private final Idler idler;
    private final long startNanos;
    private final LoopOwner owner;

    private volatile int state;
    private volatile int producers;
    private long timerSeq; // loop thread only
    private final LoopState local = new LoopState(); // what the loop writes per callback, on its own cache lines

    private EventLoop(Builder builder) {
        this.name = builder.name;
        this.uncaughtHandler = builder.uncaughtHandler;
        this.thread = new LoopThread(this, builder.name, builder.daemon);
        IdleStrategy idle = builder.idleStrategy;
        this.idler = new Idler(thread, idle.spinNanos(), idle.yieldNanos());
        this.owner = new LoopOwner(this, inbox, idler.waker());
        this.startNanos = System.nanoTime();
        thread.start();
    }

    /**
     * Starts an event loop on a new non-daemon platform thread with the {@link IdleStrategy#BALANCED} strategy.
     *
     * @param name the thread's name
     * @return the running loop
     */
    public static EventLoop start(String name) {
        return builder().name(name).start();
    }

    /**
     * Returns a builder for an event loop.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the event loop whose thread is calling, if any.
     *
     * @return the current loop, or empty when not called from an event loop thread
     */
    public static Optional<EventLoop> current() {
        return Optional.ofNullable(currentOrNull());
    }

    static EventLoop currentOrNull() {
        return Thread.currentThread() instanceof LoopThread t ? t.loop : null;
    }

    /**
     * Returns whether the calling thread is this loop's thread.
     *
     * @return {@code true} on this loop's thread
     */
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Returns the loop's name, also its thread's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Runs {@code task} on the loop thread, after what was handed to it before. Any thread.
     *
     * @param task what to run; an exception it throws goes to the loop's uncaught-exception handler
     * @throws RejectedExecutionException if the loop is closing or closed (from another thread)
     * @throws NullPointerException if {@code task} is null
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (Thread.currentThread() == thread) {
            inbox.offer(task); // the loop cannot terminate while it runs this caller
            return;
        }
        PRODUCERS.getAndAdd(this, 1); // volatile RMW before the state read: pairs with the loop's exit check
        try {
            if (state != RUNNING) {
                throw new RejectedExecutionException("event loop closed: name=" + name);
            }
            inbox.offer(task);
        } finally {
            PRODUCERS.getAndAdd(this, -1);
            idler.wake(); // after the decrement: a closing loop parked on producers != 0 re-checks
        }
    }

    /**
     * Runs {@code task} on the loop thread once {@code delay} has passed. Any thread.
     *
     * @param delay how long to wait, zero or more
     * @param task what to run
     * @return a handle that cancels the timer; timers still pending when the loop closes are dropped
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws RejectedExecutionException if the loop is closing or closed (from another thread)
     */
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0: delay=" + delay);
        }
        Timer timer = new Timer(System.nanoTime() + saturatedNanos(delay), task);
        if (inEventLoop()) {
            addTimer(timer);
        } else {
            execute(() -> addTimer(timer));
        }
        return timer;
    }

    /**
     * Returns how busy the loop has been since it started; compare two readings with
     * {@link EventLoopUtilization#since}.
     *
     * @return idle time, active time and their ratio
     */
    public EventLoopUtilization utilization() {
        long total = System.nanoTime() - startNanos;
        long idle = Math.min(total, local.idleNanos());
        return EventLoopUtilization.of(idle, total - idle);
    }

    /**
     * Returns whether {@link #close()} has been called.
     *
     * @return {@code true} once closing or closed
     */
    public boolean isClosed() {
        return state != RUNNING;
    }

    /**
     * Closes the loop gracefully: other threads can no longer hand it work; it runs what it was already given and the
     * completions of tasks it submitted that are still to come, drops pending timers, and ends its thread. Any thread.
     *
     * <p>From another thread, returns once the loop thread has ended. From the loop thread itself, returns at once
     * and the loop ends after the current callback.
     *
     * @throws IllegalStateException if interrupted while waiting; the loop still closes
     */
    @Override
    public void close() {
        STATE.compareAndSet(this, RUNNING, CLOSING);
        idler.wake();
        if (inEventLoop()) {
            return;
        }
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing event loop: name=" + name, e);
        }
    }

    /**
     * A completion of a task submitted from this loop will come. Loop thread only.
     *
     * @return the owner that delivers completions to this loop
     */
    LoopOwner expectCompletion() {
        local.expectCompletion();
        return owner;
    }

    /** A completion announced by {@link #expectCompletion()} will not come after all (the submit failed). */
    void cancelExpectedCompletion() {
        local.completionDone();
    }

    /**
     * Loop thread: a task the running callback submitted was admitted; it is published after at most
     * {@value LoopState#PUBLISH_BATCH} callbacks or when the inbox is empty (see the class javadoc). It counts in
     * {@code pendingCompletions}, so the loop does not end before publishing it.
     */
    void publishAfterCallback(PoolCore pool, TaskRecord record) {
        local.keep(pool, record);
    }

    /** Any thread: if it is an event loop's, hands the tasks its running callback submitted to the workers now. */
    static void publishPending() {
        EventLoop loop = currentOrNull();
        if (loop != null) {
            loop.local.publish();
        }
    }

    private void runLoop() {
        idler.start();
        try {
            loop();
        } finally {
            idler.stop();
            timers.clear();
            state = TERMINATED;
            terminated.countDown();
        }
    }

    private void loop() {
        // Work is an item in the inbox, or, once closing, the chance to end: close() and the last producer wake the
        // loop after their volatile writes, and the loop re-checks both before it parks.
        Idler.WorkSource hasWork = () -> !inbox.isEmpty() || (state != RUNNING && canTerminate());
        long idleStart = 0;
        boolean idle = false;
        while (true) {
            // The idle period ends when work arrives, before the work runs. Peeking reads only the next slot, not the
            // producers' index, which the workers write on every completion.
            if (idle && inbox.relaxedPeek() != null) {
                idle = endIdle(idleStart);
            }
            int work = drainInbox();
            Timer first = timers.peek();
            if (first != null && first.deadline - System.nanoTime() <= 0) {
                if (idle) { // a due timer ends the idle period too
                    idle = endIdle(idleStart);
                }
                work += runDueTimers();
            }
            if (work > 0) {
                idle = false;
                idler.reset();
                continue;
            }
            if (state != RUNNING && canTerminate()) {
                break;
            }
            if (!idle) {
                idle = true;
                idleStart = System.nanoTime();
            }
            Timer next = state == RUNNING ? timers.peek() : null;
            idler.idle(hasWork, next == null ? Long.MAX_VALUE : next.deadline);
        }
    }

    /** Loop thread only: adds the idle period that began at {@code idleStart}; returns the new idle flag. */
    private boolean endIdle(long idleStart) {
        local.addIdle(System.nanoTime() - idleStart);
        return false;
    }

    private boolean canTerminate() {
        return local.pendingCompletions() == 0 && producers == 0 && inbox.isEmpty();
    }

    private int drainInbox() {
        int n = 0;
        Runnable task;
        // Relaxed: a producer descheduled in the middle of its offer is not waited for here (it may need this core);
        // the idle step re-checks the inbox, which counts that offer as pending work.
        while (n < DRAIN_BATCH && (task = inbox.relaxedPoll()) != null) {
            n++;
            if (task instanceof LoopCompletion) {
                local.completionDone();
            }
            runSafely(task);
            local.afterCallback();
        }
        local.publish();
        return n;
    }

    private int runDueTimers() {
        if (state != RUNNING) {
            timers.clear();
            return 0;
        }
        long now = System.nanoTime();
        int n = 0;
        Timer timer;
        while ((timer = timers.peek()) != null && timer.deadline - now <= 0) {
            timers.poll();
            if (timer.fire()) {
                n++;
                runSafely(timer.task);
                local.publish();
            }
        }
        return n;
    }

    private void addTimer(Timer timer) {
        if (!timer.isCancelled()) {
            timer.seq = timerSeq++;
            timers.add(timer);
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            try {
                uncaughtHandler.accept(t);
            } catch (Throwable again) {
                LOG.log(System.Logger.Level.ERROR, "uncaught-exception handler failed on loop " + name, again);
            }
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + name + ", state="
                + (state == RUNNING ? "running" : state == CLOSING ? "closing" : "closed") + "]";
    }

    /** Options of an {@link EventLoop}; each set once, validated at once. Not thread-safe. */
    public static final class Builder {
        private String name = "offload-loop";
        private boolean daemon;
        private IdleStrategy idleStrategy = IdleStrategy.BALANCED;
        private Consumer<Throwable> uncaughtHandler =
                t -> LOG.log(System.Logger.Level.WARNING, "uncaught exception in event loop callback", t);

        private Builder() {}

        /**
         * Sets the loop's name and thread name.
         *
         * @param name a non-blank name
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank: name=\"" + name + "\"");
            }
            this.name = name;
            return this;
        }

        /**
         * Sets whether the loop thread is a daemon thread (default {@code false}).
         *
         * @param daemon {@code true} for a daemon thread
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * Sets how the loop waits when it has nothing to do (default {@link IdleStrategy#BALANCED}).
         *
         * @param idleStrategy the strategy
         * @return this builder
         */
        public Builder idleStrategy(IdleStrategy idleStrategy) {
            this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
            return this;
        }

        /**
         * Sets what receives an exception thrown by a callback; the loop keeps running. Called on the loop thread.
         * The default logs it at {@code WARNING} through {@link System.Logger}.
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder onUncaughtException(Consumer<Throwable> handler) {
            this.uncaughtHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Starts the loop's thread.
         *
         * @return the running loop
         */
        public EventLoop start() {
            return new EventLoop(this);
        }
    }

    private static final class LoopThread extends Thread {
        private final EventLoop loop;

        LoopThread(EventLoop loop, String name, boolean daemon) {
            super(name);
            this.loop = loop;
            setDaemon(daemon);
        }

        @Override
        public void run() {
            loop.runLoop();
        }
    }

    private static final class Timer implements Cancellable, Comparable<Timer> {
        private static final VarHandle TIMER_STATE;

        static {
            try {
                TIMER_STATE = MethodHandles.lookup().findVarHandle(Timer.class, "timerState", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final long deadline;
        private final Runnable task;
        private long seq;
        private volatile int timerState; // 0 pending, 1 fired, 2 cancelled

        Timer(long deadline, Runnable task) {
            this.deadline = deadline;
            this.task = task;
        }

        boolean fire() {
            return TIMER_STATE.compareAndSet(this, 0, 1);
        }

        @Override
        public boolean cancel() {
            return TIMER_STATE.compareAndSet(this, 0, 2);
        }

        @Override
        public boolean isCancelled() {
            return timerState == 2;
        }

        @Override
        public int compareTo(Timer other) {
            int byTime = Long.compare(deadline - other.deadline, 0);
            return byTime != 0 ? byTime : Long.compare(seq, other.seq);
        }
    }
}
