package dev.offload;

/**
 * How an idle event loop or worker waits for work: spin, then yield, then park.
 *
 * <p>Waking a parked thread costs microseconds; a thread that spins answers in a fraction of one but burns a core.
 * Each strategy is a time budget for the spin and yield phases before the thread parks. While every core is taken
 * by a running task, a waiting thread yields instead of spinning so that it does not slow the tasks down.
 */
public enum IdleStrategy {
    /** Never parks: spins (or yields while cores are busy) for the lowest latency; an idle thread burns a core. */
    LATENCY(Long.MAX_VALUE, Long.MAX_VALUE),
    /** Spins for up to 100 µs, yields for up to 1 ms, then parks; an idle pool settles at no CPU. The default. */
    BALANCED(100_000L, 1_000_000L),
    /** Spins for up to 2 µs, yields for up to 50 µs, then parks: least CPU, a wake-up cost on most hand-offs. */
    EFFICIENT(2_000L, 50_000L);

    private final long spinNanos;
    private final long yieldNanos;

    IdleStrategy(long spinNanos, long yieldNanos) {
        this.spinNanos = spinNanos;
        this.yieldNanos = yieldNanos;
    }

    long spinNanos() {
        return spinNanos;
    }

    long yieldNanos() {
        return yieldNanos;
    }
}
