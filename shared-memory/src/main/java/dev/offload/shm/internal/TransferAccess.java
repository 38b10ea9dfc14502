package dev.offload.shm.internal;

import dev.offload.shm.TransferableBuffer;

/**
 * The two steps of a transfer, for message passing that must move nothing when a send fails: {@link Steps#handOver} makes
 * the receiver's handle while the sender's stays attached, {@link Steps#detach} then detaches the sender's handle (the
 * commit), and {@link Steps#reattach} undoes a detach whose send failed afterwards. {@link TransferableBuffer#transfer()}
 * is both steps at once. Exported to the offload core module only.
 *
 * <p>Threading: any thread. Memory consistency effects: as {@link TransferableBuffer#transfer()}; the receiver's
 * handle must reach the receiver through a safe publication made after {@link Steps#detach} returned {@code true}.
 */
public final class TransferAccess {
    /** What {@link TransferableBuffer} registers in its static initializer. */
    public interface Steps {
        /**
         * Makes the receiver's handle over the same memory; the sender's handle stays attached.
         *
         * @param source the sender's handle
         * @return the receiver's handle, not to be published before {@code detach(source)} returned {@code true}
         * @throws IllegalStateException if {@code source} is already detached
         */
        TransferableBuffer handOver(TransferableBuffer source);

        /**
         * Detaches the sender's handle.
         *
         * @param source the sender's handle
         * @return {@code false} if it was already detached (another transfer won)
         */
        boolean detach(TransferableBuffer source);

        /**
         * Attaches again a handle that {@link Steps#detach} detached, when the send that detached it failed afterwards.
         *
         * @param source the sender's handle
         */
        void reattach(TransferableBuffer source);
    }

    private static volatile Steps steps;

    private TransferAccess() {}

    /**
     * Registers the implementation. Called once, by {@link TransferableBuffer}'s static initializer.
     *
     * @param implementation the steps
     */
    public static void register(Steps implementation) {
        steps = implementation;
    }

    /**
     * Returns the steps. The caller holds a {@link TransferableBuffer}, so its class is initialized and registered.
     *
     * @return the steps
     */
    public static Steps steps() {
        return steps;
    }
}
