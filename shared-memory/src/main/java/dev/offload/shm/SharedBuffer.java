package dev.offload.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Fixed-length, zeroed, off-heap memory shared on purpose between threads.
 *
 * <p>Threading: any thread.
 */
public final class SharedBuffer {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment segment;

    private SharedBuffer(MemorySegment segment) {
        this.segment = segment;
    }

    /**
     * Allocates a zeroed buffer whose memory is freed when it becomes unreachable.
     *
     * @param byteLength the length in bytes, at least 0
     * @return the new buffer
     * @throws IllegalArgumentException if {@code byteLength} is negative
     */
    public static SharedBuffer allocate(long byteLength) {
        if (byteLength < 0) {
            throw new IllegalArgumentException("byteLength must be >= 0: byteLength=" + byteLength);
        }
        return new SharedBuffer(Arena.ofAuto().allocate(byteLength, Long.BYTES));
    }

    /**
     * Returns the length of this buffer in bytes.
     *
     * @return the length in bytes
     */
    public long byteLength() {
        return segment.byteSize();
    }

    /**
     * Atomically adds {@code delta} to the int at {@code byteOffset}, with volatile memory semantics.
     *
     * @param byteOffset the offset in bytes, a multiple of 4
     * @param delta the value to add
     * @return the previous value
     */
    public int getAndAddInt(long byteOffset, int delta) {
        return (int) INT.getAndAdd(segment, byteOffset, delta);
    }
}
