package dev.offload.shm;

import dev.offload.shm.internal.WaitTable;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * JavaScript's {@code Atomics} over {@link IntArray} and {@link LongArray} (the {@code Int32Array} and
 * {@code BigInt64Array} analogs): {@code add}, {@code sub}, {@code and}, {@code or}, {@code xor}, {@code exchange},
 * {@code compareExchange}, {@code load}, {@code store}, {@code isLockFree}, and {@code wait}, {@code notify},
 * {@code waitAsync}.
 *
 * <p>Memory consistency effects: every operation here is sequentially consistent, like JavaScript's: each is a
 * volatile access (or an atomic read-modify-write) of the element. In addition, actions of a thread before it calls
 * {@link #notify(IntArray, long, int) notify} happen-before the actions of a thread after it returns {@link
 * WaitResult#OK} from a {@code wait} (or its {@code waitAsync} stage completes with {@code OK}) because of that notify.
 *
 * <p>Wait and notify: {@code wait} blocks only if the element equals the expected value, atomically with respect to
 * {@code notify} on the same element: a notify that follows a write of the element (any access mode, same thread)
 * never misses a waiter that saw the old value. A waiter spins on its own wait record for up to about 100&nbsp;µs,
 * then parks; it returns {@code OK} only when notified (never spuriously), except on a {@linkplain
 * SharedBuffer#map mapped} buffer, where waiters also poll the element with backoff (sleeps of 1&nbsp;µs doubling up
 * to 1&nbsp;ms; 1&nbsp;ms for {@code waitAsync}) and return {@code OK} once it differs from the expected value,
 * because a notify from another process cannot reach them. {@code notify} with no waiter on the element takes no
 * lock: a full fence and one volatile read. Waiters are woken oldest first.
 *
 * <p>Threading: any thread. {@code wait} blocks the caller; {@code waitAsync} never does (an event loop may call it).
 */
public final class Atomics {
    private Atomics() {}

    /**
     * Returns whether atomics on elements of {@code byteSize} bytes are lock-free, like {@code Atomics.isLockFree}:
     * {@code true} for 4 and 8 (the {@link IntArray} and {@link LongArray} elements, which compile to single atomic
     * instructions on 64-bit platforms), {@code false} for any other size.
     *
     * @param byteSize the element size in bytes
     * @return whether atomics of that size are lock-free
     */
    public static boolean isLockFree(int byteSize) {
        return byteSize == Integer.BYTES || byteSize == Long.BYTES;
    }

    /**
     * Atomically adds {@code value} to the element (wrapping), like {@code Atomics.add}.
     *
     * @param array the view
     * @param index the element index
     * @param value the value to add
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static int add(IntArray array, long index, int value) {
        return array.getAndAdd(index, value);
    }

    /**
     * Atomically subtracts {@code value} from the element (wrapping), like {@code Atomics.sub}.
     *
     * @param array the view
     * @param index the element index
     * @param value the value to subtract
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static int sub(IntArray array, long index, int value) {
        return array.getAndAdd(index, -value);
    }

    /**
     * Atomically sets the element to its bitwise AND with {@code value}, like {@code Atomics.and}.
     *
     * @param array the view
     * @param index the element index
     * @param value the mask
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static int and(IntArray array, long index, int value) {
        return array.getAndBitwiseAnd(index, value);
    }

    /**
     * Atomically sets the element to its bitwise OR with {@code value}, like {@code Atomics.or}.
     *
     * @param array the view
     * @param index the element index
     * @param value the mask
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static int or(IntArray array, long index, int value) {
        return array.getAndBitwiseOr(index, value);
    }

    /**
     * Atomically sets the element to its bitwise XOR with {@code value}, like {@code Atomics.xor}.
     *
     * @param array the view
     * @param index the element index
     * @param value the mask
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static int xor(IntArray array, long index, int value) {
        return array.getAndBitwiseXor(index, value);
    }

    /**
     * Atomically sets the element to {@code value}, like {@code Atomics.exchange}.
     *
     * @param array the view
     * @param index the element index
     * @param value the new value
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static int exchange(IntArray array, long index, int value) {
        return array.getAndSet(index, value);
    }

    /**
     * Sets the element with volatile semantics, like {@code Atomics.store}.
     *
     * @param array the view
     * @param index the element index
     * @param value the new value
     * @return {@code value}
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static int store(IntArray array, long index, int value) {
        array.setVolatile(index, value);
        return value;
    }

    /**
     * Atomically sets the element to {@code replacement} if it equals {@code expected}, like
     * {@code Atomics.compareExchange}.
     *
     * @param array the view
     * @param index the element index
     * @param expected the value the element must have
     * @param replacement the value to set
     * @return the previous value; the exchange happened if it equals {@code expected}
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static int compareExchange(IntArray array, long index, int expected, int replacement) {
        return array.compareAndExchange(index, expected, replacement);
    }

    /**
     * Reads the element with volatile semantics, like {@code Atomics.load}.
     *
     * @param array the view
     * @param index the element index
     * @return the element
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static int load(IntArray array, long index) {
        return array.getVolatile(index);
    }

    /**
     * Blocks until notified if the element equals {@code expected}, with no timeout, like
     * {@code Atomics.wait(array, index, expected)}. See the class comment for how waiting works.
     *
     * @param array the view
     * @param index the element index
     * @param expected the value the element must have for the caller to wait
     * @return {@link WaitResult#OK} once notified, or {@link WaitResult#NOT_EQUAL}
     * @throws InterruptedException if interrupted while waiting (a notify that came first wins: then the result is
     *     {@code OK} and the interrupt status stays set)
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static WaitResult wait(IntArray array, long index, int expected) throws InterruptedException {
        return await(array.buffer(), array.cell(index), expected, Long.MAX_VALUE);
    }

    /**
     * Blocks until notified or timed out if the element equals {@code expected}, like
     * {@code Atomics.wait(array, index, expected, timeout)}. See the class comment for how waiting works.
     *
     * <p>Memory consistency effects: see the class comment; {@code OK} pairs with the notify that caused it.
     *
     * @param array the view
     * @param index the element index
     * @param expected the value the element must have for the caller to wait
     * @param timeout how long to wait at most, {@link Duration#ZERO} or more
     * @return {@link WaitResult#OK}, {@link WaitResult#NOT_EQUAL} or {@link WaitResult#TIMED_OUT}
     * @throws InterruptedException if interrupted while waiting (a notify that came first wins: then the result is
     *     {@code OK} and the interrupt status stays set)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static WaitResult wait(IntArray array, long index, int expected, Duration timeout)
            throws InterruptedException {
        long nanos = Checks.timeoutNanos(timeout);
        return await(array.buffer(), array.cell(index), expected, nanos);
    }

    /**
     * Returns a stage that completes when the element, which equals {@code expected}, is notified or
     * {@code timeout} elapses, like {@code Atomics.waitAsync}; never blocks the caller. The stage completes
     * exactly once: at once with {@code NOT_EQUAL} (or {@code TIMED_OUT} for a zero timeout), else on the
     * notifying thread with {@code OK}, or on the shared wait-timer thread with {@code TIMED_OUT}; continue with
     * an {@code ...Async(..., executor)} stage to run on your own thread. If the buffer is closed first, it
     * completes exceptionally with {@link IllegalStateException} on the thread whose {@link SharedBuffer#close()}
     * freed the memory, which holds no lock then.
     *
     * <p>Memory consistency effects: see the class comment; {@code OK} pairs with the notify that caused it.
     *
     * @param array the view
     * @param index the element index
     * @param expected the value the element must have for the stage to wait
     * @param timeout how long to wait at most, {@link Duration#ZERO} or more
     * @return the stage of the outcome
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static CompletionStage<WaitResult> waitAsync(IntArray array, long index, int expected, Duration timeout) {
        long nanos = Checks.timeoutNanos(timeout);
        return awaitAsync(array.buffer(), array.cell(index), expected, nanos);
    }

    /**
     * Wakes up to {@code count} threads or stages waiting on the element, oldest first, like
     * {@code Atomics.notify}.
     *
     * <p>Memory consistency effects: actions of this thread before this call happen-before the actions of each
     * waiter after it returns {@code OK} because of this call.
     *
     * @param array the view
     * @param index the element index
     * @param count the maximum number of waiters to wake, at least 0
     * @return the number of waiters woken (on a mapped buffer: through this mapping, in this process)
     * @throws IllegalArgumentException if {@code count} is negative
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static int notify(IntArray array, long index, int count) {
        Checks.count(count);
        return WaitTable.wake(array.address(index), count);
    }

    /**
     * Wakes every thread or stage waiting on the element, like {@code Atomics.notify(array, index)} with no count.
     *
     * <p>Memory consistency effects: as {@link #notify(IntArray, long, int)}.
     *
     * @param array the view
     * @param index the element index
     * @return the number of waiters woken (on a mapped buffer: through this mapping, in this process)
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static int notify(IntArray array, long index) {
        return WaitTable.wake(array.address(index), Integer.MAX_VALUE);
    }

    /**
     * Atomically adds {@code value} to the element (wrapping), like {@code Atomics.add}.
     *
     * @param array the view
     * @param index the element index
     * @param value the value to add
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static long add(LongArray array, long index, long value) {
        return array.getAndAdd(index, value);
    }

    /**
     * Atomically subtracts {@code value} from the element (wrapping), like {@code Atomics.sub}.
     *
     * @param array the view
     * @param index the element index
     * @param value the value to subtract
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static long sub(LongArray array, long index, long value) {
        return array.getAndAdd(index, -value);
    }

    /**
     * Atomically sets the element to its bitwise AND with {@code value}, like {@code Atomics.and}.
     *
     * @param array the view
     * @param index the element index
     * @param value the mask
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static long and(LongArray array, long index, long value) {
        return array.getAndBitwiseAnd(index, value);
    }

    /**
     * Atomically sets the element to its bitwise OR with {@code value}, like {@code Atomics.or}.
     *
     * @param array the view
     * @param index the element index
     * @param value the mask
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static long or(LongArray array, long index, long value) {
        return array.getAndBitwiseOr(index, value);
    }

    /**
     * Atomically sets the element to its bitwise XOR with {@code value}, like {@code Atomics.xor}.
     *
     * @param array the view
     * @param index the element index
     * @param value the mask
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static long xor(LongArray array, long index, long value) {
        return array.getAndBitwiseXor(index, value);
    }

    /**
     * Atomically sets the element to {@code value}, like {@code Atomics.exchange}.
     *
     * @param array the view
     * @param index the element index
     * @param value the new value
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static long exchange(LongArray array, long index, long value) {
        return array.getAndSet(index, value);
    }

    /**
     * Sets the element with volatile semantics, like {@code Atomics.store}.
     *
     * @param array the view
     * @param index the element index
     * @param value the new value
     * @return {@code value}
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static long store(LongArray array, long index, long value) {
        array.setVolatile(index, value);
        return value;
    }

    /**
     * Atomically sets the element to {@code replacement} if it equals {@code expected}, like
     * {@code Atomics.compareExchange}.
     *
     * @param array the view
     * @param index the element index
     * @param expected the value the element must have
     * @param replacement the value to set
     * @return the previous value; the exchange happened if it equals {@code expected}
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static long compareExchange(LongArray array, long index, long expected, long replacement) {
        return array.compareAndExchange(index, expected, replacement);
    }

    /**
     * Reads the element with volatile semantics, like {@code Atomics.load}.
     *
     * @param array the view
     * @param index the element index
     * @return the element
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static long load(LongArray array, long index) {
        return array.getVolatile(index);
    }

    /**
     * Blocks until notified if the element equals {@code expected}, with no timeout, like
     * {@code Atomics.wait(array, index, expected)}. See the class comment for how waiting works.
     *
     * @param array the view
     * @param index the element index
     * @param expected the value the element must have for the caller to wait
     * @return {@link WaitResult#OK} once notified, or {@link WaitResult#NOT_EQUAL}
     * @throws InterruptedException if interrupted while waiting (a notify that came first wins: then the result is
     *     {@code OK} and the interrupt status stays set)
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static WaitResult wait(LongArray array, long index, long expected) throws InterruptedException {
        return await(array.buffer(), array.cell(index), expected, Long.MAX_VALUE);
    }

    /**
     * Blocks until notified or timed out if the element equals {@code expected}, like
     * {@code Atomics.wait(array, index, expected, timeout)}. See the class comment for how waiting works.
     *
     * <p>Memory consistency effects: see the class comment; {@code OK} pairs with the notify that caused it.
     *
     * @param array the view
     * @param index the element index
     * @param expected the value the element must have for the caller to wait
     * @param timeout how long to wait at most, {@link Duration#ZERO} or more
     * @return {@link WaitResult#OK}, {@link WaitResult#NOT_EQUAL} or {@link WaitResult#TIMED_OUT}
     * @throws InterruptedException if interrupted while waiting (a notify that came first wins: then the result is
     *     {@code OK} and the interrupt status stays set)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static WaitResult wait(LongArray array, long index, long expected, Duration timeout)
            throws InterruptedException {
        long nanos = Checks.timeoutNanos(timeout);
        return await(array.buffer(), array.cell(index), expected, nanos);
    }

    /**
     * Returns a stage that completes when the element, which equals {@code expected}, is notified or
     * {@code timeout} elapses, like {@code Atomics.waitAsync}; never blocks the caller. The stage completes
     * exactly once: at once with {@code NOT_EQUAL} (or {@code TIMED_OUT} for a zero timeout), else on the
     * notifying thread with {@code OK}, or on the shared wait-timer thread with {@code TIMED_OUT}; continue with
     * an {@code ...Async(..., executor)} stage to run on your own thread. If the buffer is closed first, it
     * completes exceptionally with {@link IllegalStateException} on the thread whose {@link SharedBuffer#close()}
     * freed the memory, which holds no lock then.
     *
     * <p>Memory consistency effects: see the class comment; {@code OK} pairs with the notify that caused it.
     *
     * @param array the view
     * @param index the element index
     * @param expected the value the element must have for the stage to wait
     * @param timeout how long to wait at most, {@link Duration#ZERO} or more
     * @return the stage of the outcome
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static CompletionStage<WaitResult> waitAsync(LongArray array, long index, long expected, Duration timeout) {
        long nanos = Checks.timeoutNanos(timeout);
        return awaitAsync(array.buffer(), array.cell(index), expected, nanos);
    }

    /**
     * Wakes up to {@code count} threads or stages waiting on the element, oldest first, like
     * {@code Atomics.notify}.
     *
     * <p>Memory consistency effects: actions of this thread before this call happen-before the actions of each
     * waiter after it returns {@code OK} because of this call.
     *
     * @param array the view
     * @param index the element index
     * @param count the maximum number of waiters to wake, at least 0
     * @return the number of waiters woken (on a mapped buffer: through this mapping, in this process)
     * @throws IllegalArgumentException if {@code count} is negative
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static int notify(LongArray array, long index, int count) {
        Checks.count(count);
        return WaitTable.wake(array.address(index), count);
    }

    /**
     * Wakes every thread or stage waiting on the element, like {@code Atomics.notify(array, index)} with no count.
     *
     * <p>Memory consistency effects: as {@link #notify(LongArray, long, int)}.
     *
     * @param array the view
     * @param index the element index
     * @return the number of waiters woken (on a mapped buffer: through this mapping, in this process)
     * @throws IndexOutOfBoundsException if {@code index} is out of bounds
     * @throws IllegalStateException if the buffer was closed
     */
    public static int notify(LongArray array, long index) {
        return WaitTable.wake(array.address(index), Integer.MAX_VALUE);
    }

    private static WaitResult await(SharedBuffer buffer, MemorySegment cell, long expected, long nanos)
            throws InterruptedException {
        try {
            return result(WaitTable.await(cell, expected, nanos, buffer.crossProcess()));
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
    }

    private static CompletionStage<WaitResult> awaitAsync(
            SharedBuffer buffer, MemorySegment cell, long expected, long nanos) {
        CompletableFuture<WaitTable.Outcome> outcome;
        try {
            outcome = WaitTable.awaitAsync(cell, expected, nanos, buffer.crossProcess());
        } catch (IllegalStateException e) {
            throw buffer.closed(e);
        }
        CompletableFuture<WaitResult> result = new CompletableFuture<>();
        outcome.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(result(value));
            } else {
                result.completeExceptionally(
                        failure instanceof IllegalStateException closed ? buffer.closed(closed) : failure);
            }
        });
        return result.minimalCompletionStage();
    }

    private static WaitResult result(WaitTable.Outcome outcome) {
        return switch (outcome) {
            case OK -> WaitResult.OK;
            case NOT_EQUAL -> WaitResult.NOT_EQUAL;
            case TIMED_OUT -> WaitResult.TIMED_OUT;
        };
    }
}
