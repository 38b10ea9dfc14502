package dev.offload.internal.control;

import dev.offload.PoolListener;
import dev.offload.RestartPolicy;
import dev.offload.TaskQueue;
import dev.offload.internal.task.CompletionOwner;
import java.util.function.Consumer;
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
 * @param daemon whether the supervisor thread is a daemon thread (workers always are)
 * @param initializer makes each worker's own state, or null
 * @param teardown releases a worker's state when the worker ends, or null
 * @param trusted whether values pass unchecked
 * @param captureSubmitSite whether failures carry the submit site
 * @param defaultOwner where futures complete when not submitted from an event loop
 * @param queueFactory makes the task queue from {@code maxQueue}
 * @param taskTimeoutNanos the default run-time limit, 0 for none
 * @param queueTimeoutNanos the default queue-wait limit, 0 for none
 * @param cancelGraceNanos how long a stopped task may keep running before its worker is abandoned
 * @param blockedNanos the watchdog's threshold, 0 for off
 * @param restartPolicy how crashed workers are replaced
 * @param listener receives events, or null
 * @param maxTasksPerWorker tasks after which a worker is recycled, 0 for never
 * @param maxWorkerAgeNanos age after which a worker is recycled, 0 for never
 * @param shutdownHookNanos the close timeout of a JVM shutdown hook, or -1 for no hook
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
        Consumer<Object> teardown,
        boolean trusted,
        boolean captureSubmitSite,
        CompletionOwner defaultOwner,
        IntFunction<TaskQueue> queueFactory,
        long taskTimeoutNanos,
        long queueTimeoutNanos,
        long cancelGraceNanos,
        long blockedNanos,
        RestartPolicy restartPolicy,
        PoolListener listener,
        long maxTasksPerWorker,
        long maxWorkerAgeNanos,
        long shutdownHookNanos) {

    /** Whether a worker must tell the supervisor about each task it starts (time limits or the watchdog are on). */
    boolean superviseEachTask() {
        return taskTimeoutNanos > 0 || blockedNanos > 0;
    }
}
