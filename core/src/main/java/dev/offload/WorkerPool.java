package dev.offload;

import dev.offload.internal.CompletionOwner;
import dev.offload.internal.PoolConfig;
import dev.offload.internal.PoolCore;
import dev.offload.internal.Sendables;
import dev.offload.internal.TaskRecord;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A pool of worker threads that runs CPU-heavy {@link Task}s handed to it by event loops and other threads, like
 * Piscina for Node.js.
 *
 * <p>A task submitted from an {@link EventLoop}'s thread completes on that loop's thread; from any other thread, on
 * the executor given in {@link TaskOptions} or to {@link Builder#completionExecutor}, else on the worker thread. Every
 * worker takes tasks from one shared queue, so a long task never holds short ones queued while another worker is
 * idle. Inputs and outputs cross as {@link Isolation} says.
 *
 * <p>Every task that {@code submit} accepts completes exactly once: with its value, its exception, cancelled, or
 * rejected by {@link #closeNow()}. Nothing is lost: {@link PoolStats} counts each outcome.
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
     * @throws RejectedExecutionException if the queue is full or the pool is closed
     */
    public <I, O> CompletableFuture<O> submit(Task<I, O> task, I input) {
        return submit(task, input, TaskOptions.DEFAULT);
    }

    /**
     * Submits a task.
     *
     * @param task the task; it may capture only immutable values
     * @param input the input, may be null
     * @param options priority and completion executor
     * @param <I> the input type
     * @param <O> the output type
     * @return the future of the output; {@code cancel(true)} cancels the task
     * @throws NotSendableException if the task captures, or the input holds, a value that may not cross threads
     * @throws RejectedExecutionException if the queue is full or the pool is closed
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
     * @throws RejectedExecutionException if the queue is full or the pool is closed
     */
    public <O> CompletableFuture<O> submit(Callable<O> task) {
        Objects.requireNonNull(task, "task");
        if (!trusted) {
            Sendables.checkTask(task);
        }
        return enqueue(new CallableTask<>(task), null, TaskOptions.DEFAULT);
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
     * @throws RejectedExecutionException if the queue is full or the pool is closed
     */
    public <I, O> CompletableFuture<O> submitAsync(AsyncTask<I, O> task, I input) {
        Objects.requireNonNull(task, "task");
        return enqueue(task, input, TaskOptions.DEFAULT);
    }

    @SuppressWarnings("unchecked")
    private <O> CompletableFuture<O> enqueue(Object task, Object input, TaskOptions options) {
        Objects.requireNonNull(options, "options");
        if (!trusted && !(task instanceof CallableTask<?>)) {
            Sendables.checkTask(task);
        }
        EventLoop loop = options.executor() == null ? EventLoop.currentOrNull() : null;
        CompletionOwner owner = loop != null
                ? loop.expectCompletion()
                : options.executor() != null
                        ? CompletionOwner.of(options.executor())
                        : core.config().defaultOwner();
        TaskRecord record = core.newRecord(task, input, owner, options.priority());
        if (loop == null) {
            core.submit(record);
            return (CompletableFuture<O>) (CompletableFuture<?>) record;
        }
        try {
            core.admit(record);
        } catch (RuntimeException e) {
            loop.cancelExpectedCompletion();
            throw e;
        }
        loop.publishAfterCallback(core, record);
        return (CompletableFuture<O>) (CompletableFuture<?>) record;
    }

    /**
     * Returns whether the queue is full, so that a submit would be refused now. Piscina's {@code needsDrain}.
     *
     * @return {@code true} if full
     */
    public boolean needsDrain() {
        return core.needsDrain();
    }

    /**
     * Sets what runs each time the queue, having been full, drains to half of {@code maxQueue}: the moment to resume
     * submitting. Registered from an event loop, it runs on that loop; otherwise on the thread that drained the queue
     * (a worker), so it must only hand off. Replaces an earlier listener.
     *
     * @param listener the listener
     */
    public void onDrain(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        EventLoop loop = EventLoop.currentOrNull();
        core.onDrain(loop == null ? listener : () -> loop.execute(listener));
    }

    /**
     * Reads the pool's counters, queue, workers and latency histograms.
     *
     * @return a snapshot
     */
    public PoolStats stats() {
        return core.stats();
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
     * Returns whether {@link #close()} or {@link #closeNow()} has been called.
     *
     * @return {@code true} once closing
     */
    public boolean isClosed() {
        return core.isShutdown();
    }

    /**
     * Closes gracefully: refuses new tasks, runs every task already accepted, and returns once every worker thread
     * has ended. Any thread but the pool's own workers.
     *
     * @throws IllegalStateException if called from a worker thread of this pool, or if interrupted
     */
    @Override
    public void close() {
        EventLoop.publishPending();
        core.close(false);
    }

    /**
     * Closes at once: refuses new tasks, rejects queued ones (their futures fail with
     * {@link RejectedExecutionException}), interrupts running ones, and returns once every worker thread has ended.
     *
     * @throws IllegalStateException if called from a worker thread of this pool, or if interrupted
     */
    public void closeNow() {
        EventLoop.publishPending();
        core.close(true);
    }

    @Override
    public String toString() {
        return "WorkerPool[" + name() + "]";
    }

    private record CallableTask<O>(Callable<O> callable) implements Task<Object, O> {
        @Override
        public O run(Object input) throws Exception {
            return callable.call();
        }
    }

    /** Options of a {@link WorkerPool}; each set at most once and validated at once. Not thread-safe. */
    public static final class Builder {
        private static final int UNSET = -1;
        private static final int DEFAULT_MAX_QUEUE = 16_384;

        private String name;
        private int minWorkers = UNSET;
        private int maxWorkers = UNSET;
        private int maxQueue = UNSET;
        private int tasksPerWorker = UNSET;
        private Duration idleTimeout;
        private IdleStrategy idleStrategy;
        private Boolean daemon;
        private Supplier<?> initializer;
        private Isolation isolation;
        private Boolean captureSubmitSite;
        private Executor completionExecutor;
        private IntFunction<TaskQueue> taskQueue;

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
         * Sets how many workers the pool grows to under load (default: the available processors).
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
         * @param maxQueue at least 1
         * @return this builder
         */
        public Builder maxQueue(int maxQueue) {
            requireUnset(this.maxQueue == UNSET, "maxQueue", this.maxQueue);
            if (maxQueue < 1) {
                throw new IllegalArgumentException("maxQueue must be >= 1: maxQueue=" + maxQueue);
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
         * Sets how long a worker above {@code minWorkers} stays idle before it ends (default 30 s).
         *
         * @param idleTimeout more than zero
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            requireUnset(this.idleTimeout == null, "idleTimeout", this.idleTimeout);
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be > 0: idleTimeout=" + idleTimeout);
            }
            this.idleTimeout = idleTimeout;
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
         * Sets whether worker threads are daemon threads (default {@code false}: close the pool).
         *
         * @param daemon {@code true} for daemon threads
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            requireUnset(this.daemon == null, "daemon", this.daemon);
            this.daemon = daemon;
            return this;
        }

        /**
         * Sets what makes each worker's own state, once per worker on its thread; tasks read it with
         * {@link TaskContext#state(Class)}. A worker whose initializer throws does not start; the error is logged.
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
         * Validates the options together and starts the pool's {@code minWorkers} workers.
         *
         * @return the running pool
         * @throws IllegalArgumentException if {@code minWorkers > maxWorkers}
         */
        public WorkerPool build() {
            int cores = Runtime.getRuntime().availableProcessors();
            int max = maxWorkers == UNSET ? Math.max(cores, minWorkers) : maxWorkers;
            int min = minWorkers == UNSET ? Math.min(max, Math.max(1, cores / 2)) : minWorkers;
            if (min > max) {
                throw new IllegalArgumentException(
                        "minWorkers must be <= maxWorkers: minWorkers=" + min + ", maxWorkers=" + max);
            }
            IdleStrategy idle = idleStrategy == null ? IdleStrategy.BALANCED : idleStrategy;
            PoolConfig config = new PoolConfig(
                    name == null ? "offload-pool" : name,
                    min,
                    max,
                    maxQueue == UNSET ? DEFAULT_MAX_QUEUE : maxQueue,
                    tasksPerWorker == UNSET ? 1 : tasksPerWorker,
                    (idleTimeout == null ? Duration.ofSeconds(30) : idleTimeout).toNanos(),
                    idle.spinNanos(),
                    idle.yieldNanos(),
                    daemon != null && daemon,
                    initializer,
                    isolation == Isolation.TRUSTED,
                    captureSubmitSite != null && captureSubmitSite,
                    completionExecutor == null ? CompletionOwner.DIRECT : CompletionOwner.of(completionExecutor),
                    taskQueue == null ? TaskQueue::fifo : taskQueue);
            return new WorkerPool(config);
        }

        private static void requireUnset(boolean unset, String option, Object current) {
            if (!unset) {
                throw new IllegalStateException(option + " was already set: " + option + "=" + current);
            }
        }
    }
}
