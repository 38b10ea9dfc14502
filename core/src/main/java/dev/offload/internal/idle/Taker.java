package dev.offload.internal.idle;

/**
 * A thread that producers wake to take tasks (a pool's worker), as a producer deciding whom to wake sees it.
 *
 * <p>Any thread.
 */
public interface Taker {
    /**
     * Returns whether the worker could take another task now (its async slots are not all taken).
     *
     * @return {@code true} if waking it for a task makes sense
     */
    boolean canTakeMore();
}
