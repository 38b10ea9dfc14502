package dev.offload;

/**
 * Something scheduled that can still be called off, such as a timer of an {@link EventLoop}.
 *
 * <p>Threading: any thread.
 */
public interface Cancellable {
    /**
     * Cancels it if it has not run yet.
     *
     * @return {@code true} if this call cancelled it; {@code false} if it already ran or was already cancelled
     */
    boolean cancel();

    /**
     * Returns whether it was cancelled.
     *
     * @return {@code true} if cancelled
     */
    boolean isCancelled();
}
