package dev.offload.shm;

import dev.offload.shm.internal.WaitTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Fixed-length, off-heap memory shared on purpose between threads, and through {@link #map(Path, long)} between
 * processes: the JVM's {@code SharedArrayBuffer}.
 *
 * <p>A buffer is a range of bytes; read and write it through the typed views {@link #asIntArray()},
 * {@link #asLongArray()} and {@link #asDoubleArray()} (per-element access in every {@link java.lang.invoke.VarHandle}
 * access mode, plus {@link Atomics}), in bulk with {@link #copyFrom} and {@link #copyTo}, or through
 * {@link #segment()} and {@link #asByteBuffer()}. Every access is bounds checked: misuse throws, it never crashes the
 * JVM.
 *
 * <p>Lifetime: {@link #allocate(long)} memory is freed by the garbage collector once no buffer, slice, view, segment
 * or byte buffer over it is reachable. {@link #allocateCloseable(long)} and {@link #map(Path, long)} memory is freed
 * by {@link #close()}; afterwards every access, from any thread, throws {@link IllegalStateException}, and so does
 * every method that hands out the memory ({@link #slice}, the {@code as...} views, {@link #asByteBuffer()},
 * {@link #segment()}); {@link #byteLength()}, {@link #isCloseable()} and {@link #isMapped()} still answer. Threads
 * waiting in {@link Atomics#wait} on it wake up and throw too. While an I/O operation or native call uses the memory,
 * {@code close()} refuses to free it and throws, and the buffer stays fully usable.
 *
 * <p>Memory consistency effects: none of its own. Ordering between threads comes only from the access mode of each
 * access (see {@link IntArray}) and from {@link Atomics#notify}; bulk copies and {@link #asByteBuffer()} accesses are
 * plain accesses.
 *
 * <p>Threading: any thread.
 */
public final class SharedBuffer implements AutoCloseable {
    /** Alignment of {@link #allocate(long, long)} that keeps a buffer on cache lines of its own: 128 bytes. */
    public static final long CACHE_LINE = 128;

    private static final long DEFAULT_ALIGNMENT = Long.BYTES;

    private enum Lifetime {
        AUTO,
        CLOSEABLE,
        MAPPED,
        SLICE
    }

    private final MemorySegment segment;
    private final Arena arena;
    private final Lifetime lifetime;
    private final boolean crossProcess;
    private final long offsetInAllocation;
    private final Object closeLock = new Object();

    private SharedBuffer(
            MemorySegment segment, Arena arena, Lifetime lifetime, boolean crossProcess, long offsetInAllocation) {
        this.segment = segment;
        this.arena = arena;
        this.lifetime = lifetime;
        this.crossProcess = crossProcess;
        this.offsetInAllocation = offsetInAllocation;
    }

    /**
     * Allocates a zeroed, 8-byte aligned buffer whose memory the garbage collector frees, like
     * {@code new SharedArrayBuffer(byteLength)}. Such a buffer cannot be {@linkplain #close() closed}.
     *
     * @param byteLength the length in bytes, at least 0
     * @return the new buffer
     * @throws IllegalArgumentException if {@code byteLength} is negative
     * @throws OutOfMemoryError if the memory cannot be allocated
     */
    public static SharedBuffer allocate(long byteLength) {
        return allocate(byteLength, DEFAULT_ALIGNMENT);
    }

    /**
     * Allocates a zeroed buffer whose memory the garbage collector frees, starting at a multiple of
     * {@code alignment}; pass {@link #CACHE_LINE} to keep the buffer off cache lines shared with other data.
     *
     * @param byteLength the length in bytes, at least 0
     * @param alignment the alignment in bytes, a power of two, at least 8
     * @return the new buffer
     * @throws IllegalArgumentException if {@code byteLength} is negative, {@code alignment} is not a power of two
     *     {@code >= 8}, or their sum exceeds {@link Long#MAX_VALUE}
     * @throws OutOfMemoryError if the memory cannot be allocated
     */
    public static SharedBuffer allocate(long byteLength, long alignment) {
        checkAllocation(byteLength, alignment);
        return new SharedBuffer(Arena.ofAuto().allocate(byteLength, alignment), null, Lifetime.AUTO, false, 0);
    }

    /**
     * Allocates a zeroed, 8-byte aligned buffer whose memory is freed by {@link #close()}.
     *
     * @param byteLength the length in bytes, at least 0
     * @return the new buffer; close it when done
     * @throws IllegalArgumentException if {@code byteLength} is negative
     * @throws OutOfMemoryError if the memory cannot be allocated
     */
    public static SharedBuffer allocateCloseable(long byteLength) {
        return allocateCloseable(byteLength, DEFAULT_ALIGNMENT);
    }

    /**
     * Allocates a zeroed buffer whose memory is freed by {@link #close()}, starting at a multiple of
     * {@code alignment}.
     *
     * @param byteLength the length in bytes, at least 0
     * @param alignment the alignment in bytes, a power of two, at least 8 (for example {@link #CACHE_LINE})
     * @return the new buffer; close it when done
     * @throws IllegalArgumentException if {@code byteLength} is negative, {@code alignment} is not a power of two
     *     {@code >= 8}, or their sum exceeds {@link Long#MAX_VALUE}
     * @throws OutOfMemoryError if the memory cannot be allocated
     */
    public static SharedBuffer allocateCloseable(long byteLength, long alignment) {
        checkAllocation(byteLength, alignment);
        Arena arena = Arena.ofShared();
        return new SharedBuffer(arena.allocate(byteLength, alignment), arena, Lifetime.CLOSEABLE, false, 0);
    }

    /**
     * Maps the first {@code byteLength} bytes of a file, creating the file or growing it (with zeros) when it is
     * shorter, so that other processes mapping the same file share the memory. Atomics on the buffer are atomic
     * across processes. {@link Atomics#wait} on a mapped buffer polls the value with backoff (spin, then sleeps of
     * 1&nbsp;µs doubling up to 1&nbsp;ms) because a notify in another process cannot reach this one;
     * {@link Atomics#notify} wakes at once the waiters that wait through the same mapping. Each call maps anew, at an
     * address of its own, and waiters are found by address: a waiter on another mapping of the same file, in this
     * process too, sees a change of the value by polling, and a notify that leaves the value as it was does not reach
     * it. So map a file once per process and share the buffer between threads. Close the buffer to unmap it.
     *
     * @param file the file to map; its existing bytes are kept
     * @param byteLength the number of bytes to map, at least 0
     * @return the mapped buffer, page aligned
     * @throws IllegalArgumentException if {@code byteLength} is negative
     * @throws UncheckedIOException if the file cannot be opened, grown or mapped
     */
    public static SharedBuffer map(Path file, long byteLength) {
        Objects.requireNonNull(file, "file");
        Checks.nonNegative("byteLength", byteLength);
        Arena arena = Arena.ofShared();
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, byteLength, arena);
            return new SharedBuffer(segment, arena, Lifetime.MAPPED, true, 0);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("map failed: file=" + file + ", byteLength=" + byteLength, e);
        }
    }

    private static void checkAllocation(long byteLength, long alignment) {
        Checks.nonNegative("byteLength", byteLength);
        if (alignment < DEFAULT_ALIGNMENT || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two >= 8: alignment=" + alignment);
        }
        if (byteLength > Long.MAX_VALUE - alignment) { // the allocator reserves up to byteLength + alignment
            throw new IllegalArgumentException("byteLength + alignment must not exceed Long.MAX_VALUE: byteLength="
                    + byteLength + ", alignment=" + alignment);
        }
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
     * Returns a buffer over {@code length} bytes of this one starting at {@code byteOffset}; both share the same
     * memory and lifetime. Close the buffer it was sliced from, not the slice.
     *
     * @param byteOffset the first byte of the slice
     * @param length the length of the slice in bytes
     * @return the slice
     * @throws IndexOutOfBoundsException if the range is negative or exceeds this buffer
     * @throws IllegalStateException if the buffer was closed
     */
    public SharedBuffer slice(long byteOffset, long length) {
        Checks.range("slice out of bounds", byteOffset, length, byteLength());
        checkAlive();
        return new SharedBuffer(
                segment.asSlice(byteOffset, length),
                null,
                Lifetime.SLICE,
                crossProcess,
                offsetInAllocation + byteOffset);
    }

    /**
     * Returns a view of the whole buffer as ints.
     *
     * @return the view, {@code byteLength() / 4} elements long
     * @throws IllegalArgumentException if {@code byteLength()} is not a multiple of 4 or the buffer (a slice) is not
     *     4-byte aligned
     * @throws IllegalStateException if the buffer was closed
     */
    public IntArray asIntArray() {
        return new IntArray(this, view(0, wholeLength(Integer.BYTES), Integer.BYTES));
    }

    /**
     * Returns a view of {@code length} ints starting at {@code byteOffset}.
     *
     * @param byteOffset the offset of element 0 in bytes, a multiple of 4
     * @param length the number of elements
     * @return the view
     * @throws IllegalArgumentException if {@code byteOffset} is misaligned or {@code length} is negative
     * @throws IndexOutOfBoundsException if the view is wider than this buffer
     * @throws IllegalStateException if the buffer was closed
     */
    public IntArray asIntArray(long byteOffset, long length) {
        return new IntArray(this, view(byteOffset, length, Integer.BYTES));
    }

    /**
     * Returns a view of the whole buffer as longs.
     *
     * @return the view, {@code byteLength() / 8} elements long
     * @throws IllegalArgumentException if {@code byteLength()} is not a multiple of 8 or the buffer (a slice) is not
     *     8-byte aligned
     * @throws IllegalStateException if the buffer was closed
     */
    public LongArray asLongArray() {
        return new LongArray(this, view(0, wholeLength(Long.BYTES), Long.BYTES));
    }

    /**
     * Returns a view of {@code length} longs starting at {@code byteOffset}.
     *
     * @param byteOffset the offset of element 0 in bytes, a multiple of 8
     * @param length the number of elements
     * @return the view
     * @throws IllegalArgumentException if {@code byteOffset} is misaligned or {@code length} is negative
     * @throws IndexOutOfBoundsException if the view is wider than this buffer
     * @throws IllegalStateException if the buffer was closed
     */
    public LongArray asLongArray(long byteOffset, long length) {
        return new LongArray(this, view(byteOffset, length, Long.BYTES));
    }

    /**
     * Returns a view of the whole buffer as doubles.
     *
     * @return the view, {@code byteLength() / 8} elements long
     * @throws IllegalArgumentException if {@code byteLength()} is not a multiple of 8 or the buffer (a slice) is not
     *     8-byte aligned
     * @throws IllegalStateException if the buffer was closed
     */
    public DoubleArray asDoubleArray() {
        return new DoubleArray(this, view(0, wholeLength(Double.BYTES), Double.BYTES));
    }

    /**
     * Returns a view of {@code length} doubles starting at {@code byteOffset}.
     *
     * @param byteOffset the offset of element 0 in bytes, a multiple of 8
     * @param length the number of elements
     * @return the view
     * @throws IllegalArgumentException if {@code byteOffset} is misaligned or {@code length} is negative
     * @throws IndexOutOfBoundsException if the view is wider than this buffer
     * @throws IllegalStateException if the buffer was closed
     */
    public DoubleArray asDoubleArray(long byteOffset, long length) {
        return new DoubleArray(this, view(byteOffset, length, Double.BYTES));
    }

    private long wholeLength(int elementSize) {
        long byteLength = byteLength();
        if (byteLength % elementSize != 0) {
            throw new IllegalArgumentException("byteLength must be a multiple of the element size: byteLength="
                    + byteLength + ", elementSize=" + elementSize);
        }
        return byteLength / elementSize;
    }

    private MemorySegment view(long byteOffset, long length, int elementSize) {
        Checks.nonNegative("length", length);
        Checks.nonNegative("byteOffset", byteOffset);
        Checks.aligned(byteOffset, offsetInAllocation + byteOffset, elementSize);
        long byteLength = byteLength();
        if (length > (byteLength - Math.min(byteOffset, byteLength)) / elementSize || byteOffset > byteLength) {
            throw new IndexOutOfBoundsException("view wider than buffer: byteOffset=" + byteOffset + ", length="
                    + length + ", elementSize=" + elementSize + ", byteLength=" + byteLength);
        }
        checkAlive();
        return segment.asSlice(byteOffset, length * elementSize);
    }

    /**
     * Copies {@code count} bytes from {@code src} into this buffer (plain writes).
     *
     * @param byteOffset where the first byte goes in this buffer
     * @param src the source array
     * @param srcIndex the first byte to copy from {@code src}
     * @param count the number of bytes
     * @throws IndexOutOfBoundsException if either range is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public void copyFrom(long byteOffset, byte[] src, int srcIndex, int count) {
        Checks.arrayRange(srcIndex, count, src.length);
        Checks.range("range out of bounds", byteOffset, count, byteLength());
        try {
            MemorySegment.copy(src, srcIndex, segment, ValueLayout.JAVA_BYTE, byteOffset, count);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    /**
     * Copies {@code count} bytes of this buffer into {@code dst} (plain reads).
     *
     * @param byteOffset the first byte to copy from this buffer
     * @param dst the destination array
     * @param dstIndex where the first byte goes in {@code dst}
     * @param count the number of bytes
     * @throws IndexOutOfBoundsException if either range is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public void copyTo(long byteOffset, byte[] dst, int dstIndex, int count) {
        Checks.arrayRange(dstIndex, count, dst.length);
        Checks.range("range out of bounds", byteOffset, count, byteLength());
        try {
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, byteOffset, dst, dstIndex, count);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    /**
     * Returns a direct {@link ByteBuffer} over this buffer's memory in {@linkplain ByteOrder#nativeOrder() native
     * order} (the order of the typed views). Its accesses are plain; after {@link #close()} they throw
     * {@link IllegalStateException}. While channel I/O on it is in progress, {@link #close()} throws instead of
     * freeing the memory.
     *
     * @return a new byte buffer over the whole buffer
     * @throws UnsupportedOperationException if the buffer is longer than {@link Integer#MAX_VALUE} bytes
     * @throws IllegalStateException if the buffer was closed
     */
    public ByteBuffer asByteBuffer() {
        checkAlive();
        return segment.asByteBuffer().order(ByteOrder.nativeOrder());
    }

    /**
     * Returns the memory segment of this buffer: the escape hatch to every {@code java.lang.foreign} operation. It
     * has this buffer's bounds and lifetime: its accesses throw {@link IllegalStateException} once the buffer is
     * closed.
     *
     * @return the segment
     * @throws IllegalStateException if the buffer was closed
     */
    public MemorySegment segment() {
        checkAlive();
        return segment;
    }

    /**
     * Returns whether {@link #close()} frees this buffer ({@link #allocateCloseable} and {@link #map} buffers).
     *
     * @return {@code true} if the buffer can be closed
     */
    public boolean isCloseable() {
        return arena != null;
    }

    /**
     * Returns whether this buffer is memory-mapped from a file (or is a slice of one), so other processes may share
     * it and {@link Atomics#wait} polls.
     *
     * @return {@code true} for a mapped buffer
     */
    public boolean isMapped() {
        return crossProcess;
    }

    /**
     * Frees the memory of an {@link #allocateCloseable} or {@link #map} buffer, or throws and frees nothing while an
     * I/O operation or native call uses it; once it freed the memory, later calls do nothing. Afterwards every access
     * through this buffer, its slices, views, segment and byte buffers throws {@link IllegalStateException} in every
     * thread, and threads in {@link Atomics#wait} or {@link Atomics#waitAsync} on it wake and fail with
     * {@link IllegalStateException}. An access racing with close either completes on live memory or throws.
     *
     * <p>A call that returns normally returns after the memory was freed and its waiters were woken, also when
     * another thread's call freed it: every thread in {@code wait} on it throws, and every {@code waitAsync} stage on
     * it can only fail. Of racing calls, exactly one frees the memory; it fails those stages on its own thread before
     * it returns, so their callbacks run there, and it holds no lock while they run: a callback may close this buffer
     * (that call returns at once) or another one. A call that did not free the memory does not wait for those
     * callbacks, so when it returns a stage may not have failed yet. A call that throws because
     * the memory is in use (a channel read or write into {@link #asByteBuffer()}, a native call passed
     * {@link #segment()}) leaves the buffer open and fully usable, and every call throws until the operation
     * returns; close it then.
     *
     * <p>Memory consistency effects: actions of a thread before a call that frees the memory happen-before the
     * return of each later call, and before each waiter it wakes throws (or its stage fails).
     *
     * <p>Threading: any thread, also from a {@code waitAsync} callback on this or another buffer.
     *
     * @throws IllegalStateException if an I/O operation or native call is using the memory; nothing was freed
     * @throws UnsupportedOperationException if the garbage collector manages the memory ({@link #allocate}) or this
     *     buffer is a slice
     */
    @Override
    public void close() {
        if (lifetime == Lifetime.AUTO) {
            throw new UnsupportedOperationException(
                    "close of a GC-managed buffer: lifetime=AUTO, use allocateCloseable to free memory explicitly");
        }
        if (lifetime == Lifetime.SLICE) {
            throw new UnsupportedOperationException("close of a slice: close the buffer it was sliced from");
        }
        WaitTable.ClosedFutures stages;
        synchronized (closeLock) { // a close that returns has seen the memory freed and its waiters woken
            if (!arena.scope().isAlive()) {
                return;
            }
            long base = segment.address();
            try {
                arena.close();
            } catch (IllegalStateException acquired) { // open, and only we close it: NIO or a downcall holds it
                throw new IllegalStateException(
                        "buffer in use by an I/O operation or native call: byteLength=" + byteLength()
                                + "; close it after the operation returns",
                        acquired);
            }
            stages = WaitTable.wakeClosed(base, segment.byteSize());
        }
        stages.fail(); // after the lock: a callback may close this buffer, or one whose callback closes this one
    }

    private void checkAlive() {
        if (!segment.scope().isAlive()) {
            throw closed(new IllegalStateException("Already closed"));
        }
    }

    boolean crossProcess() {
        return crossProcess;
    }

    IllegalStateException closed(IllegalStateException cause) {
        return new IllegalStateException("buffer closed: byteLength=" + byteLength(), cause);
    }

    @Override
    public String toString() {
        return "SharedBuffer[byteLength=" + byteLength() + ", lifetime=" + lifetime + "]";
    }
}
