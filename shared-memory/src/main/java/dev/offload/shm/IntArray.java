package dev.offload.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A view of a {@link SharedBuffer} as {@code int} elements in native byte order, like JavaScript's
 * {@code Int32Array}: per-element access in every {@link VarHandle} access mode, bounds checked.
 * {@link Atomics} offers the same operations under JavaScript's names, plus {@code wait}/{@code notify}.
 *
 * <p>Memory consistency effects: each method states its own. In short, plain ({@link #get}/{@link #set}) and
 * opaque accesses order nothing; a {@link #setRelease} (or stronger) write that a {@link #getAcquire} (or stronger)
 * read in another thread sees makes everything the writer did before it happen-before everything the reader does
 * after it; volatile accesses and the atomic read-modify-write methods are sequentially consistent.
 *
 * <p>Threading: any thread. Create it with {@link SharedBuffer#asIntArray()}.
 */
public final class IntArray {
    private static final VarHandle VH = ValueLayout.JAVA_INT.varHandle();

    private final SharedBuffer buffer;
    private final MemorySegment segment;
    private final long length;

    IntArray(SharedBuffer buffer, MemorySegment segment) {
        this.buffer = buffer;
        this.segment = segment;
        this.length = segment.byteSize() >>> 2;
    }

    /**
     * Returns the number of elements.
     *
     * @return the length of this view in elements
     */
    public long length() {
        return length;
    }

    /**
     * Returns the buffer this view reads and writes.
     *
     * @return the buffer
     */
    public SharedBuffer buffer() {
        return buffer;
    }

    /**
     * Returns the element with plain semantics, like reading a non-volatile field.
     *
     * <p>Memory consistency effects: none: a plain read may see a stale value and may be reordered with other plain accesses.
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @return the element
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public int get(long index) {
        try {
            return (int) VH.get(segment, offset(index));
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Sets the element with plain semantics, like writing a non-volatile field.
     *
     * <p>Memory consistency effects: none: another thread sees the write only through a later release/volatile write it synchronizes with.
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @param value the new value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public void set(long index, int value) {
        try {
            VH.set(segment, offset(index), value);
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Returns the element in opaque mode: coherent per element, no ordering with other accesses.
     *
     * <p>Memory consistency effects: none beyond coherence: it never sees an older value than a previous opaque read of the same element saw.
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @return the element
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public int getOpaque(long index) {
        try {
            return (int) VH.getOpaque(segment, offset(index));
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Sets the element in opaque mode: the write becomes visible eventually, with no ordering with other accesses.
     *
     * <p>Memory consistency effects: none beyond coherence; use it for progress flags and statistics, not to publish data.
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @param value the new value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public void setOpaque(long index, int value) {
        try {
            VH.setOpaque(segment, offset(index), value);
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Returns the element with acquire semantics.
     *
     * <p>Memory consistency effects: if this read sees a value written by {@link #setRelease} (or a stronger write) in another thread, every
     * action of that thread before that write happens-before every action of this thread after this read.
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @return the element
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public int getAcquire(long index) {
        try {
            return (int) VH.getAcquire(segment, offset(index));
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Sets the element with release semantics.
     *
     * <p>Memory consistency effects: actions of this thread before this write happen-before the actions of any thread after an
     * acquire (or stronger) read that sees this value.
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @param value the new value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public void setRelease(long index, int value) {
        try {
            VH.setRelease(segment, offset(index), value);
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Returns the element with volatile semantics, like reading a {@code volatile} field.
     *
     * <p>Memory consistency effects: as {@link #getAcquire}; volatile accesses are also totally ordered (sequentially consistent).
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @return the element
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public int getVolatile(long index) {
        try {
            return (int) VH.getVolatile(segment, offset(index));
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Sets the element with volatile semantics, like writing a {@code volatile} field.
     *
     * <p>Memory consistency effects: as {@link #setRelease}; volatile accesses are also totally ordered (sequentially consistent).
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @param value the new value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public void setVolatile(long index, int value) {
        try {
            VH.setVolatile(segment, offset(index), value);
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Atomically sets the element to {@code newValue} if it equals {@code expected}.
     *
     * <p>Memory consistency effects: volatile read and, on success, volatile write of the element.
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @param expected the value the element must have
     * @param newValue the value to set
     * @return whether the element was set
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public boolean compareAndSet(long index, int expected, int newValue) {
        try {
            return VH.compareAndSet(segment, offset(index), expected, newValue);
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Atomically sets the element to {@code newValue} if it equals {@code expected}, returning the value it had.
     *
     * <p>Memory consistency effects: volatile read and, on success, volatile write of the element.
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @param expected the value the element must have
     * @param newValue the value to set
     * @return the previous value; the exchange happened if it equals {@code expected}
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public int compareAndExchange(long index, int expected, int newValue) {
        try {
            return (int) VH.compareAndExchange(segment, offset(index), expected, newValue);
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Atomically sets the element to {@code value}, returning the value it had.
     *
     * <p>Memory consistency effects: volatile read and volatile write of the element.
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @param value the new value
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public int getAndSet(long index, int value) {
        try {
            return (int) VH.getAndSet(segment, offset(index), value);
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Atomically adds {@code delta} to the element (wrapping on overflow), returning the value it had.
     *
     * <p>Memory consistency effects: volatile read and volatile write of the element.
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @param delta the value to add
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public int getAndAdd(long index, int delta) {
        try {
            return (int) VH.getAndAdd(segment, offset(index), delta);
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Atomically sets the element to its bitwise AND with {@code mask}, returning the value it had.
     *
     * <p>Memory consistency effects: volatile read and volatile write of the element.
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @param mask the mask
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public int getAndBitwiseAnd(long index, int mask) {
        try {
            return (int) VH.getAndBitwiseAnd(segment, offset(index), mask);
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Atomically sets the element to its bitwise OR with {@code mask}, returning the value it had.
     *
     * <p>Memory consistency effects: volatile read and volatile write of the element.
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @param mask the mask
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public int getAndBitwiseOr(long index, int mask) {
        try {
            return (int) VH.getAndBitwiseOr(segment, offset(index), mask);
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Atomically sets the element to its bitwise XOR with {@code mask}, returning the value it had.
     *
     * <p>Memory consistency effects: volatile read and volatile write of the element.
     *
     * @param index the element index, {@code 0 <= index < length()}
     * @param mask the mask
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public int getAndBitwiseXor(long index, int mask) {
        try {
            return (int) VH.getAndBitwiseXor(segment, offset(index), mask);
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Copies {@code count} elements from {@code src} into this view starting at element {@code index} (plain writes).
     *
     * <p>Memory consistency effects: none (plain accesses).
     *
     * @param index the first element of this view
     * @param src the source array
     * @param srcIndex the first element of {@code src} to copy
     * @param count the number of elements
     * @throws IndexOutOfBoundsException if either range is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public void copyFrom(long index, int[] src, int srcIndex, int count) {
        try {
            Checks.arrayRange(srcIndex, count, src.length);
            checkRange(index, count);
            MemorySegment.copy(src, srcIndex, segment, ValueLayout.JAVA_INT, index << 2, count);
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    /**
     * Copies {@code count} elements of this view starting at element {@code index} into {@code dst} (plain reads).
     *
     * <p>Memory consistency effects: none (plain accesses).
     *
     * @param index the first element of this view
     * @param dst the destination array
     * @param dstIndex where the first element goes in {@code dst}
     * @param count the number of elements
     * @throws IndexOutOfBoundsException if either range is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public void copyTo(long index, int[] dst, int dstIndex, int count) {
        try {
            Checks.arrayRange(dstIndex, count, dst.length);
            checkRange(index, count);
            MemorySegment.copy(segment, ValueLayout.JAVA_INT, index << 2, dst, dstIndex, count);
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    MemorySegment cell(long index) {
        try {
            return segment.asSlice(offset(index), 4);
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    long address(long index) {
        if (!segment.scope().isAlive()) {
            throw buffer.closed(new IllegalStateException("Already closed"));
        }
        return segment.address() + offset(index);
    }

    private long offset(long index) {
        if (Long.compareUnsigned(index, length) >= 0) {
            throw Checks.indexOutOfBounds(index, length);
        }
        return index << 2;
    }

    private void checkRange(long index, int count) {
        if (index < 0 || index > length - count) {
            throw new IndexOutOfBoundsException(
                    "range out of bounds: index=" + index + ", count=" + count + ", length=" + length);
        }
    }

    @Override
    public String toString() {
        return "IntArray[length=" + length + "]";
    }
}
