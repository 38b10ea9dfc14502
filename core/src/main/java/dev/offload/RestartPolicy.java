package dev.offload;

import dev.offload.internal.base.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link WorkerPool} replaces crashed workers. A bad task is not a bad worker, so a crash is one of two kinds:
 *
 * <ul>
 *   <li><b>Caused by a task</b>: a {@link VirtualMachineError} (such as {@link StackOverflowError} or
 *       {@link OutOfMemoryError}) thrown while a task runs, on a worker that had started (its initializer returned).
 *       That task fails with {@link WorkerCrashedException} (its cause the error) and the worker is replaced at once,
 *       as a {@code ThreadPoolExecutor} replaces a thread: nothing counts towards {@code maxRestarts}, and the count
 *       of unstable restarts starts over (the workers can live). A storm of such tasks fails each of them and
 *       nothing else.
 *   <li><b>A worker that cannot live</b>: its initializer ({@link WorkerPool.Builder#workerState}) throws or its
 *       thread cannot start, or it fails outside any task. This is PM2's path for a process that cannot stay up: a
 *       worker that ran at least {@code minUptime} was stable and is replaced at once; one that crashed sooner is an
 *       unstable restart, and consecutive unstable restarts wait longer each time ({@code initialDelay}, then times
 *       {@code factor}, up to {@code maxDelay}). After {@code maxRestarts} consecutive unstable restarts the next one
 *       puts the pool in {@link PoolState#FAILED}.
 * </ul>
 *
 * <p>A wait under way holds every start, of either kind (a crash resets the count, not a wait that was announced).
 * While no worker is live and the last start failed, the tasks the pool has accepted fail at once with a
 * {@link WorkerCrashedException} whose cause is that start's failure (Piscina rejects them with its worker's start
 * error) instead of waiting for the backoff; the pool goes on trying to start workers at the policy's pace.
 *
 * @param initialDelay the wait before the first unstable restart
 * @param factor how much each further unstable restart's wait grows, at least 1
 * @param maxDelay the longest wait
 * @param minUptime how long a worker must run to count as stable, which resets the backoff
 * @param maxRestarts how many consecutive unstable restarts are allowed before the pool fails, zero or more
 */
public record RestartPolicy(
        Duration initialDelay, double factor, Duration maxDelay, Duration minUptime, int maxRestarts) {
    /** 100 ms doubling up to 10 s; stable after 1 s; 16 unstable restarts. */
    public static final RestartPolicy DEFAULT =
            new RestartPolicy(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10), Duration.ofSeconds(1), 16);

    /**
     * Validates the policy.
     *
     * @throws IllegalArgumentException if a duration is negative, {@code factor < 1}, {@code maxDelay < initialDelay}
     *     or {@code maxRestarts < 0}
     */
    public RestartPolicy {
        nonNegative("initialDelay", initialDelay);
        nonNegative("maxDelay", maxDelay);
        nonNegative("minUptime", minUptime);
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be a finite number >= 1: factor=" + factor);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException(
                    "maxDelay must be >= initialDelay: maxDelay=" + maxDelay + ", initialDelay=" + initialDelay);
        }
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must be >= 0: maxRestarts=" + maxRestarts);
        }
    }

    /**
     * Returns the wait before the {@code n}-th consecutive unstable restart (1 for the first).
     *
     * @param n the restart's number among consecutive unstable ones, at least 1
     * @return the delay
     */
    public Duration delayBefore(int n) {
        double nanos = Durations.toNanos(initialDelay) * Math.pow(factor, Math.max(0, n - 1));
        return nanos >= Durations.toNanos(maxDelay) ? maxDelay : Duration.ofNanos((long) nanos);
    }

    private static void nonNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0: " + name + "=" + value);
        }
    }
}
