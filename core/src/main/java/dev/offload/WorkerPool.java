package dev.offload;

import dev.offload.internal.clone.Sendables;
import dev.offload.internal.control.PoolConfig;
import dev.offload.internal.pool.PoolCore;
import dev.offload.internal.task.CompletionOwner;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A pool of worker threads that runs CPU-heavy {@link Task}s handed to it by event loops and other threads, like
 * Piscina for Node.js, supervised like PM2.
 *
 * <p>A task submitted from an {@link EventLoop}'s thread completes on that loop's thread, and its future's dependents
 * run there whatever completes it (see {@link EventLoop}); from any other thread, it completes on the executor given
 * in {@link TaskOptions} or to {@link Builder#completionExecutor}, else on the worker thread. Every worker takes tasks
 * from one shared queue, so a long task never holds short ones queued while another worker is idle. Inputs and
 * outputs cross as {@link Isolation} says.
 *
 * <p>Every task that {@code submit} accepts completes exactly once: with its value, its exception (also
 * {@link TaskTimeoutException}, {@link WorkerCrashedException}, {@link PoolFailedException}), cancelled, or rejected
 * when an event loop could not hand it over. Nothing is lost: {@link PoolStats} counts each outcome. Whatever a task
 * leaves behind stays behind: its interrupt status is cleared before the next task, and an {@link Error} fails only
 * that task, except a {@link VirtualMachineError}, which ends the worker (its thread is in doubt) and has it replaced.
 *
 * <p>Supervision: one supervisor thread per pool starts workers (a submitting thread never does), replaces crashed
 * ones (a crash a task caused at once; a worker that cannot live with the {@link RestartPolicy}'s backoff, past whose
 * limit the pool is {@link PoolState#FAILED} until {@link #reset()}), enforces time limits, reports blocked tasks,
 * abandons workers whose tasks ignore a stop past the grace period, recycles workers, and carries out close. A task
 * can also be cancelled by an {@link AbortSignal} shared by many tasks.
 *
 * <p>Close: {@link #close()} finishes everything accepted; {@link #closeAfterRunning()} finishes what runs and
 * cancels what waits; {@link #closeNow()} cancels everything, running tasks with interrupt; {@link #close(Duration)}
 * is graceful with a deadline, by which it returns with the pool {@link PoolState#CLOSED}. Every close is bounded
 * except {@link #close()} and {@link #closeAfterRunning()}, which wait for the tasks they let finish.
 *
 * <p>Map of this file: the pool's methods (create, submit, drain, stats, lifecycle, close), then its {@link Builder},
 * whose length is the javadoc of each option.
 *
 * <p>Threading: all methods may be called from any thread; {@code submit} never blocks (a full queue is refused at
 * once). Tasks submitted from an event loop's callbacks reach the workers in small batches: see {@link EventLoop}.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@code submit} <i>happen-before</i> the task runs; the
 * task's actions <i>happen-before</i> its future completes and so before the callbacks that the completion runs, on
 * the owner's thread.
 */
public final class WorkerPool implements AutoCloseable {
    private final PoolCore core;
    private final boolean trusted;

    private WorkerPool(PoolConfig config) {
        this.core = new PoolCore(config);
        this.trusted = config.trusted();
    }

    /**
     * Creates a pool of exactly {@code workers} workers, all started at once, with default options.
     *
     * @param workers the number of workers, at least 1
     * @return the running pool
     * @throws IllegalArgumentException if {@code workers} is less than 1
     */
    public static WorkerPool create(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1: workers=" + workers
                    + "; for a pool that starts empty and grows, use builder().minWorkers(0).maxWorkers(n)");
        }
        return builder().minWorkers(workers).maxWorkers(workers).build();
    }

    /**
     * Returns a builder for a pool.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Submits a task with default options.
     *
     * @param task the task; it may capture only immutable values
     * @param input the input, may be null
     * @param <I> the input type
     * @param <O> the output type
     * @return the future of the output; {@code cancel(true)} cancels the task
     * @throws NotSendableException if the task captures, or the input holds, a value that may not cross threads
     * @throws RejectedExecutionException if the queue is full or the pool is closed or failed
     *     ({@link PoolFailedException})
     */
    public <I, O> CompletableFuture<O> submit(Task<I, O> task, I input) {
        return submit(task, input, TaskOptions.DEFAULT);
    }

    /**
     * Submits a task.
     *
     * <p>A submit that throws changes none of its inputs: a {@link dev.offload.shm.TransferableBuffer} in a refused or
     * failed submit stays attached to the caller.
     *
     * @param task the task; it may capture only immutable values
     * @param input the input, may be null
     * @param options priority, completion executor and time limits
     * @param <I> the input type
     * @param <O> the output type
     * @return the future of the output; {@code cancel(true)} cancels the task
     * @throws NotSendableException if the task captures, or the input holds, a value that may not cross threads
     * @throws RejectedExecutionException if the queue is full or the pool is closed or failed
     *     ({@link PoolFailedException})
     */
    public <I, O> CompletableFuture<O> submit(Task<I, O> task, I input, TaskOptions options) {
        Objects.requireNonNull(task, "task");
        return enqueue(task, input, options);
    }

    /**
     * Submits a task that takes no input, such as {@code () -> compute()}.
     *
     * @param task the task; it may capture only immutable values
     * @param <O> the output type
     * @return the future of the output
     * @throws NotSendableException if the task captures a value that may not cross threads
     * @throws RejectedExecutionException if the queue is full or the pool is closed or failed
     */
    public <O> CompletableFuture<O> submit(Callable<O> task) {
        Objects.requireNonNull(task, "task");
        if (!trusted) {
            Sendables.checkTask(task);
        }
        return enqueueChecked(new CallableTask<>(task), null, TaskOptions.DEFAULT);
    }

    /**
     * Returns a publisher of the values {@code task} emits, as a stream of results: the task starts on a worker when
     * a subscriber subscribes (one subscriber; a second gets {@code onError}), and each value reaches the subscriber
     * where a task's future completes: on the event loop that subscribed, in order, then {@code onComplete} when the
     * task returns or {@code onError} with what it threw. Demand reaches back to the worker: {@link
     * StreamTask.Emitter#emit} waits until the subscriber requested another value, so the values in flight never
     * exceed what was requested. Cancelling the subscription cancels the task (its emit throws
     * {@link java.util.concurrent.CancellationException}), and nothing more is signalled; the pool then keeps no
     * reference to the subscriber. A subscriber whose {@code onSubscribe} or {@code onNext} throws is cancelled the
     * same way (Reactive Streams rule 2.13), and the throw goes on to the caller: on an event loop, its handler of
     * uncaught exceptions. A subscriber that stops requesting without cancelling holds the task's worker,
     * waiting in {@code emit}, until it requests or cancels; a graceful {@link #close()} waits for it too
     * ({@link #close(Duration)} bounds that). {@code request(n)} with {@code n <= 0} ends the stream with an
     * {@link IllegalArgumentException}, delivered where the values are, after them (the task's next {@code emit}
     * throws, and its end delivers the error). The Reactive Streams TCK's publisher rules hold, with the stream
     * subscribed on an event loop or off one; {@code request} and {@code cancel} may be called from any thread.
     *
     * @param task the task; it may capture only immutable values
     * @param input the input, may be null
     * @param <I> the input type
     * @param <T> the type of the values
     * @return the publisher; subscribe to it on an event loop to get the values there
     * @throws NotSendableException if the task captures a value that may not cross threads
     */
    public <I, T> Flow.Publisher<T> stream(StreamTask<I, T> task, I input) {
        Objects.requireNonNull(task, "task");
        if (!trusted) {
            Sendables.checkTask(task);
        }
        TaskStream.Demand demand = new TaskStream.Demand(core.config().spinNanos());
        @SuppressWarnings("unchecked")
        StreamTask<I, Object> raw = (StreamTask<I, Object>) (StreamTask<I, ?>) task;
        return new TaskStream<>(options -> enqueueChecked(new StreamRun<>(raw, demand), input, options), demand);
    }

    /** The task a stream submits: runs the user's stream task with the subscription's demand as its emitter. */
    private record StreamRun<I>(StreamTask<I, Object> task, TaskStream.Demand demand) implements Task<I, Object> {
        @Override
        public Object run(I input) throws Exception {
            task.run(input, demand);
            return null;
        }
    }

    /**
     * Submits a task that finishes asynchronously; while it is pending its worker may start others, up to
     * {@link Builder#tasksPerWorker}.
     *
     * @param task the task; it may capture only immutable values
     * @param input the input, may be null
     * @param <I> the input type
     * @param <O> the output type
     * @return the future of the output
     * @throws NotSendableException if the task captures, or the input holds, a value that may not cross threads
     * @throws RejectedExecutionException if the queue is full or the pool is closed or failed
     */
    public <I, O> CompletableFuture<O> submitAsync(AsyncTask<I, O> task, I input) {
        return submitAsync(task, input, TaskOptions.DEFAULT);
    }

    /**
     * Submits a task that finishes asynchronously, with options; a time limit counts from when its worker starts it
     * until its stage completes, and a task past it is failed and frees its worker's slot at once.
     *
     * @param task the task; it may capture only immutable values
     * @param input the input, may be null
     * @param options priority, completion executor and time limits
     * @param <I> the input type
     * @param <O> the output type
     * @return the future of the output
     * @throws NotSendableException if the task captures, or the input holds, a value that may not cross threads
     * @throws RejectedExecutionException if the queue is full or the pool is closed or failed
     */
    public <I, O> CompletableFuture<O> submitAsync(AsyncTask<I, O> task, I input, TaskOptions options) {
        Objects.requireNonNull(task, "task");
        return enqueue(task, input, options);
    }

    private <O> CompletableFuture<O> enqueue(Object task, Object input, TaskOptions options) {
        if (!trusted) {
            Sendables.checkTask(task);
        }
        return enqueueChecked(task, input, options);
    }

    @SuppressWarnings("unchecked")
    private <O> CompletableFuture<O> enqueueChecked(Object task, Object input, TaskOptions options) {
        Objects.requireNonNull(options, "options");
        AbortSignal signal = options.signal();
        if (signal == null) {
            return (CompletableFuture<O>) (CompletableFuture<?>) core.submit(task, input, options);
        }
        signal.checkNotAborted(name()); // before anything is prepared or moved
        CompletableFuture<O> future = (CompletableFuture<O>) (CompletableFuture<?>) core.submit(task, input, options);
        signal.track(future, PoolCore::abort);
        return future;
    }

    /**
     * Returns whether the queue is full, so that a submit would be refused now. Piscina's {@code needsDrain}. With
     * {@code maxQueue(0)}: whether no worker is free. One exception, with the default {@link TaskQueue#fifo(int)} queue: a
     * task cancelled while it waits leaves the count at once but keeps its slot in the queue's array until a worker
     * polls it, and the array has room for {@code maxQueue} live tasks and as many cancelled ones; so after more than
     * {@code maxQueue} cancels of waiting tasks while every worker is busy, a submit can be refused (its message says
     * why) while this returns {@code false}. {@link TaskQueue#priority(int)} removes a cancelled task at once.
     *
     * @return {@code true} if full
     */
    public boolean needsDrain() {
        return core.needsDrain();
    }

    /**
     * Sets what runs each time the queue, having been full, drains to half of {@code maxQueue}: the moment to resume
     * submitting (with {@code maxQueue(0)}: each time a worker becomes free after a refused submit, or after
     * {@link #needsDrain()} said none was). Registered from an event loop, it runs on that loop; otherwise on the thread whose step drained the
     * queue (a worker taking a task, a submitting or cancelling thread, an event loop handing tasks over), or on a
     * thread of its own when the pool's supervisor drained it, so it must only hand off. Replaces an earlier
     * listener.
     *
     * @param listener the listener
     */
    public void onDrain(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        Optional<EventLoop> loop = EventLoop.current();
        core.onDrain(loop.isEmpty() ? listener : () -> loop.get().execute(listener));
    }

    /**
     * Reads the pool's counters, queue, workers, state and latency histograms. Never blocks the caller for long: it
     * takes a lock that only statistics and worker start and end take.
     *
     * @return a snapshot
     */
    public PoolStats stats() {
        return core.stats();
    }

    /**
     * Returns the pool's state.
     *
     * @return the state
     */
    public PoolState state() {
        return core.publicState();
    }

    /**
     * Returns the pool's name.
     *
     * @return the name
     */
    public String name() {
        return core.config().name();
    }

    /**
     * Returns whether a close has begun.
     *
     * @return {@code true} once draining or closed
     */
    public boolean isClosed() {
        return core.isShutdown();
    }

    /**
     * Puts a {@link PoolState#FAILED FAILED} pool back to {@code RUNNING}: the restart backoff starts over and the pool
     * starts its {@code minWorkers} again. Does nothing in any other state. Any thread; the supervisor makes the change
     * (between two of its drains of the failed pool's queue, so no task submitted afterwards is failed by an earlier
     * drain), and this returns once it has, which takes moments.
     *
     * @throws IllegalStateException if interrupted while waiting, or if the supervisor does not answer within 10 s
     */
    public void reset() {
        core.resetFailed();
    }

    /**
     * Replaces every worker, one at a time, like PM2's reload: each gets a replacement that starts first, then retires
     * after its current task. No task fails and capacity never drops below what it was. Any thread; returns at once.
     */
    public void recycleWorkers() {
        core.recycleWorkers();
    }

    /**
     * Closes gracefully: refuses new tasks, runs every task already accepted, and returns once every worker thread
     * has ended (from a {@link PoolListener} on the supervisor thread: begins the close and returns at once). A task
     * that never ends holds it forever (the watchdog reports it); use {@link #close(Duration)} for a bound. Any thread
     * but the pool's own workers.
     *
     * @throws IllegalStateException if called from a worker thread of this pool, or if interrupted
     */
    @Override
    public void close() {
        core.close(false, -1);
    }

    /**
     * Closes gracefully, but returns by {@code timeout}: for the last part of it (the
     * {@link Builder#cancelGracePeriod grace period}, at most half of {@code timeout}) the close is forced as
     * {@link #closeNow()} does, and workers still running a task at the deadline are abandoned and reported. When it
     * returns, the pool is {@link PoolState#CLOSED}: nothing slow stands between the deadline and that state (the
     * stacks of the abandoned workers, their {@link PoolEvent.WorkerAbandoned} events, the change to {@code CLOSED}
     * and their log lines are reported after it, on the supervisor thread). Only a supervisor thread that the machine
     * does not run for a long time can make it late; past 100 ms after the deadline it returns anyway and logs that
     * the close goes on in the background.
     *
     * @param timeout zero or more
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if called from a worker thread of this pool, or if interrupted
     */
    public void close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0: timeout=" + timeout);
        }
        core.close(false, EventLoop.saturatedNanos(timeout));
    }

    /**
     * Closes at once: refuses new tasks; queued tasks are cancelled (their futures fail with
     * {@link java.util.concurrent.CancellationException}); running tasks are cancelled with interrupt, and pending
     * {@link AsyncTask}s (whose worker is not running them) are cancelled; stop hooks run; a worker that does not
     * leave its task within the {@link Builder#cancelGracePeriod grace period} is abandoned. Returns once every worker
     * thread has ended or was abandoned. Called from a {@link PoolListener} on the pool's supervisor thread, it begins
     * the close and returns at once (waiting there would wait for itself).
     *
     * @throws IllegalStateException if called from a worker thread of this pool, or if interrupted
     */
    public void closeNow() {
        core.close(true, -1);
    }

    /**
     * Closes once the running tasks have finished, dropping what waits, like Piscina's {@code close({ force: true })}:
     * refuses new tasks; queued tasks are cancelled unrun (their futures fail with
     * {@link java.util.concurrent.CancellationException}, counted as cancelled), also those an event loop hands over
     * afterwards; running tasks and pending {@link AsyncTask}s finish with their own outcomes, not interrupted. Returns
     * once every worker thread has ended. A running task that never ends holds it forever, as with {@link #close()};
     * a later {@link #close(Duration)} or {@link #closeNow()} from another thread bounds it. Called from a
     * {@link PoolListener} on the pool's supervisor thread, it begins the close and returns at once.
     *
     * @throws IllegalStateException if called from a worker thread of this pool, or if interrupted
     */
    public void closeAfterRunning() {
        core.closeAfterRunning();
    }

    /**
     * Begins a graceful close and returns at once: for callers that must not block, such as an event loop.
     *
     * @return a stage completed once the pool is closed; its dependents run on the calling event loop if there is
     *     one, else on the pool's supervisor thread
     */
    public CompletionStage<Void> closeAsync() {
        return core.closeAsync();
    }

    @Override
    public String toString() {
        return "WorkerPool[" + name() + ", " + state() + "]";
    }

    private record CallableTask<O>(Callable<O> callable) implements Task<Object, O> {
        @Override
        public O run(Object input) throws Exception {
            return callable.call();
        }
    }

    /** Options of a {@link WorkerPool}; each set at most once and validated at once. Not thread-safe. */
    public static final class Builder {
        /** The largest {@code maxQueue}: the FIFO queue preallocates room for twice the bound. */
        public static final int MAX_QUEUE_LIMIT = 1 << 22;

        private static final int UNSET = -1;

        private String name;
        private int minWorkers = UNSET;
        private int maxWorkers = UNSET;
        private int maxQueue = UNSET;
        private int tasksPerWorker = UNSET;
        private Duration idleTimeout;
        private IdleStrategy idleStrategy;
        private Boolean daemon;
        private Supplier<?> initializer;
        private Consumer<Object> teardown;
        private Isolation isolation;
        private Boolean captureSubmitSite;
        private Executor completionExecutor;
        private IntFunction<TaskQueue> taskQueue;
        private Duration taskTimeout;
        private Duration queueTimeout;
        private Duration cancelGracePeriod;
        private Duration blockedTaskThreshold;
        private RestartPolicy restartPolicy;
        private PoolListener listener;
        private long maxTasksPerWorker = UNSET;
        private Duration maxWorkerAge;
        private Duration shutdownHook;

        private Builder() {}

        /**
         * Sets the pool's name, the prefix of its threads' names (default {@code offload-pool}).
         *
         * @param name a non-blank name
         * @return this builder
         */
        public Builder name(String name) {
            requireUnset(this.name == null, "name", this.name);
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank: name=\"" + name + "\"");
            }
            this.name = name;
            return this;
        }

        /**
         * Sets how many workers stay alive when idle (default: half the available processors, at least 1).
         *
         * @param minWorkers zero or more
         * @return this builder
         */
        public Builder minWorkers(int minWorkers) {
            requireUnset(this.minWorkers == UNSET, "minWorkers", this.minWorkers);
            if (minWorkers < 0) {
                throw new IllegalArgumentException("minWorkers must be >= 0: minWorkers=" + minWorkers);
            }
            this.minWorkers = minWorkers;
            return this;
        }

        /**
         * Sets how many workers the pool grows to under load (default: the available processors, or
         * {@code minWorkers} if that is more).
         *
         * @param maxWorkers at least 1
         * @return this builder
         */
        public Builder maxWorkers(int maxWorkers) {
            requireUnset(this.maxWorkers == UNSET, "maxWorkers", this.maxWorkers);
            if (maxWorkers < 1) {
                throw new IllegalArgumentException("maxWorkers must be >= 1: maxWorkers=" + maxWorkers);
            }
            this.maxWorkers = maxWorkers;
            return this;
        }

        /**
         * Sets how many tasks may wait for a worker; beyond it, {@code submit} is refused at once (default 16384).
         *
         * <p>{@code 0} means no queue at all, like a JDK {@code SynchronousQueue} or Piscina's {@code maxQueue: 0}: a
         * task is accepted only while a worker is free to take it (running no task, or with room for another
         * {@link AsyncTask}), else refused at once with {@link RejectedExecutionException}, counted as rejected. A
         * worker counts as free from the moment the supervisor starts it, before its thread has run. A refusal with
         * room below {@code maxWorkers} asks for one more worker, for the submits after it. {@link #needsDrain()}
         * then says whether no worker is free, and the drain listener runs when a worker becomes free after a
         * refusal, or after {@code needsDrain()} said none was (Piscina's pump: pause on {@code needsDrain}, resume
         * on the drain). A task cancelled while it waits frees its place in the count at once; in the default FIFO queue's
         * array, only when a worker reaches it (see {@link WorkerPool#needsDrain()}).
         *
         * @param maxQueue from 0 to {@value #MAX_QUEUE_LIMIT}
         * @return this builder
         */
        public Builder maxQueue(int maxQueue) {
            requireUnset(this.maxQueue == UNSET, "maxQueue", this.maxQueue);
            if (maxQueue < 0 || maxQueue > MAX_QUEUE_LIMIT) {
                throw new IllegalArgumentException("maxQueue must be between 0 and " + MAX_QUEUE_LIMIT + ": maxQueue="
                        + maxQueue + "; the queue preallocates room for twice its bound, and a deeper queue only"
                        + " hides overload: keep the bound and pace submits with needsDrain()/onDrain; 0 accepts a"
                        + " task only while a worker is free");
            }
            this.maxQueue = maxQueue;
            return this;
        }

        /**
         * Sets how many {@link AsyncTask}s one worker may have pending at once (default 1).
         *
         * @param tasksPerWorker at least 1
         * @return this builder
         */
        public Builder tasksPerWorker(int tasksPerWorker) {
            requireUnset(this.tasksPerWorker == UNSET, "tasksPerWorker", this.tasksPerWorker);
            if (tasksPerWorker < 1) {
                throw new IllegalArgumentException("tasksPerWorker must be >= 1: tasksPerWorker=" + tasksPerWorker);
            }
            this.tasksPerWorker = tasksPerWorker;
            return this;
        }

        /**
         * Sets how long a worker above {@code minWorkers} stays idle before it ends (default 30 s), whatever the idle
         * strategy: a worker that never parks ({@link IdleStrategy#LATENCY}) looks at it every 1,024 idle steps.
         *
         * @param idleTimeout more than zero
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            requireUnset(this.idleTimeout == null, "idleTimeout", this.idleTimeout);
            this.idleTimeout = TaskOptions.positive("idleTimeout", idleTimeout);
            return this;
        }

        /**
         * Sets how idle workers wait for tasks (default {@link IdleStrategy#BALANCED}).
         *
         * @param idleStrategy the strategy
         * @return this builder
         */
        public Builder idleStrategy(IdleStrategy idleStrategy) {
            requireUnset(this.idleStrategy == null, "idleStrategy", this.idleStrategy);
            this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
            return this;
        }

        /**
         * Sets whether an open pool lets the JVM exit (default {@code false}: the pool keeps the JVM alive until it is
         * closed, through its supervisor thread). Worker threads are always daemon threads, so that a worker abandoned
         * to a task that never returns cannot keep the JVM alive.
         *
         * @param daemon {@code true} to let the JVM exit while the pool is open
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            requireUnset(this.daemon == null, "daemon", this.daemon);
            this.daemon = daemon;
            return this;
        }

        /**
         * Sets what makes each worker's own state, once per worker on its thread; tasks read it with
         * {@link TaskContext#state(Class)}. An initializer that throws counts as a worker crash: the pool retries with
         * the {@link #restartPolicy restart policy}'s backoff and fails past its limit.
         *
         * @param initializer makes the state
         * @return this builder
         */
        public Builder workerState(Supplier<?> initializer) {
            requireUnset(this.initializer == null, "workerState", this.initializer);
            this.initializer = Objects.requireNonNull(initializer, "initializer");
            return this;
        }

        /**
         * Sets what makes each worker's own state and what releases it when the worker ends: on the worker's thread
         * when it retires, is recycled, closes or crashes; on another thread when the worker is abandoned to a task
         * that will not stop (so that closing a connection the task is blocked on can free it).
         *
         * @param initializer makes the state
         * @param teardown releases it; what it throws is logged
         * @param <S> the state's type
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public <S> Builder workerState(Supplier<? extends S> initializer, Consumer<? super S> teardown) {
            workerState(initializer);
            this.teardown = (Consumer<Object>) Objects.requireNonNull(teardown, "teardown");
            return this;
        }

        /**
         * Sets how values crossing threads are checked (default {@link Isolation#CHECKED}).
         *
         * @param isolation the isolation
         * @return this builder
         */
        public Builder isolation(Isolation isolation) {
            requireUnset(this.isolation == null, "isolation", this.isolation);
            this.isolation = Objects.requireNonNull(isolation, "isolation");
            return this;
        }

        /**
         * Sets whether a task's failure carries, as a suppressed exception, the stack where it was submitted (default
         * {@code false}: capturing a stack costs microseconds per submit).
         *
         * @param capture {@code true} to capture
         * @return this builder
         */
        public Builder captureSubmitSite(boolean capture) {
            requireUnset(this.captureSubmitSite == null, "captureSubmitSite", this.captureSubmitSite);
            this.captureSubmitSite = capture;
            return this;
        }

        /**
         * Sets where futures of tasks submitted from outside an event loop complete (default: the worker thread).
         *
         * @param executor the executor; if it refuses a completion, the completion runs on the worker
         * @return this builder
         */
        public Builder completionExecutor(Executor executor) {
            requireUnset(this.completionExecutor == null, "completionExecutor", this.completionExecutor);
            this.completionExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets the task queue, made from {@code maxQueue} (default {@link TaskQueue#fifo(int)}; or
         * {@link TaskQueue#priority(int)}, or your own).
         *
         * @param factory makes the queue, such as {@code TaskQueue::priority}
         * @return this builder
         */
        public Builder taskQueue(IntFunction<TaskQueue> factory) {
            requireUnset(this.taskQueue == null, "taskQueue", this.taskQueue);
            this.taskQueue = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Sets the longest a task may run, from when a worker starts it (default: no limit; a task's own
         * {@link TaskOptions#withTimeout} wins). Past it, the future fails with {@link TaskTimeoutException}, the task
         * is cancelled with interrupt, and its worker is abandoned if it does not stop within the
         * {@link #cancelGracePeriod grace period}.
         *
         * @param taskTimeout more than zero
         * @return this builder
         */
        public Builder taskTimeout(Duration taskTimeout) {
            requireUnset(this.taskTimeout == null, "taskTimeout", this.taskTimeout);
            this.taskTimeout = TaskOptions.positive("taskTimeout", taskTimeout);
            return this;
        }

        /**
         * Sets the longest a task may wait in the queue (default: no limit; a task's own
         * {@link TaskOptions#withQueueTimeout} wins). Past it, the task never runs and its future fails with
         * {@link TaskTimeoutException}.
         *
         * @param queueTimeout more than zero
         * @return this builder
         */
        public Builder queueTimeout(Duration queueTimeout) {
            requireUnset(this.queueTimeout == null, "queueTimeout", this.queueTimeout);
            this.queueTimeout = TaskOptions.positive("queueTimeout", queueTimeout);
            return this;
        }

        /**
         * Sets how long a task cancelled with interrupt (by its future, a timeout, or a forced close) may keep running
         * before its worker is abandoned and replaced (default 1 s). Stop hooks ({@link TaskContext#onCancel}) run
         * during it.
         *
         * @param grace zero or more
         * @return this builder
         */
        public Builder cancelGracePeriod(Duration grace) {
            requireUnset(this.cancelGracePeriod == null, "cancelGracePeriod", this.cancelGracePeriod);
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("cancelGracePeriod must be >= 0: cancelGracePeriod=" + grace);
            }
            this.cancelGracePeriod = grace;
            return this;
        }

        /**
         * Sets after how long a running task is reported as blocked, once, with its stack trace, through the log and a
         * {@link PoolEvent.TaskBlocked} event, like Vert.x's blocked-thread checker (default 10 s; {@code
         * Duration.ZERO} turns it off). The report changes nothing; a time limit is {@link #taskTimeout}.
         *
         * @param threshold zero (off) or more
         * @return this builder
         */
        public Builder blockedTaskThreshold(Duration threshold) {
            requireUnset(this.blockedTaskThreshold == null, "blockedTaskThreshold", this.blockedTaskThreshold);
            Objects.requireNonNull(threshold, "threshold");
            if (threshold.isNegative()) {
                throw new IllegalArgumentException(
                        "blockedTaskThreshold must be >= 0: blockedTaskThreshold=" + threshold);
            }
            this.blockedTaskThreshold = threshold;
            return this;
        }

        /**
         * Sets how crashed workers are replaced (default {@link RestartPolicy#DEFAULT}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder restartPolicy(RestartPolicy policy) {
            requireUnset(this.restartPolicy == null, "restartPolicy", this.restartPolicy);
            this.restartPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets what receives the pool's events (see {@link PoolListener} for its threading rules).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(PoolListener listener) {
            requireUnset(this.listener == null, "listener", this.listener);
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets after how many tasks a worker is recycled (default: never): a worker never starts more than
         * {@code tasks} tasks, however many are queued; after its last it leaves, and the supervisor starts its
         * replacement at once (no backoff: nothing crashed). Meanwhile, for the moment a thread takes to start, the
         * pool has one worker fewer and the queue waits for the others. Bounds what a long-lived worker accumulates,
         * like Piscina's or PM2's restarts. ({@link WorkerPool#recycleWorkers()} and {@link #maxWorkerAge} start the
         * replacement first instead, so that capacity never drops.)
         *
         * @param tasks at least 1
         * @return this builder
         */
        public Builder maxTasksPerWorker(long tasks) {
            requireUnset(this.maxTasksPerWorker == UNSET, "maxTasksPerWorker", this.maxTasksPerWorker);
            if (tasks < 1) {
                throw new IllegalArgumentException("maxTasksPerWorker must be >= 1: maxTasksPerWorker=" + tasks);
            }
            this.maxTasksPerWorker = tasks;
            return this;
        }

        /**
         * Sets the age after which a worker is recycled (default: never).
         *
         * @param age more than zero
         * @return this builder
         */
        public Builder maxWorkerAge(Duration age) {
            requireUnset(this.maxWorkerAge == null, "maxWorkerAge", this.maxWorkerAge);
            this.maxWorkerAge = TaskOptions.positive("maxWorkerAge", age);
            return this;
        }

        /**
         * Registers a JVM shutdown hook that closes the pool gracefully within {@code timeout} (default: none). The
         * hook is removed when the pool closes.
         *
         * @param timeout zero or more
         * @return this builder
         */
        public Builder shutdownHook(Duration timeout) {
            requireUnset(this.shutdownHook == null, "shutdownHook", this.shutdownHook);
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("shutdownHook timeout must be >= 0: timeout=" + timeout);
            }
            this.shutdownHook = timeout;
            return this;
        }

        /**
         * Validates the options together and starts the pool's {@code minWorkers} workers and its supervisor.
         *
         * @return the running pool
         * @throws IllegalArgumentException if {@code minWorkers > maxWorkers}
         */
        public WorkerPool build() {
            IdleStrategy idle = idleStrategy == null ? IdleStrategy.BALANCED : idleStrategy;
            PoolConfig.Builder config = PoolConfig.builder()
                    .minWorkers(minWorkers)
                    .maxWorkers(maxWorkers)
                    .spinNanos(idle.spinNanos())
                    .yieldNanos(idle.yieldNanos())
                    .initializer(initializer)
                    .teardown(teardown)
                    .trusted(isolation == Isolation.TRUSTED)
                    .listener(listener);
            if (name != null) {
                config.name(name);
            }
            if (maxQueue != UNSET) {
                config.maxQueue(maxQueue);
            }
            if (tasksPerWorker != UNSET) {
                config.tasksPerWorker(tasksPerWorker);
            }
            if (idleTimeout != null) {
                config.idleTimeoutNanos(EventLoop.saturatedNanos(idleTimeout));
            }
            if (daemon != null) {
                config.daemon(daemon);
            }
            if (captureSubmitSite != null) {
                config.captureSubmitSite(captureSubmitSite);
            }
            if (completionExecutor != null) {
                config.defaultOwner(CompletionOwner.of(completionExecutor));
            }
            if (taskQueue != null) {
                config.queueFactory(taskQueue);
            }
            if (taskTimeout != null) {
                config.taskTimeoutNanos(EventLoop.saturatedNanos(taskTimeout));
            }
            if (queueTimeout != null) {
                config.queueTimeoutNanos(EventLoop.saturatedNanos(queueTimeout));
            }
            if (cancelGracePeriod != null) {
                config.cancelGraceNanos(EventLoop.saturatedNanos(cancelGracePeriod));
            }
            if (blockedTaskThreshold != null) {
                config.blockedNanos(EventLoop.saturatedNanos(blockedTaskThreshold));
            }
            if (restartPolicy != null) {
                config.restartPolicy(restartPolicy);
            }
            if (maxTasksPerWorker != UNSET) {
                config.maxTasksPerWorker(maxTasksPerWorker);
            }
            if (maxWorkerAge != null) {
                config.maxWorkerAgeNanos(EventLoop.saturatedNanos(maxWorkerAge));
            }
            if (shutdownHook != null) {
                config.shutdownHookNanos(EventLoop.saturatedNanos(shutdownHook));
            }
            return new WorkerPool(config.build());
        }

        private static void requireUnset(boolean unset, String option, Object current) {
            EventLoop.requireUnset(unset, option, current);
        }
    }
}
