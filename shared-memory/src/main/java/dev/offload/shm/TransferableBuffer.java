package dev.offload.shm;

import dev.offload.shm.internal.TransferAccess;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Off-heap memory owned by one holder at a time, the JVM's {@code ArrayBuffer}: {@link #transfer()} hands the memory
 * to a new handle and detaches this one, after which every use of this handle throws {@link IllegalStateException}.
 * A pool moves it this way when it is found in a task's input or output (the pool's structured clone calls
 * {@link #transfer()}), instead of copying or sharing it.
 *
 * <p>Memory consistency effects: actions of a thread before it calls {@link #transfer()} happen-before the actions
 * of any thread after it receives the returned handle through a safe publication (a message, a volatile write, a
 * concurrent collection); the transfer itself is a volatile compare-and-set of this handle's state.
 *
 * <p>Threading: any thread, but meant for one holder at a time. If several threads race to transfer one handle,
 * exactly one succeeds and the others throw. A use racing with a transfer of the same handle either completes on the
 * memory or throws; a program that does so is racy, as the new holder may already use the memory. The memory is
 * freed by the garbage collector once no handle or segment over it is reachable.
 */
public final class TransferableBuffer {
    private static final VarHandle DETACHED;

    static {
        try {
            DETACHED = MethodHandles.lookup().findVarHandle(TransferableBuffer.class, "detached", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        TransferAccess.register(new TransferAccess.Steps() {
            @Override
            public TransferableBuffer handOver(TransferableBuffer source) {
                source.checkAttached();
                return new TransferableBuffer(source.segment);
            }

            @Override
            public boolean detach(TransferableBuffer source) {
                return DETACHED.compareAndSet(source, false, true);
            }

            @Override
            public void reattach(TransferableBuffer source) {
                source.detached = false;
            }
        });
    }

    private final MemorySegment segment;
    private volatile boolean detached;

    private TransferableBuffer(MemorySegment segment) {
        this.segment = segment;
    }

    /**
     * Allocates a zeroed, 8-byte aligned buffer owned by the returned handle.
     *
     * @param byteLength the length in bytes, at least 0
     * @return the handle
     * @throws IllegalArgumentException if {@code byteLength} is negative
     */
    public static TransferableBuffer allocate(long byteLength) {
        Checks.nonNegative("byteLength", byteLength);
        return new TransferableBuffer(Arena.ofAuto().allocate(byteLength, Long.BYTES));
    }

    /**
     * Moves the memory to a new handle and detaches this one, like {@code structuredClone(buffer, {transfer})}.
     *
     * <p>Memory consistency effects: see the class comment.
     *
     * @return the new owner of the memory
     * @throws IllegalStateException if this handle was already transferred (also when another thread won a race to
     *     transfer it)
     */
    public TransferableBuffer transfer() {
        if (!DETACHED.compareAndSet(this, false, true)) { // publishes nothing itself; the receiver's handle does
            throw transferred();
        }
        return new TransferableBuffer(segment);
    }

    /**
     * Returns whether this handle was transferred; a detached handle cannot be used.
     *
     * @return {@code true} once {@link #transfer()} succeeded on this handle
     */
    public boolean isDetached() {
        return detached;
    }

    /**
     * Returns the length in bytes, or 0 once detached (as JavaScript's {@code ArrayBuffer.byteLength}).
     *
     * @return the length in bytes, or 0 if detached
     */
    public long byteLength() {
        return detached ? 0 : segment.byteSize();
    }

    /**
     * Returns the memory as a segment, for bulk and typed access. Do not keep it past a {@link #transfer()}: the
     * segment stays usable, and using it then races with the new holder.
     *
     * @return the segment over the whole buffer
     * @throws IllegalStateException if this handle was transferred
     */
    public MemorySegment segment() {
        checkAttached();
        return segment;
    }

    /**
     * Returns the byte at {@code byteOffset} (plain read).
     *
     * @param byteOffset the offset in bytes
     * @return the byte
     * @throws IndexOutOfBoundsException if {@code byteOffset} is out of bounds
     * @throws IllegalStateException if this handle was transferred
     */
    public byte getByte(long byteOffset) {
        checkAttached();
        return segment.get(ValueLayout.JAVA_BYTE, checkOffset(byteOffset, Byte.BYTES));
    }

    /**
     * Sets the byte at {@code byteOffset} (plain write).
     *
     * @param byteOffset the offset in bytes
     * @param value the new value
     * @throws IndexOutOfBoundsException if {@code byteOffset} is out of bounds
     * @throws IllegalStateException if this handle was transferred
     */
    public void setByte(long byteOffset, byte value) {
        checkAttached();
        segment.set(ValueLayout.JAVA_BYTE, checkOffset(byteOffset, Byte.BYTES), value);
    }

    /**
     * Returns the int at {@code byteOffset} in native byte order (plain read).
     *
     * @param byteOffset the offset in bytes, a multiple of 4
     * @return the int
     * @throws IndexOutOfBoundsException if the int is out of bounds
     * @throws IllegalArgumentException if {@code byteOffset} is misaligned
     * @throws IllegalStateException if this handle was transferred
     */
    public int getInt(long byteOffset) {
        checkAttached();
        return segment.get(ValueLayout.JAVA_INT, checkOffset(byteOffset, Integer.BYTES));
    }

    /**
     * Sets the int at {@code byteOffset} in native byte order (plain write).
     *
     * @param byteOffset the offset in bytes, a multiple of 4
     * @param value the new value
     * @throws IndexOutOfBoundsException if the int is out of bounds
     * @throws IllegalArgumentException if {@code byteOffset} is misaligned
     * @throws IllegalStateException if this handle was transferred
     */
    public void setInt(long byteOffset, int value) {
        checkAttached();
        segment.set(ValueLayout.JAVA_INT, checkOffset(byteOffset, Integer.BYTES), value);
    }

    /**
     * Returns the long at {@code byteOffset} in native byte order (plain read).
     *
     * @param byteOffset the offset in bytes, a multiple of 8
     * @return the long
     * @throws IndexOutOfBoundsException if the long is out of bounds
     * @throws IllegalArgumentException if {@code byteOffset} is misaligned
     * @throws IllegalStateException if this handle was transferred
     */
    public long getLong(long byteOffset) {
        checkAttached();
        return segment.get(ValueLayout.JAVA_LONG, checkOffset(byteOffset, Long.BYTES));
    }

    /**
     * Sets the long at {@code byteOffset} in native byte order (plain write).
     *
     * @param byteOffset the offset in bytes, a multiple of 8
     * @param value the new value
     * @throws IndexOutOfBoundsException if the long is out of bounds
     * @throws IllegalArgumentException if {@code byteOffset} is misaligned
     * @throws IllegalStateException if this handle was transferred
     */
    public void setLong(long byteOffset, long value) {
        checkAttached();
        segment.set(ValueLayout.JAVA_LONG, checkOffset(byteOffset, Long.BYTES), value);
    }

    /**
     * Copies {@code count} bytes from {@code src} into this buffer (plain writes).
     *
     * @param byteOffset where the first byte goes in this buffer
     * @param src the source array
     * @param srcIndex the first byte to copy from {@code src}
     * @param count the number of bytes
     * @throws IndexOutOfBoundsException if either range is out of bounds
     * @throws IllegalStateException if this handle was transferred
     */
    public void copyFrom(long byteOffset, byte[] src, int srcIndex, int count) {
        checkAttached();
        Checks.arrayRange(srcIndex, count, src.length);
        Checks.range("range out of bounds", byteOffset, count, segment.byteSize());
        MemorySegment.copy(src, srcIndex, segment, ValueLayout.JAVA_BYTE, byteOffset, count);
    }

    /**
     * Copies {@code count} bytes of this buffer into {@code dst} (plain reads).
     *
     * @param byteOffset the first byte to copy from this buffer
     * @param dst the destination array
     * @param dstIndex where the first byte goes in {@code dst}
     * @param count the number of bytes
     * @throws IndexOutOfBoundsException if either range is out of bounds
     * @throws IllegalStateException if this handle was transferred
     */
    public void copyTo(long byteOffset, byte[] dst, int dstIndex, int count) {
        checkAttached();
        Checks.arrayRange(dstIndex, count, dst.length);
        Checks.range("range out of bounds", byteOffset, count, segment.byteSize());
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, byteOffset, dst, dstIndex, count);
    }

    private void checkAttached() {
        if (detached) {
            throw transferred();
        }
    }

    private long checkOffset(long byteOffset, int size) {
        long byteLength = segment.byteSize();
        if (byteOffset < 0 || byteOffset > byteLength - size) {
            throw new IndexOutOfBoundsException("byteOffset out of bounds: byteOffset=" + byteOffset + ", size=" + size
                    + ", byteLength=" + byteLength);
        }
        Checks.aligned(byteOffset, byteOffset, size);
        return byteOffset;
    }

    private IllegalStateException transferred() {
        return new IllegalStateException("buffer was transferred: detached=true, byteLength()=0, heldBytes="
                + segment.byteSize() + "; use the handle transfer() returned");
    }

    @Override
    public String toString() {
        return "TransferableBuffer[byteLength=" + byteLength() + ", detached=" + detached + "]";
    }
}
