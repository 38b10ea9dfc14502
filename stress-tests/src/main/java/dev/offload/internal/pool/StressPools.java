package dev.offload.internal.pool;

import dev.offload.internal.control.PoolConfig;
import dev.offload.internal.loop.LoopCore;
import dev.offload.internal.worker.ThreadWorker;

/** Pools and loops for stress tests: real machinery, no threads of their own; the test's actors drive the steps. */
public final class StressPools {
    /** Held so that the level set on it stays: a failing or timing-out stress pool must not log per sample. */
    private static final java.util.logging.Logger POOL_LOG =
            java.util.logging.Logger.getLogger("dev.offload.WorkerPool");

    static {
        POOL_LOG.setLevel(java.util.logging.Level.OFF);
    }

    private StressPools() {}

    /**
     * A pool whose supervisor never starts: actors call the worker's and the supervisor's steps themselves.
     *
     * @param min minWorkers
     * @param max maxWorkers
     * @param taskTimeoutNanos the run-time limit, 0 for none
     */
    public static PoolCore unstarted(int min, int max, long taskTimeoutNanos) {
        return new PoolCore(
                PoolConfig.builder()
                        .name("stress")
                        .minWorkers(min)
                        .maxWorkers(max)
                        .maxQueue(4)
                        .idleTimeoutNanos(1_000_000_000L)
                        .spinNanos(0)
                        .yieldNanos(0)
                        .daemon(true)
                        .trusted(true)
                        .taskTimeoutNanos(taskTimeoutNanos)
                        .blockedNanos(0)
                        .build(),
                false);
    }

    /** A registered worker of {@code core} whose thread never starts: an actor runs its steps. */
    public static ThreadWorker worker(PoolCore core) {
        return (ThreadWorker) core.supervisor().registerUnstarted();
    }

    /** A loop whose thread never starts: actors run its steps. */
    public static LoopCore unstartedLoop() {
        return new LoopCore(null, "stress-loop", true, 0, 0, 1_000_000_000L, t -> {}, false);
    }
}
