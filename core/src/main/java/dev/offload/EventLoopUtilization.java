package dev.offload;

import java.time.Duration;

/**
 * How busy an {@link EventLoop} has been since it started, like Node's {@code performance.eventLoopUtilization()}.
 *
 * @param idle time spent waiting for work
 * @param active time spent running callbacks, completions and timers
 * @param utilization {@code active / (idle + active)}, between 0 and 1
 */
public record EventLoopUtilization(Duration idle, Duration active, double utilization) {
    /**
     * Returns the utilization of the interval between an earlier reading and this one.
     *
     * @param earlier a reading taken before this one from the same loop
     * @return the idle and active time between the two readings and their ratio
     */
    public EventLoopUtilization since(EventLoopUtilization earlier) {
        Duration dIdle = idle.minus(earlier.idle);
        Duration dActive = active.minus(earlier.active);
        return of(dIdle.toNanos(), dActive.toNanos());
    }

    static EventLoopUtilization of(long idleNanos, long activeNanos) {
        long total = idleNanos + activeNanos;
        double ratio = total <= 0 ? 0.0 : (double) activeNanos / total;
        return new EventLoopUtilization(Duration.ofNanos(idleNanos), Duration.ofNanos(activeNanos), ratio);
    }
}
