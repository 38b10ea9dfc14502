package dev.offload.internal;

import dev.offload.RestartPolicy;
import java.time.Duration;

/**
 * A pool's restart backoff, with PM2's semantics (see {@link RestartPolicy}): a crash of a worker that ran at least
 * {@code minUptime} was stable and resets the count; quicker ones are consecutive unstable restarts, each waiting
 * longer, and one past {@code maxRestarts} is over the limit. While the backoff holds, no worker starts: not a
 * restart, not growth, not a draining pool's last worker.
 *
 * <p>Supervisor thread only.
 */
final class RestartBackoff {
    /** The answer to a crash: over the limit, or the wait before the next start. */
    record Verdict(boolean overLimit, int unstable, Duration delay) {}

    private final RestartPolicy policy;
    private int unstable;
    private long startAllowedAt;
    private boolean active;

    RestartBackoff(RestartPolicy policy) {
        this.policy = policy;
    }

    /** A worker crashed after running {@code uptimeNanos}; the wait counts from now (the crash was handled now). */
    Verdict onCrash(long uptimeNanos) {
        unstable = uptimeNanos >= Durations.toNanos(policy.minUptime()) ? 0 : unstable + 1;
        if (unstable > policy.maxRestarts()) {
            return new Verdict(true, unstable, Duration.ZERO);
        }
        Duration delay = unstable == 0 ? Duration.ZERO : policy.delayBefore(unstable);
        startAllowedAt = System.nanoTime() + Durations.toNanos(delay);
        active = unstable > 0;
        return new Verdict(false, unstable, delay);
    }

    /** Whether a start must wait at {@code now}. */
    boolean holds(long now) {
        return active && now - startAllowedAt < 0;
    }

    /** When the backoff that {@link #holds} ends. */
    long endsAt() {
        return startAllowedAt;
    }

    /** The pool was reset: the count starts over. */
    void reset() {
        unstable = 0;
        active = false;
    }
}
