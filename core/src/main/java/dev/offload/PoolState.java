package dev.offload;

/**
 * The life of a {@link WorkerPool}: {@code RUNNING -> DRAINING -> CLOSED}, and {@code RUNNING -> FAILED} when workers
 * crash past the restart limit ({@code FAILED -> RUNNING} on {@link WorkerPool#reset()}, {@code FAILED -> CLOSED} on
 * close).
 */
public enum PoolState {
    /** Accepting and running tasks. */
    RUNNING,
    /** Closing: no new tasks; accepted ones finish (graceful) or are cancelled (forced). */
    DRAINING,
    /** Workers crashed past the restart limit: submits are refused and queued tasks fail until reset or close. */
    FAILED,
    /** Closed: every worker thread has ended or was abandoned. */
    CLOSED
}
