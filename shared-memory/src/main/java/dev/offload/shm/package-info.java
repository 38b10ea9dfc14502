/**
 * Shared memory: {@link dev.offload.shm.SharedBuffer} is fixed-length, zeroed, off-heap memory that any number of
 * threads may read and write at once.
 *
 * <p>Threading: every type in this package may be used from any thread. A buffer is shared on purpose; ordering
 * between threads comes only from the access mode used, spelled out as in {@link java.lang.invoke.VarHandle}.
 */
package dev.offload.shm;
