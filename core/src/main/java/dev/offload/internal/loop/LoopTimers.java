package dev.offload.internal.loop;

import dev.offload.Cancellable;
import dev.offload.internal.base.VarHandles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * An event loop's timers: a binary min-heap by deadline in which every timer knows its index, so that a cancelled
 * timer leaves the heap at once (O(log n)) instead of holding its memory until its deadline, and the loop reads the
 * next deadline in O(1) to bound its park. A cancel also drops the timer's task at once, on any thread, so that what
 * the task holds is released even while the loop has yet to get to the removal (it is running a long callback).
 *
 * <p>Why a heap and not a timer wheel: the loop parks until its next deadline, which a wheel cannot tell without a
 * scan, so an idle loop with one distant timer would wake on every tick; and a wheel rounds deadlines to ticks.
 *
 * <p>Loop thread only, but {@link Timer#cancel()} from any thread: it decides the timer's state with a CAS, drops the
 * task, and hands the removal to the loop (see {@link LoopCore#timerCancelled}).
 */
final class LoopTimers {
    private static final VarHandle COUNT =
            VarHandles.field(MethodHandles.lookup(), LoopTimers.class, "count", int.class);

    private Timer[] heap = new Timer[16];
    private int size;
    private long nextSeq;
    private int count; // size, written by the loop (opaque) for readers on other threads

    /** Adds a pending timer. */
    void add(Timer timer) {
        if (timer.index >= 0 || !timer.isPending()) {
            return; // already in, or cancelled before the loop got to it
        }
        timer.seq = nextSeq++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        timer.index = size;
        heap[size++] = timer;
        COUNT.setOpaque(this, size);
        siftUp(timer.index);
    }

    /** Removes a timer if it is in the heap. */
    void remove(Timer timer) {
        int i = timer.index;
        if (i < 0 || i >= size || heap[i] != timer) {
            return;
        }
        Timer last = heap[--size];
        heap[size] = null;
        COUNT.setOpaque(this, size);
        timer.index = -1;
        if (i != size) {
            heap[i] = last;
            last.index = i;
            siftDown(i);
            siftUp(last.index);
        }
    }

    /** Returns the timer with the earliest deadline, or null. */
    Timer peek() {
        return size == 0 ? null : heap[0];
    }

    /** Removes and returns the earliest timer. */
    Timer poll() {
        Timer first = heap[0];
        remove(first);
        return first;
    }

    int size() {
        return size;
    }

    /** Any thread: how many timers the heap holds, as last written by the loop. */
    int countForReaders() {
        return (int) COUNT.getOpaque(this);
    }

    /** Drops every timer (the loop is closing); each is cancelled. */
    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].index = -1;
            heap[i].cancel();
            heap[i] = null;
        }
        size = 0;
        COUNT.setOpaque(this, 0);
    }

    private static boolean before(Timer a, Timer b) {
        long d = a.deadline - b.deadline;
        return d < 0 || (d == 0 && a.seq < b.seq);
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (!before(t, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) {
                child = right;
            }
            if (!before(heap[child], t)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }

    /** One timer: its deadline, its task, its place in the heap, and its state (decided once, by CAS). */
    static final class Timer implements Cancellable {
        private static final int PENDING = 0;
        private static final int FIRED = 1;
        private static final int CANCELLED = 2;
        private static final VarHandle STATE =
                VarHandles.field(MethodHandles.lookup(), Timer.class, "state", int.class);

        final long deadline;
        private Runnable task; // dropped by the cancel that wins the state; read only by the fire() that wins it
        private final LoopCore loop;
        private long seq; // loop thread only
        private int index = -1; // loop thread only
        private volatile int state;

        Timer(LoopCore loop, long deadline, Runnable task) {
            this.loop = loop;
            this.deadline = deadline;
            this.task = task;
        }

        boolean isPending() {
            return state == PENDING;
        }

        /** Loop thread: claims the timer to run it. */
        boolean fire() {
            return STATE.compareAndSet(this, PENDING, FIRED);
        }

        /** Loop thread, after {@link #fire()} returned {@code true}: what to run. */
        Runnable task() {
            return task;
        }

        @Override
        public boolean cancel() {
            if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
                return false;
            }
            task = null; // after the winning CAS: no fire() can claim the timer and read it any more
            loop.timerCancelled(this); // the loop drops it from its heap now, not at its deadline
            return true;
        }

        @Override
        public boolean isCancelled() {
            return state == CANCELLED;
        }

        @Override
        public String toString() {
            return "Timer[state=" + (state == PENDING ? "pending" : state == FIRED ? "fired" : "cancelled") + "]";
        }
    }
}
