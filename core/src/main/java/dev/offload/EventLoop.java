package dev.offload;

import dev.offload.internal.base.Durations;
import dev.offload.internal.loop.LoopCore;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One thread that runs callbacks, timers and task completions in order, like a Node.js event loop.
 *
 * <p>Tasks submitted to a {@link WorkerPool} from this loop's thread complete on this thread, and every dependent of
 * their futures ({@code thenApply}, {@code whenComplete}, … and the stages derived from them) runs on this thread,
 * however the future completes: with the task's result, or by {@code cancel}, {@code complete}, {@code orTimeout} or
 * {@code completeOnTimeout} on any other thread. So callbacks never need locks. Only methods given an executor run
 * elsewhere. Once the loop has ended, a dependent added or released later runs on the thread that adds or releases
 * it, as there is no loop left to run it. Blocking on such a future ({@code get()}, {@code get(timeout)},
 * {@code join()}) on this thread, before it is done, throws {@link IllegalStateException}: the loop completes it
 * only when it is free, so the wait could only end badly. Other threads hand work to the loop with
 * {@link #execute(Runnable)}.
 *
 * <p>Batching: a task submitted from a callback on this loop is accepted or refused at once, but handed to the
 * workers in batches: when the callback has submitted 8 (inside the submit of the 8th, so that the workers start on
 * a burst's first tasks while its callback still submits the rest), when the loop has run 16 callbacks since the
 * oldest was submitted, or when it has none left to run, whichever comes first, and always before the loop waits.
 * Closing a pool from the loop thread hands them over first. A callback must therefore not block waiting for a task
 * it submitted to start (no callback should block the loop anyway).
 *
 * <p>Completions while the workers hold the cores: a loop that has nothing to run parks, and a worker wakes it for a
 * completion only when the loop must act (its pool's queue is about to run dry, a timer of the loop is due, the loop
 * is closing, or the completion is much younger than those it collected last). Other completions wait for the loop's
 * own next look, which comes after about a quarter of the time its last completions took from submit (at least
 * 50 µs, at most 1 ms, plus the OS's timer slack), so that the loop collects them in batches instead of taking a
 * core from a worker for each. A completion's callback therefore runs up to about half its task's own time late, or
 * 50 µs, when every core is busy; an awake loop runs it at once.
 *
 * <p>What a callback leaves behind stays behind: the loop clears its thread's interrupt status after every callback,
 * timer and completion, and an exception goes to the uncaught-exception handler while the loop keeps running.
 *
 * <p>Threading: {@link #execute}, {@link #schedule}, the close methods and the queries may be called from any thread.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@link #execute(Runnable)} or {@link #schedule}
 * <i>happen-before</i> the runnable runs on the loop thread; actions of the loop thread before it ends
 * <i>happen-before</i> {@link #close()} returns and {@link #closeAsync()}'s stage completes.
 */
public final class EventLoop implements Executor, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    private final LoopCore core;

    private EventLoop(Builder builder, boolean endWhenUnreferenced) {
        IdleStrategy idle = builder.idleStrategy;
        this.core = new LoopCore(
                this,
                builder.name,
                builder.daemon,
                idle.spinNanos(),
                idle.yieldNanos(),
                saturatedNanos(builder.closeTimeout),
                builder.uncaughtHandler,
                true,
                endWhenUnreferenced);
    }

    /**
     * Starts a {@link Worker}'s loop: one that ends by itself once nothing refers to it (see
     * {@link LoopCore#ref()}), holding one reference until {@link LoopCore#unref()} on it.
     */
    static EventLoop startEndingWhenUnreferenced(Builder builder) {
        return new EventLoop(builder, true);
    }

    LoopCore core() {
        return core;
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
        LoopCore core = LoopCore.current();
        return core == null ? Optional.empty() : Optional.of((EventLoop) core.facade());
    }

    /**
     * Returns whether the calling thread is this loop's thread.
     *
     * @return {@code true} on this loop's thread
     */
    public boolean inEventLoop() {
        return core.inLoop();
    }

    /**
     * Returns the loop's thread id: unique in this JVM, from 1, how {@link Worker#postMessageToThread} reaches it. A
     * {@link Worker}'s {@link Worker#threadId()} is its loop's.
     *
     * @return the id
     */
    public int threadId() {
        return core.threadId();
    }

    /**
     * Returns the loop's name, also its thread's name.
     *
     * @return the name
     */
    public String name() {
        return core.name();
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
        core.execute(task);
    }

    /**
     * Runs {@code task} on the loop thread once {@code delay} has passed. Any thread. A cancel from any thread releases
     * the task at once; the timer itself leaves the loop's timer structure at once on the loop thread, and from another
     * thread as soon as the loop gets to the cancel (a parked loop is woken for it, a busy one after its running
     * callback). So cancelled timers hold no memory until their deadline.
     *
     * @param delay how long to wait, zero or more
     * @param task what to run
     * @return a handle that cancels the timer; timers still pending when the loop closes are dropped
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws RejectedExecutionException if the loop is closing or closed, from any thread (a closing loop drops its
     *     timers)
     */
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0: delay=" + delay);
        }
        return core.schedule(saturatedNanos(delay), task);
    }

    /**
     * Returns how many timers are waiting to fire. A cancelled timer leaves the count as soon as the loop has handled
     * the cancel (at once on the loop thread), not at its deadline. Any thread.
     *
     * @return the number of pending timers
     */
    public int pendingTimers() {
        return core.pendingTimers();
    }

    /**
     * Returns how busy the loop has been since it started, counting an idle period still under way; compare two
     * readings with {@link EventLoopUtilization#since}.
     *
     * @return idle time, active time and their ratio
     */
    public EventLoopUtilization utilization() {
        long[] idleAndTotal = core.idleAndTotal();
        return EventLoopUtilization.of(idleAndTotal[0], idleAndTotal[1] - idleAndTotal[0]);
    }

    /**
     * Returns whether a close has begun.
     *
     * @return {@code true} once closing or closed
     */
    public boolean isClosed() {
        return core.isClosed();
    }

    /**
     * Closes the loop gracefully, waiting at most the builder's {@link Builder#closeTimeout close timeout} (30 s by
     * default) for the tasks it submitted: see {@link #close(Duration)}.
     *
     * @throws IllegalStateException if interrupted while waiting, or if called from a task this loop submitted
     */
    @Override
    public void close() {
        core.close();
    }

    /**
     * Closes the loop: other threads can no longer hand it work; it runs what it was already given and the
     * completions of the tasks it submitted, drops pending timers, and ends its thread. Tasks it submitted that are
     * still outstanding when {@code timeout} has passed are cancelled (with interrupt), their futures fail with a
     * {@link java.util.concurrent.CancellationException} that says so, and a warning is logged. Any thread.
     *
     * <p>From another thread, returns once the loop thread has ended: within about {@code timeout}; if the loop thread
     * is stuck in a callback that never returns, it is left to it and a warning is logged. From the loop thread itself,
     * returns at once; the loop goes on running what it holds and waiting for what it is owed, as above, then ends.
     *
     * @param timeout how long the tasks the loop is owed may take, zero or more
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if interrupted while waiting (the loop still closes), or if called from a task
     *     this loop submitted (it would wait for itself; use {@link #closeAsync()})
     */
    public void close(Duration timeout) {
        core.close(checkedTimeout(timeout));
    }

    /**
     * Begins a close with the builder's close timeout and returns at once: for callers that must not block, such as
     * another event loop. Any thread.
     *
     * @return a stage completed once the loop thread has ended; its dependents run on the calling event loop if there
     *     is one, else on the thread that ends this loop
     */
    public CompletionStage<Void> closeAsync() {
        return core.closeAsync(-1);
    }

    /**
     * Begins a close and returns at once: see {@link #close(Duration)}.
     *
     * @param timeout how long the tasks the loop is owed may take, zero or more
     * @return a stage completed once the loop thread has ended
     */
    public CompletionStage<Void> closeAsync(Duration timeout) {
        return core.closeAsync(checkedTimeout(timeout));
    }

    /**
     * A builder's check that an option is set once: a second call is a mistake (two sources of configuration that
     * disagree), reported rather than resolved by the order of the calls.
     *
     * @throws IllegalStateException if the option was set before
     */
    static void requireUnset(boolean unset, String option, Object current) {
        if (!unset) {
            throw new IllegalStateException(
                    option + " was already set: " + option + "=" + current + "; fix: set each option once");
        }
    }

    /** A thread's name, checked: not null, not blank. */
    static String checkedName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank: name=\"" + name + "\"");
        }
        return name;
    }

    private static long checkedTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0: timeout=" + timeout);
        }
        return saturatedNanos(timeout);
    }

    static long saturatedNanos(Duration d) {
        return Durations.toNanos(d);
    }

    @Override
    public String toString() {
        return core.toString();
    }

    /**
     * Options of an {@link EventLoop}, each validated when set and set at most once (a second call throws
     * {@link IllegalStateException}, as {@link WorkerPool.Builder}'s do). Not thread-safe.
     */
    public static final class Builder {
        private String name = "offload-loop";
        private boolean daemon;
        private IdleStrategy idleStrategy = IdleStrategy.BALANCED;
        private Duration closeTimeout = Duration.ofSeconds(30);
        private Consumer<Throwable> uncaughtHandler =
                t -> LOG.log(System.Logger.Level.WARNING, "uncaught exception in event loop callback", t);
        private final Set<String> set = new HashSet<>(); // the options set, each at most once

        private Builder() {}

        private void once(String option, Object current) {
            requireUnset(set.add(option), option, current);
        }

        /**
         * Sets the loop's name and thread name.
         *
         * @param name a non-blank name
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder name(String name) {
            String checked = checkedName(name);
            once("name", this.name);
            this.name = checked;
            return this;
        }

        /**
         * Sets whether the loop thread is a daemon thread (default {@code false}).
         *
         * @param daemon {@code true} for a daemon thread
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            once("daemon", this.daemon);
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
            Objects.requireNonNull(idleStrategy, "idleStrategy");
            once("idleStrategy", this.idleStrategy);
            this.idleStrategy = idleStrategy;
            return this;
        }

        /**
         * Sets how long {@link #close()} and {@link #closeAsync()} wait for the tasks the loop submitted before they
         * cancel them (default 30 s).
         *
         * @param closeTimeout zero or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder closeTimeout(Duration closeTimeout) {
            checkedTimeout(closeTimeout);
            once("closeTimeout", this.closeTimeout);
            this.closeTimeout = closeTimeout;
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
            Objects.requireNonNull(handler, "handler");
            once("onUncaughtException", this.uncaughtHandler);
            this.uncaughtHandler = handler;
            return this;
        }

        /**
         * Starts the loop's thread.
         *
         * @return the running loop
         */
        public EventLoop start() {
            return new EventLoop(this, false);
        }
    }
}
