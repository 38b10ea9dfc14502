package dev.offload;

import dev.offload.internal.idle.Idler;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The publisher of one {@link StreamTask}: unicast, started by its subscription. Overview: the subscriber's demand is a
 * credit counter that {@code request} adds to and each {@code emit} on the worker takes one from (taking all there is
 * at once, and using it up value by value), waiting while it is zero (spinning for the pool's spin budget, then parked
 * until {@code request} or {@code cancel} wakes it); each emitted value goes to the subscriber as a progress value of
 * the task ({@link TaskContext#post}), so it arrives where the future completes, in order, and before the completion
 * that becomes {@code onComplete} or {@code onError}. {@code cancel} cancels the task.
 */
final class TaskStream<I, T> implements Flow.Publisher<T> {
    private final Function<TaskOptions, CompletableFuture<Object>> submit;
    private final Demand demand;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    TaskStream(Function<TaskOptions, CompletableFuture<Object>> submit, Demand demand) {
        this.submit = submit;
        this.demand = demand;
    }

    /** What the subscriber and the emitting worker share. Any thread. */
    static final class Demand implements StreamTask.Emitter<Object> {
        private static final int CLOCK_CHECK_MASK = 63;

        final AtomicLong credit = new AtomicLong();
        // Emitting thread only: credit moved out of `credit` in one take and not yet used. The emitter takes all the
        // credit there is at once, so a stream of values costs one atomic update per batch the subscriber requests,
        // not one per value (each took the line that request() writes).
        long taken;
        volatile boolean cancelled;
        volatile Throwable refusal; // why the subscriber broke a rule (request(n <= 0)); written before cancelled
        volatile Thread waiter;
        private final long spinNanos;

        /**
         * Creates the demand of one stream.
         *
         * @param spinNanos how long an emitter without credit spins before it parks: the pool's idle strategy's spin
         *     budget, so that a subscriber that requests more within it does not pay a wake-up ({@code 0}: park at
         *     once; {@link Long#MAX_VALUE}: never park)
         */
        Demand(long spinNanos) {
            this.spinNanos = spinNanos;
        }

        void add(long n) {
            credit.getAndUpdate(c -> c + n < 0 ? Long.MAX_VALUE : c + n); // saturates, as Flow allows
            LockSupport.unpark(waiter);
        }

        void cancel() {
            cancelled = true;
            LockSupport.unpark(waiter);
        }

        /** The subscriber broke a rule: the stream ends with {@code why} as its error, where it would complete. */
        void refuse(Throwable why) {
            if (refusal == null) {
                refusal = why;
            }
            cancel();
        }

        @Override
        public void emit(Object value) {
            TaskContext context = TaskContext.current();
            acquire(context::throwIfCancelled);
            context.post(value);
        }

        /**
         * Emitting thread: takes one unit of credit, waiting while there is none: it spins for up to the spin budget
         * (reading the clock once every 64 spins; not while offload's threads outnumber the cores), then parks. A
         * parked emitter still counts as on a CPU in the pool's budget ({@code OnCpuThreads}), as any task that blocks
         * does.
         *
         * @param checkStopped throws if the task was stopped otherwise (timed out, forced close)
         * @throws CancellationException if the subscription was cancelled
         */
        void acquire(Runnable checkStopped) {
            int spins = 0;
            long spinStart = 0;
            boolean spinning = false;
            while (true) {
                if (cancelled) {
                    throw new CancellationException("stream subscription cancelled");
                }
                checkStopped.run();
                if (taken > 0) {
                    taken--;
                    break;
                }
                long c = credit.get();
                if (c > 0) {
                    if (credit.compareAndSet(c, 0)) {
                        taken = c - 1; // this value's unit, and the rest for the next values
                        break;
                    }
                    continue;
                }
                if (spinNanos > 0) {
                    if ((spins & CLOCK_CHECK_MASK) == 0) { // a clock check
                        long now = System.nanoTime();
                        if (spins == 0) {
                            spinStart = now;
                        }
                        // No spinning while offload's threads outnumber the cores: it parks at once (an idle worker
                        // yields for up to 50 µs first, see Idler; that rule was not tried here).
                        spinning =
                                (spinNanos == Long.MAX_VALUE || now - spinStart < spinNanos) && !Idler.oversubscribed();
                    }
                    if (spinning) {
                        spins++;
                        Thread.onSpinWait();
                        continue;
                    }
                }
                waiter = Thread.currentThread(); // then the re-check: pairs with add()'s write, then unpark
                if (credit.get() == 0 && !cancelled) {
                    LockSupport.park(this);
                }
                waiter = null;
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
            });
            subscriber.onError(new IllegalStateException("a task stream has one subscriber; it started for the first"));
            return;
        }
        AtomicReference<CompletableFuture<Object>> future = new AtomicReference<>();
        AtomicBoolean ended = new AtomicBoolean(); // the terminal signal was sent, or is being sent
        Flow.Subscription subscription = new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    // The error goes where the values go, after them (rule 1.3), not on the caller's thread: the
                    // task's next emit throws, and its end delivers the error (or subscribe() does, if the task was
                    // never submitted). The task's future is not cancelled here: off a loop, a cancel completes it on
                    // this thread, beside an onNext its worker may be running.
                    demand.refuse(
                            new IllegalArgumentException("request(n) needs n > 0 (Reactive Streams rule 3.9): n=" + n));
                    return;
                }
                demand.add(n);
            }

            @Override
            public void cancel() {
                demand.cancel();
                CompletableFuture<Object> started = future.get();
                if (started != null) {
                    started.cancel(true);
                }
            }
        };
        try {
            subscriber.onSubscribe(subscription);
        } catch (Throwable t) { // rule 2.13: a subscriber that throws is cancelled; the caller hears of it
            subscription.cancel();
            throw t;
        }
        if (demand.cancelled) { // cancelled, or request(n <= 0), inside onSubscribe: nothing starts
            endIfRefused(subscriber, ended);
            return;
        }
        CompletableFuture<Object> f;
        try {
            f = submit.apply(TaskOptions.DEFAULT.withProgress(v -> {
                if (!demand.cancelled && !ended.get()) {
                    try {
                        subscriber.onNext((T) v);
                    } catch (Throwable t) { // rule 2.13: cancelled; the throw goes on to the loop's handler
                        subscription.cancel();
                        throw t;
                    }
                }
            }));
        } catch (RuntimeException e) {
            ended.set(true);
            subscriber.onError(e); // refused: the queue is full, the pool closed, or the input may not cross
            return;
        }
        future.set(f);
        f.whenComplete((r, e) -> {
            if (demand.cancelled) { // a cancelled subscription hears nothing more; one that broke rule 3.9 its error
                endIfRefused(subscriber, ended);
                return;
            }
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            if (e == null) {
                subscriber.onComplete();
            } else {
                subscriber.onError(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        });
    }

    /** A stream whose subscriber broke rule 3.9 ends with that error, once; a cancelled one hears nothing. */
    private void endIfRefused(Flow.Subscriber<? super T> subscriber, AtomicBoolean ended) {
        Throwable refusal = demand.refusal;
        if (refusal != null && ended.compareAndSet(false, true)) {
            subscriber.onError(refusal);
        }
    }
}
