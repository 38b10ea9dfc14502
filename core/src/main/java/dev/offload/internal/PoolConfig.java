package dev.offload.internal;

import dev.offload.TaskQueue;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A validated worker-pool configuration.
 *
 * @param name the pool's name, prefix of its threads' names
 * @param minWorkers workers kept even when idle
 * @param maxWorkers the most workers under load
 * @param maxQueue the most queued tasks
 * @param tasksPerWorker async tasks one worker may have pending at once
 * @param idleTimeoutNanos how long a worker above {@code minWorkers} stays idle before it ends
 * @param spinNanos the idle strategy's spin budget
 * @param yieldNanos the idle strategy's yield budget
 * @param daemon whether worker threads are daemon threads
 * @param initializer makes each worker's own state, or null
 * @param trusted whether values pass unchecked
 * @param captureSubmitSite whether failures carry the submit site
 * @param defaultOwner where futures complete when not submitted from an event loop
 * @param queueFactory makes the task queue from {@code maxQueue}
 */
public record PoolConfig(
        String name,
        int minWorkers,
        int maxWorkers,
        int maxQueue,
        int tasksPerWorker,
        long idleTimeoutNanos,
        long spinNanos,
        long yieldNanos,
        boolean daemon,
        Supplier<?> initializer,
        boolean trusted,
        boolean captureSubmitSite,
        CompletionOwner defaultOwner,
        IntFunction<TaskQueue> queueFactory) {}
