package dev.offload.shm.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The process-wide wait table behind {@code Atomics.wait}/{@code notify}/{@code waitAsync}: waiters keyed by the
 * native address of the cell they wait on.
 *
 * <p>Not API: the module exports this package to {@code dev.offload} only (the core's pool uses it), not to users.
 */
public final class WaitTable {
    /*
     * Overview
     * Addresses hash to one of BUCKETS buckets. A bucket holds a lock, a FIFO list of waiting nodes (any address that
     * hashes there) and a volatile count of them. A waiter checks the value, then under the bucket lock appends its
     * node and checks the value again; only if it still equals the expected value does it wait: it spins on its
     * node's state for up to SPIN_NANOS, then parks. notify issues a full fence, reads the bucket's count and returns
     * at once when it is 0 (no lock taken); otherwise it takes the lock, unlinks up to `count` nodes of its address,
     * marks them NOTIFIED and, after unlocking, unparks their threads or completes their futures. wakeClosed, called
     * once the memory is freed, settles every node in the freed range as CLOSED and unparks its threads the same way,
     * but hands the futures back (ClosedFutures) for the closing thread to fail after it released its own lock: their
     * callbacks are user code and may close other buffers.
     *
     * Memory ordering
     * No lost wake-up: the waiter's count increment (volatile write, under the lock) precedes its second value read
     * (volatile); the notifier's value write precedes its full fence and count read. One of the two must see the
     * other: either the waiter sees the new value and returns NOT_EQUAL, or the notifier sees the count and takes the
     * lock, which it acquires after the waiter released it, so it finds the node.
     * A node's state leaves WAITING exactly once, always under its bucket's lock; whoever moved it wakes or completes
     * it. The state is volatile so a spinning waiter sees NOTIFIED without the lock.
     */
    private static final int BUCKET_BITS = 8;
    private static final Bucket[] BUCKETS = new Bucket[1 << BUCKET_BITS];
    private static final long SPIN_NANOS = 100_000;
    private static final long POLL_MIN_NANOS = 1_000;
    private static final long POLL_MAX_NANOS = 1_000_000;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    static {
        for (int i = 0; i < BUCKETS.length; i++) {
            BUCKETS[i] = new Bucket();
        }
    }

    private WaitTable() {}

    /** The outcome of a wait, mirrored by the public {@code WaitResult}. */
    public enum Outcome {
        /** Woken by a notify, or (polling mode) the value changed. */
        OK,
        /** The value did not equal the expected one. */
        NOT_EQUAL,
        /** The timeout elapsed first. */
        TIMED_OUT
    }

    /**
     * Blocks the calling thread until notified, timed out, or (when {@code poll}) the value changes.
     *
     * @param cell the cell, 4 or 8 bytes long
     * @param expected the value to wait on (an int sign-extended when the cell is 4 bytes)
     * @param timeoutNanos the timeout, {@code Long.MAX_VALUE} for none
     * @param poll whether to also poll the value (cross-process memory)
     * @return the outcome
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if the memory is or gets freed
     */
    public static Outcome await(MemorySegment cell, long expected, long timeoutNanos, boolean poll)
            throws InterruptedException {
        if (read(cell) != expected) {
            return Outcome.NOT_EQUAL;
        }
        if (timeoutNanos == 0) {
            return Outcome.TIMED_OUT;
        }
        long start = System.nanoTime();
        Node node = new Node(cell, expected, Thread.currentThread(), null);
        if (!register(node)) {
            return Outcome.NOT_EQUAL;
        }
        int spins = 0;
        while (node.state == Node.WAITING) {
            if ((++spins & 31) == 0 && (System.nanoTime() - start >= Math.min(SPIN_NANOS, timeoutNanos))) {
                return awaitSlowPath(node, start, timeoutNanos, poll);
            }
            if (poll && pollSettled(node)) {
                break;
            }
            Thread.onSpinWait();
        }
        return outcome(node);
    }

    private static Outcome awaitSlowPath(Node node, long start, long timeoutNanos, boolean poll)
            throws InterruptedException {
        long pollNanos = POLL_MIN_NANOS;
        node.parked = true; // read by wake() after it sets the state: set before the state is checked again
        while (node.state == Node.WAITING) {
            if (poll && pollSettled(node)) {
                break;
            }
            long remaining =
                    timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : timeoutNanos - (System.nanoTime() - start);
            if (remaining <= 0) {
                settle(node, Node.TIMED_OUT);
                break;
            }
            if (Thread.interrupted()) {
                if (settle(node, Node.CANCELLED)) {
                    throw new InterruptedException("interrupted while waiting");
                }
                Thread.currentThread().interrupt(); // notified first: keep the OK, keep the interrupt
                break;
            }
            if (poll) {
                LockSupport.parkNanos(node, Math.min(remaining, pollNanos));
                pollNanos = Math.min(POLL_MAX_NANOS, pollNanos * 2);
            } else if (remaining == Long.MAX_VALUE) {
                LockSupport.park(node);
            } else {
                LockSupport.parkNanos(node, remaining);
            }
        }
        return outcome(node);
    }

    /**
     * Registers an asynchronous waiter and returns at once; the future completes exactly once, on the notifying
     * thread, on the shared timer thread at timeout (or when polling sees the value change), or, once the memory is
     * freed, on the thread that calls {@link ClosedFutures#fail()}.
     *
     * @param cell the cell, 4 or 8 bytes long
     * @param expected the value to wait on
     * @param timeoutNanos the timeout, {@code Long.MAX_VALUE} for none
     * @param poll whether to also poll the value (cross-process memory)
     * @return the future outcome
     * @throws IllegalStateException if the memory was freed
     */
    public static CompletableFuture<Outcome> awaitAsync(
            MemorySegment cell, long expected, long timeoutNanos, boolean poll) {
        if (read(cell) != expected) {
            return CompletableFuture.completedFuture(Outcome.NOT_EQUAL);
        }
        if (timeoutNanos == 0) {
            return CompletableFuture.completedFuture(Outcome.TIMED_OUT);
        }
        CompletableFuture<Outcome> future = new CompletableFuture<>();
        Node node = new Node(cell, expected, null, future);
        if (!register(node)) {
            return CompletableFuture.completedFuture(Outcome.NOT_EQUAL);
        }
        if (timeoutNanos != Long.MAX_VALUE) {
            node.timer = WaitTimer.schedule(() -> expire(node), timeoutNanos, TimeUnit.NANOSECONDS);
        }
        if (poll) {
            node.poller = WaitTimer.scheduleWithFixedDelay(() -> pollAsync(node), POLL_MAX_NANOS);
        }
        if (node.state != Node.WAITING) {
            node.cancelTimers(); // settled before the timers were stored
        }
        return future;
    }

    /**
     * Wakes up to {@code count} waiters on the cell at {@code address}, oldest first.
     *
     * @param address the native address of the cell
     * @param count the maximum number of waiters to wake, at least 0
     * @return the number of waiters woken
     */
    public static int wake(long address, int count) {
        if (count == 0) {
            return 0;
        }
        VarHandle.fullFence(); // orders the caller's value write before the waiter-count read (see Overview)
        Bucket bucket = bucket(address);
        if (bucket.waiters == 0) {
            return 0;
        }
        Node woken = null;
        Node last = null; // the woken list keeps the waiters' order: the oldest is woken (its future completed) first
        int n = 0;
        bucket.lock.lock();
        try {
            for (Node node = bucket.head; node != null && n < count; ) {
                Node next = node.next;
                if (node.address == address) {
                    bucket.unlink(node);
                    node.state = Node.NOTIFIED;
                    node.wakeNext = null;
                    if (last == null) {
                        woken = node;
                    } else {
                        last.wakeNext = node;
                    }
                    last = node;
                    n++;
                }
                node = next;
            }
        } finally {
            bucket.lock.unlock();
        }
        wakeAll(woken);
        return n;
    }

    /**
     * Settles every waiter on an address in {@code [base, base + length)} with a "closed" outcome: the blocked
     * threads are woken and throw {@link IllegalStateException}; the {@code waitAsync} futures are taken out of the
     * table, so nothing else can complete them, and are returned to be failed by {@link ClosedFutures#fail()}. Runs
     * no callback, so the caller may hold a lock. Called after the memory was freed.
     *
     * @param base the first address of the freed memory
     * @param length its length in bytes
     * @return the futures still to fail
     */
    public static ClosedFutures wakeClosed(long base, long length) {
        Node futures = null;
        for (Bucket bucket : BUCKETS) {
            if (bucket.waiters == 0) {
                continue;
            }
            Node threads = null;
            bucket.lock.lock();
            try {
                for (Node node = bucket.head; node != null; ) {
                    Node next = node.next;
                    if (node.address - base >= 0 && node.address - base < length) {
                        bucket.unlink(node);
                        node.state = Node.CLOSED;
                        if (node.thread != null) {
                            node.wakeNext = threads;
                            threads = node;
                        } else {
                            node.wakeNext = futures;
                            futures = node;
                        }
                    }
                    node = next;
                }
            } finally {
                bucket.lock.unlock();
            }
            wakeAll(threads);
        }
        return futures == null ? ClosedFutures.NONE : new ClosedFutures(futures);
    }

    /**
     * Returns how many waiters are registered on the cell at {@code address} (spinning or parked); for tests and
     * diagnostics.
     *
     * @param address the native address of the cell
     * @return the number of registered waiters
     */
    public static int waiterCount(long address) {
        Bucket bucket = bucket(address);
        bucket.lock.lock();
        try {
            int n = 0;
            for (Node node = bucket.head; node != null; node = node.next) {
                n += node.address == address ? 1 : 0;
            }
            return n;
        } finally {
            bucket.lock.unlock();
        }
    }

    private static boolean register(Node node) {
        Bucket bucket = bucket(node.address);
        bucket.lock.lock();
        try {
            bucket.append(node); // volatile count write: pairs with the fence and count read in wake()
            boolean equal;
            try {
                equal = read(node.cell) == node.expected;
            } catch (IllegalStateException closed) {
                bucket.unlink(node);
                throw closed;
            }
            if (!equal) {
                bucket.unlink(node);
            }
            return equal;
        } finally {
            bucket.lock.unlock();
        }
    }

    /** Moves a waiting node to {@code state}; returns whether this call did it (false: already settled). */
    private static boolean settle(Node node, int state) {
        Bucket bucket = bucket(node.address);
        bucket.lock.lock();
        try {
            if (node.state != Node.WAITING) {
                return false;
            }
            bucket.unlink(node);
            node.state = state;
            return true;
        } finally {
            bucket.lock.unlock();
        }
    }

    /** Reads the value for a blocked polling waiter; returns whether this call settled the node (changed or closed). */
    private static boolean pollSettled(Node node) {
        boolean changed;
        try {
            changed = read(node.cell) != node.expected;
        } catch (IllegalStateException closed) {
            return settle(node, Node.CLOSED);
        }
        return changed && settle(node, Node.NOTIFIED);
    }

    private static void expire(Node node) {
        if (settle(node, Node.TIMED_OUT)) {
            node.complete();
        }
    }

    private static void pollAsync(Node node) {
        if (node.state != Node.WAITING) {
            return;
        }
        boolean changed;
        try {
            changed = read(node.cell) != node.expected;
        } catch (IllegalStateException closed) {
            return; // freed: the freeing close's wakeClosed settles the node, and its thread fails the future
        }
        if (changed && settle(node, Node.NOTIFIED)) {
            node.complete();
        }
    }

    private static void wakeAll(Node woken) {
        for (Node node = woken; node != null; node = node.wakeNext) {
            if (node.thread != null) {
                if (node.parked) { // a waiter still spinning sees its state without being unparked
                    LockSupport.unpark(node.thread);
                }
            } else {
                node.complete();
            }
        }
    }

    private static Outcome outcome(Node node) {
        return switch (node.state) {
            case Node.NOTIFIED -> Outcome.OK;
            case Node.TIMED_OUT -> Outcome.TIMED_OUT;
            case Node.CLOSED -> throw new IllegalStateException("Already closed");
            default -> throw new AssertionError("state=" + node.state);
        };
    }

    static long read(MemorySegment cell) {
        return cell.byteSize() == Integer.BYTES ? (int) INT.getVolatile(cell, 0L) : (long) LONG.getVolatile(cell, 0L);
    }

    private static Bucket bucket(long address) {
        long h = (address >>> 2) * 0x9E3779B97F4A7C15L;
        return BUCKETS[(int) (h >>> (Long.SIZE - BUCKET_BITS))];
    }

    /**
     * The {@code waitAsync} futures that {@link #wakeClosed} settled as closed and has not failed yet.
     *
     * <p>Threading: the thread that called {@code wakeClosed} only.
     */
    public static final class ClosedFutures {
        static final ClosedFutures NONE = new ClosedFutures(null);

        private final Node head;

        private ClosedFutures(Node head) {
            this.head = head;
        }

        /**
         * Fails each future with {@link IllegalStateException}; their callbacks run on the calling thread before this
         * returns. Call it once, holding no lock that a callback might need.
         */
        public void fail() {
            for (Node node = head; node != null; node = node.wakeNext) {
                node.complete();
            }
        }
    }

    /** A waiter: a parked thread or a pending future. Links are guarded by the bucket lock. */
    static final class Node {
        static final int WAITING = 0;
        static final int NOTIFIED = 1;
        static final int TIMED_OUT = 2;
        static final int CLOSED = 3;
        static final int CANCELLED = 4;

        final MemorySegment cell;
        final long address;
        final long expected;
        final Thread thread;
        final CompletableFuture<Outcome> future;
        volatile int state;
        volatile boolean parked;
        volatile ScheduledFuture<?> timer;
        volatile ScheduledFuture<?> poller;
        Node prev;
        Node next;
        Node wakeNext;

        Node(MemorySegment cell, long expected, Thread thread, CompletableFuture<Outcome> future) {
            this.cell = cell;
            this.address = cell.address();
            this.expected = expected;
            this.thread = thread;
            this.future = future;
        }

        void complete() {
            cancelTimers();
            if (state == CLOSED) {
                future.completeExceptionally(new IllegalStateException("Already closed"));
            } else {
                future.complete(outcome(this));
            }
        }

        void cancelTimers() {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
            ScheduledFuture<?> p = poller;
            if (p != null) {
                p.cancel(false);
            }
        }
    }

    /** One bucket: a lock, its FIFO list of nodes, and their count readable without the lock. */
    static final class Bucket {
        final ReentrantLock lock = new ReentrantLock();
        volatile int waiters;
        Node head;
        Node tail;

        void append(Node node) {
            node.prev = tail;
            if (tail == null) {
                head = node;
            } else {
                tail.next = node;
            }
            tail = node;
            waiters = waiters + 1; // volatile write; only under the lock
        }

        void unlink(Node node) {
            if (node.prev == null) {
                head = node.next;
            } else {
                node.prev.next = node.next;
            }
            if (node.next == null) {
                tail = node.prev;
            } else {
                node.next.prev = node.prev;
            }
            node.prev = null;
            node.next = null;
            waiters = waiters - 1;
        }
    }
}
