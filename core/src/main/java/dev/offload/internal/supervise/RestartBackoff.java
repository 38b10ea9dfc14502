package dev.offload.internal.supervise;

import dev.offload.RestartPolicy;
import dev.offload.internal.base.Durations;
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

    /**
     * A worker that cannot live crashed after running {@code uptimeNanos}; the wait counts from {@code now} (the crash
     * was handled then). A wait already under way is kept, even if this crash was stable (it resets the count, not a
     * wait that was announced), and the verdict's delay is the whole wait left.
     */
    Verdict onCrash(long uptimeNanos, long now) {
        unstable = uptimeNanos >= Durations.toNanos(policy.minUptime()) ? 0 : unstable + 1;
        if (unstable > policy.maxRestarts()) {
            return new Verdict(true, unstable, Duration.ZERO);
        }
        long until = now + (unstable == 0 ? 0 : Durations.toNanos(policy.delayBefore(unstable)));
        boolean held = holds(now);
        if (!held || until - startAllowedAt > 0) {
            startAllowedAt = until;
        }
        active = held || unstable > 0;
        return new Verdict(false, unstable, active ? Duration.ofNanos(startAllowedAt - now) : Duration.ZERO);
    }

    /**
     * A task crashed a worker that had started: the workers can live, so the count of unstable restarts starts over
     * and nothing is added to it; a wait already under way is kept (its delay is the verdict's).
     */
    Verdict onTaskCrash(long now) {
        unstable = 0;
        boolean held = holds(now);
        active = held;
        return new Verdict(false, 0, held ? Duration.ofNanos(startAllowedAt - now) : Duration.ZERO);
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
