package dev.offload;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A signal that cancels every task submitted with it, at once and from any thread, like the {@code AbortSignal} that
 * Piscina's {@code run(task, { signal })} takes: one signal for a request's many tasks.
 * {@code TaskOptions.DEFAULT.withSignal(signal)} attaches it to a submit.
 *
 * <p>{@link #abort(Throwable)} cancels each task submitted with the signal that has not ended: a queued task never
 * runs; a running one is cancelled with interrupt, as {@code future.cancel(true)} does (its stop hooks run; a task
 * that ignores its stop past the pool's grace period has its worker abandoned and replaced). Each such future fails
 * with a {@link CancellationException} whose cause is the abort's reason ({@code CompletableFuture}'s {@code get()} and
 * {@code join()} throw a new {@code CancellationException} whose cause is that one; a dependent such as
 * {@code whenComplete} or {@code handle} sees it directly). A submit with a signal that is already
 * aborted is refused at once with such an exception and changes none of its inputs (a
 * {@link dev.offload.shm.TransferableBuffer} stays attached to the caller); it is not counted by the pool. A task
 * that ends before the abort keeps its outcome.
 *
 * <p>Threading: any thread. Memory consistency effects: actions in a thread prior to {@code abort} <i>happen-before</i>
 * the failure of each future the abort cancels is seen, and before {@link #isAborted()} returns {@code true} in
 * another thread.
 */
public final class AbortSignal {
    /** The reason of a signal aborted without one. */
    private static final Throwable NO_REASON = new CancellationException("aborted");

    /** How many tasks the signal tracks before it drops the ended ones. */
    private static final int PURGE_AT_LEAST = 64;

    private final AtomicReference<Throwable> reason = new AtomicReference<>();
    private final ConcurrentHashMap<CompletableFuture<?>, Aborter> tasks = new ConcurrentHashMap<>();
    private volatile int purgeAt = PURGE_AT_LEAST;

    private AbortSignal() {}

    /**
     * Creates a signal that is not aborted.
     *
     * @return a new signal
     */
    public static AbortSignal create() {
        return new AbortSignal();
    }

    /**
     * Aborts with no reason: the cancelled futures' exceptions have no cause. See {@link #abort(Throwable)}.
     *
     * @return {@code true} if this call aborted the signal, {@code false} if it was aborted already
     */
    public boolean abort() {
        return abortWith(NO_REASON);
    }

    /**
     * Aborts: cancels every task submitted with this signal that has not ended, and refuses every later submit with
     * it. Only the first abort counts.
     *
     * @param reason why; the cause of each cancelled future's {@link CancellationException}
     * @return {@code true} if this call aborted the signal, {@code false} if it was aborted already
     */
    public boolean abort(Throwable reason) {
        return abortWith(Objects.requireNonNull(reason, "reason"));
    }

    /**
     * Returns whether the signal was aborted.
     *
     * @return {@code true} once {@code abort} was called
     */
    public boolean isAborted() {
        return reason.get() != null;
    }

    /**
     * Returns the reason given to {@link #abort(Throwable)}.
     *
     * @return the reason, or {@code null} if not aborted or aborted with no reason
     */
    public Throwable reason() {
        Throwable r = reason.get();
        return r == NO_REASON ? null : r;
    }

    private boolean abortWith(Throwable why) {
        if (!reason.compareAndSet(null, why)) {
            return false;
        }
        // Queued tasks first, so that a worker freed by a running task's cancel starts none of them; a task tracked
        // after these passes sees the reason in track().
        tasks.forEach((f, aborter) -> {
            if (aborter.abort(f, true, cancellation("task aborted by its signal", why))) {
                tasks.remove(f);
            }
        });
        tasks.forEach((f, aborter) -> aborter.abort(f, false, cancellation("task aborted by its signal", why)));
        tasks.clear();
        return true;
    }

    /** Before a submit: refuses it, changing nothing, if the signal is aborted. */
    void checkNotAborted(String pool) {
        Throwable why = reason.get();
        if (why != null) {
            throw cancellation("task refused at submit: its abort signal was aborted: pool=" + pool, why);
        }
    }

    /** After a submit: tracks the task's future so that an abort cancels it; cancels it now if aborted meanwhile. */
    void track(CompletableFuture<?> future, Aborter aborter) {
        tasks.put(future, aborter);
        Throwable why = reason.get(); // after the add: an abort either sees the future or is seen here
        if (why != null) {
            tasks.remove(future);
            aborter.abort(future, false, cancellation("task aborted by its signal", why));
            return;
        }
        if (tasks.size() >= purgeAt) { // a long-lived signal keeps only the tasks that have not ended
            tasks.keySet().removeIf(CompletableFuture::isDone);
            purgeAt = Math.max(PURGE_AT_LEAST, 2 * tasks.size());
        }
    }

    /** How a pool stops one of its tasks for a signal: the pool's own rule, given at {@link #track}. */
    @FunctionalInterface
    interface Aborter {
        /**
         * Cancels {@code future} with {@code cancellation}, with interrupt if it runs.
         *
         * @param future the task's future
         * @param queuedOnly whether to cancel it only if it is still queued
         * @param cancellation what the future fails with
         * @return {@code true} if this call ended the task
         */
        boolean abort(CompletableFuture<?> future, boolean queuedOnly, CancellationException cancellation);
    }

    private static CancellationException cancellation(String message, Throwable why) {
        CancellationException e = new CancellationException(
                why == NO_REASON ? message + "; no reason given" : message + ": reason=" + why);
        if (why != NO_REASON) {
            e.initCause(why);
        }
        return e;
    }

    @Override
    public String toString() {
        Throwable r = reason.get();
        return r == null ? "AbortSignal[not aborted]" : "AbortSignal[aborted, reason=" + reason() + "]";
    }
}
