package dev.offload;

/** What a {@link WorkerPool} checks about the values that cross between the submitter and its workers. */
public enum Isolation {
    /**
     * The default: immutable values pass by reference, primitive arrays and JDK collections of sendable values are
     * copied, {@code SharedBuffer}s are shared, {@code TransferableBuffer}s are moved, anything else is rejected with
     * {@link NotSendableException}. Checked once per class.
     */
    CHECKED,
    /** No check and no copy: every value passes by reference. For callers who own the risk of sharing. */
    TRUSTED
}
