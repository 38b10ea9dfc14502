package dev.offload.internal.control;

import dev.offload.PoolListener;
import dev.offload.RestartPolicy;
import dev.offload.TaskQueue;
import dev.offload.internal.task.CompletionOwner;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A worker pool's configuration, made by its {@link Builder} (which {@code WorkerPool.Builder} fills from the
 * user's options, and a stress test from its own): every option is set by name, and one left unset takes the default
 * written next to it here. Immutable; the user-facing checks of each option are {@code WorkerPool.Builder}'s, the
 * ones across options are {@link Builder#build()}'s.
 *
 * <p>Any thread.
 */
public final class PoolConfig {
    private final String name;
    private final int minWorkers;
    private final int maxWorkers;
    private final int maxQueue;
    private final int tasksPerWorker;
    private final long idleTimeoutNanos;
    private final long spinNanos;
    private final long yieldNanos;
    private final boolean daemon;
    private final Supplier<?> initializer;
    private final Consumer<Object> teardown;
    private final boolean trusted;
    private final boolean captureSubmitSite;
    private final CompletionOwner defaultOwner;
    private final IntFunction<TaskQueue> queueFactory;
    private final long taskTimeoutNanos;
    private final long queueTimeoutNanos;
    private final long cancelGraceNanos;
    private final long blockedNanos;
    private final RestartPolicy restartPolicy;
    private final PoolListener listener;
    private final long maxTasksPerWorker;
    private final long maxWorkerAgeNanos;
    private final long shutdownHookNanos;

    private PoolConfig(Builder b) {
        int cores = Runtime.getRuntime().availableProcessors();
        int max = b.maxWorkers < 0 ? Math.max(cores, b.minWorkers) : b.maxWorkers;
        int min = b.minWorkers < 0 ? Math.min(max, Math.max(1, cores / 2)) : b.minWorkers;
        if (min > max) {
            throw new IllegalArgumentException(
                    "minWorkers must be <= maxWorkers: minWorkers=" + min + ", maxWorkers=" + max);
        }
        this.name = b.name;
        this.minWorkers = min;
        this.maxWorkers = max;
        this.maxQueue = b.maxQueue;
        this.tasksPerWorker = b.tasksPerWorker;
        this.idleTimeoutNanos = b.idleTimeoutNanos;
        this.spinNanos = b.spinNanos;
        this.yieldNanos = b.yieldNanos;
        this.daemon = b.daemon;
        this.initializer = b.initializer;
        this.teardown = b.teardown;
        this.trusted = b.trusted;
        this.captureSubmitSite = b.captureSubmitSite;
        this.defaultOwner = b.defaultOwner;
        this.queueFactory = b.queueFactory;
        this.taskTimeoutNanos = b.taskTimeoutNanos;
        this.queueTimeoutNanos = b.queueTimeoutNanos;
        this.cancelGraceNanos = b.cancelGraceNanos;
        this.blockedNanos = b.blockedNanos;
        this.restartPolicy = b.restartPolicy;
        this.listener = b.listener;
        this.maxTasksPerWorker = b.maxTasksPerWorker;
        this.maxWorkerAgeNanos = b.maxWorkerAgeNanos;
        this.shutdownHookNanos = b.shutdownHookNanos;
    }

    /**
     * Returns a builder with every option at its default.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the pool's name, prefix of its threads' names. */
    public String name() {
        return name;
    }

    /** Returns workers kept even when idle (unset: half the cores, at least 1, at most maxWorkers). */
    public int minWorkers() {
        return minWorkers;
    }

    /** Returns the most workers under load (unset: the cores, at least minWorkers). */
    public int maxWorkers() {
        return maxWorkers;
    }

    /** Returns the most queued tasks; 0 for none (a task is accepted only for a free worker). */
    public int maxQueue() {
        return maxQueue;
    }

    /** Returns async tasks one worker may have pending at once. */
    public int tasksPerWorker() {
        return tasksPerWorker;
    }

    /** Returns how long a worker above minWorkers stays idle before it ends. */
    public long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /** Returns the idle strategy's spin budget (unset: none; a WorkerPool passes its IdleStrategy's). */
    public long spinNanos() {
        return spinNanos;
    }

    /** Returns the idle strategy's yield budget (unset: none, as the spin budget). */
    public long yieldNanos() {
        return yieldNanos;
    }

    /** Returns whether the supervisor thread is a daemon thread (workers always are). */
    public boolean daemon() {
        return daemon;
    }

    /** Returns makes each worker's own state, or null. */
    public Supplier<?> initializer() {
        return initializer;
    }

    /** Returns releases a worker's state when the worker ends, or null. */
    public Consumer<Object> teardown() {
        return teardown;
    }

    /** Returns whether values pass unchecked. */
    public boolean trusted() {
        return trusted;
    }

    /** Returns whether failures carry the submit site. */
    public boolean captureSubmitSite() {
        return captureSubmitSite;
    }

    /** Returns where futures complete when not submitted from an event loop. */
    public CompletionOwner defaultOwner() {
        return defaultOwner;
    }

    /** Returns makes the task queue from its bound. */
    public IntFunction<TaskQueue> queueFactory() {
        return queueFactory;
    }

    /** Returns the default run-time limit, 0 for none. */
    public long taskTimeoutNanos() {
        return taskTimeoutNanos;
    }

    /** Returns the default queue-wait limit, 0 for none. */
    public long queueTimeoutNanos() {
        return queueTimeoutNanos;
    }

    /** Returns how long a stopped task may keep running before its worker is abandoned. */
    public long cancelGraceNanos() {
        return cancelGraceNanos;
    }

    /** Returns the watchdog's threshold, 0 for off. */
    public long blockedNanos() {
        return blockedNanos;
    }

    /** Returns how crashed workers are replaced. */
    public RestartPolicy restartPolicy() {
        return restartPolicy;
    }

    /** Returns receives events, or null. */
    public PoolListener listener() {
        return listener;
    }

    /** Returns tasks after which a worker is recycled, 0 for never. */
    public long maxTasksPerWorker() {
        return maxTasksPerWorker;
    }

    /** Returns age after which a worker is recycled, 0 for never. */
    public long maxWorkerAgeNanos() {
        return maxWorkerAgeNanos;
    }

    /** Returns the close timeout of a JVM shutdown hook, or -1 for no hook. */
    public long shutdownHookNanos() {
        return shutdownHookNanos;
    }

    /** Sets the options of a {@link PoolConfig} by name; each one unset keeps the default beside it. */
    public static final class Builder {
        private String name = "offload-pool";
        private int minWorkers = -1;
        private int maxWorkers = -1;
        private int maxQueue = 16_384;
        private int tasksPerWorker = 1;
        private long idleTimeoutNanos = 30_000_000_000L;
        private long spinNanos = 0;
        private long yieldNanos = 0;
        private boolean daemon = false;
        private Supplier<?> initializer = null;
        private Consumer<Object> teardown = null;
        private boolean trusted = false;
        private boolean captureSubmitSite = false;
        private CompletionOwner defaultOwner = CompletionOwner.DIRECT;
        private IntFunction<TaskQueue> queueFactory = TaskQueue::fifo;
        private long taskTimeoutNanos = 0;
        private long queueTimeoutNanos = 0;
        private long cancelGraceNanos = 1_000_000_000L;
        private long blockedNanos = 10_000_000_000L;
        private RestartPolicy restartPolicy = RestartPolicy.DEFAULT;
        private PoolListener listener = null;
        private long maxTasksPerWorker = 0;
        private long maxWorkerAgeNanos = 0;
        private long shutdownHookNanos = -1;

        private Builder() {}

        /** Sets the pool's name, prefix of its threads' names; returns this. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Sets workers kept even when idle (unset: half the cores, at least 1, at most maxWorkers); returns this. */
        public Builder minWorkers(int minWorkers) {
            this.minWorkers = minWorkers;
            return this;
        }

        /** Sets the most workers under load (unset: the cores, at least minWorkers); returns this. */
        public Builder maxWorkers(int maxWorkers) {
            this.maxWorkers = maxWorkers;
            return this;
        }

        /** Sets the most queued tasks; 0 for none (a task is accepted only for a free worker); returns this. */
        public Builder maxQueue(int maxQueue) {
            this.maxQueue = maxQueue;
            return this;
        }

        /** Sets async tasks one worker may have pending at once; returns this. */
        public Builder tasksPerWorker(int tasksPerWorker) {
            this.tasksPerWorker = tasksPerWorker;
            return this;
        }

        /** Sets how long a worker above minWorkers stays idle before it ends; returns this. */
        public Builder idleTimeoutNanos(long idleTimeoutNanos) {
            this.idleTimeoutNanos = idleTimeoutNanos;
            return this;
        }

        /** Sets the idle strategy's spin budget (unset: none; a WorkerPool passes its IdleStrategy's); returns this. */
        public Builder spinNanos(long spinNanos) {
            this.spinNanos = spinNanos;
            return this;
        }

        /** Sets the idle strategy's yield budget (unset: none, as the spin budget); returns this. */
        public Builder yieldNanos(long yieldNanos) {
            this.yieldNanos = yieldNanos;
            return this;
        }

        /** Sets whether the supervisor thread is a daemon thread (workers always are); returns this. */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /** Sets makes each worker's own state, or null; returns this. */
        public Builder initializer(Supplier<?> initializer) {
            this.initializer = initializer;
            return this;
        }

        /** Sets releases a worker's state when the worker ends, or null; returns this. */
        public Builder teardown(Consumer<Object> teardown) {
            this.teardown = teardown;
            return this;
        }

        /** Sets whether values pass unchecked; returns this. */
        public Builder trusted(boolean trusted) {
            this.trusted = trusted;
            return this;
        }

        /** Sets whether failures carry the submit site; returns this. */
        public Builder captureSubmitSite(boolean captureSubmitSite) {
            this.captureSubmitSite = captureSubmitSite;
            return this;
        }

        /** Sets where futures complete when not submitted from an event loop; returns this. */
        public Builder defaultOwner(CompletionOwner defaultOwner) {
            this.defaultOwner = defaultOwner;
            return this;
        }

        /** Sets makes the task queue from its bound; returns this. */
        public Builder queueFactory(IntFunction<TaskQueue> queueFactory) {
            this.queueFactory = queueFactory;
            return this;
        }

        /** Sets the default run-time limit, 0 for none; returns this. */
        public Builder taskTimeoutNanos(long taskTimeoutNanos) {
            this.taskTimeoutNanos = taskTimeoutNanos;
            return this;
        }

        /** Sets the default queue-wait limit, 0 for none; returns this. */
        public Builder queueTimeoutNanos(long queueTimeoutNanos) {
            this.queueTimeoutNanos = queueTimeoutNanos;
            return this;
        }

        /** Sets how long a stopped task may keep running before its worker is abandoned; returns this. */
        public Builder cancelGraceNanos(long cancelGraceNanos) {
            this.cancelGraceNanos = cancelGraceNanos;
            return this;
        }

        /** Sets the watchdog's threshold, 0 for off; returns this. */
        public Builder blockedNanos(long blockedNanos) {
            this.blockedNanos = blockedNanos;
            return this;
        }

        /** Sets how crashed workers are replaced; returns this. */
        public Builder restartPolicy(RestartPolicy restartPolicy) {
            this.restartPolicy = restartPolicy;
            return this;
        }

        /** Sets receives events, or null; returns this. */
        public Builder listener(PoolListener listener) {
            this.listener = listener;
            return this;
        }

        /** Sets tasks after which a worker is recycled, 0 for never; returns this. */
        public Builder maxTasksPerWorker(long maxTasksPerWorker) {
            this.maxTasksPerWorker = maxTasksPerWorker;
            return this;
        }

        /** Sets age after which a worker is recycled, 0 for never; returns this. */
        public Builder maxWorkerAgeNanos(long maxWorkerAgeNanos) {
            this.maxWorkerAgeNanos = maxWorkerAgeNanos;
            return this;
        }

        /** Sets the close timeout of a JVM shutdown hook, or -1 for no hook; returns this. */
        public Builder shutdownHookNanos(long shutdownHookNanos) {
            this.shutdownHookNanos = shutdownHookNanos;
            return this;
        }

        /**
         * Makes the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException if {@code minWorkers > maxWorkers}
         */
        public PoolConfig build() {
            return new PoolConfig(this);
        }
    }
}
