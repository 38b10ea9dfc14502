/**
 * Shared memory, the JVM's {@code SharedArrayBuffer} and {@code Atomics}: {@link dev.offload.shm.SharedBuffer} is
 * fixed-length, zeroed, off-heap memory that any number of threads (and, when {@linkplain
 * dev.offload.shm.SharedBuffer#map mapped} from a file, processes) read and write at once, through typed views
 * ({@link dev.offload.shm.IntArray}, {@link dev.offload.shm.LongArray}, {@link dev.offload.shm.DoubleArray}) with
 * every {@link java.lang.invoke.VarHandle} access mode, and {@link dev.offload.shm.Atomics} with
 * {@code wait}/{@code notify}/{@code waitAsync}. {@link dev.offload.shm.TransferableBuffer} is the
 * {@code ArrayBuffer} analog: owned by one holder, moved between threads by {@code transfer()}.
 *
 * <h2 id="MemoryVisibility">Memory consistency</h2>
 *
 * A buffer is shared on purpose, so it orders nothing by itself: ordering between threads comes only from the access
 * mode of each access, as in {@link java.lang.invoke.VarHandle}. Plain and opaque accesses order nothing (opaque ones
 * are at least coherent per element). A release (or stronger) write that an acquire (or stronger) read in another
 * thread sees makes every action of the writer before the write happen-before every action of the reader after the
 * read. Volatile accesses, the atomic read-modify-write methods and every {@code Atomics} method are sequentially
 * consistent. A {@code notify} happens-before the return of each {@code wait} that it wakes with {@code OK}.
 *
 * <h2>Safety</h2>
 *
 * Every access goes through {@link java.lang.foreign.MemorySegment} var handles and is bounds checked; nothing in this
 * package uses {@code Unsafe} or needs a JVM flag. Out-of-bounds or misaligned access, use of a closed
 * buffer and use of a transferred buffer throw an exception whose message names the rule and the values; none of
 * them can crash the JVM or corrupt other memory.
 *
 * <p>Threading: every type in this package may be used from any thread. {@code Atomics.wait} blocks its caller;
 * {@code Atomics.waitAsync} never does.
 */
package dev.offload.shm;
