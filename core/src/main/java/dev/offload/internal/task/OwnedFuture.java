package dev.offload.internal.task;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A future whose dependents run where its owner says: for a future owned by an event loop, on that loop's thread,
 * however and wherever the future completes (its task's result on the loop, or {@code cancel}, {@code complete},
 * {@code obtrude*}, {@code orTimeout} and {@code completeOnTimeout} on any other thread).
 *
 * <p>Overview: every non-async method that adds a dependent ({@code thenApply}, {@code whenComplete}, …) adds it
 * through the owner's {@link DependentExecutor} instead: one that runs it at once when called on the loop thread
 * and hands it to the loop otherwise. So a dependent runs on the loop whether the future completes on the loop
 * (dependents run right after, as with a plain {@code CompletableFuture}), on another thread (they are handed to the
 * loop), or completed already when it is added from another thread (handed to the loop too). Stages derived from it
 * are owned by the same loop ({@link #newIncompleteFuture()}), so a whole chain stays on the loop. Methods that take
 * an executor run where that executor says, as always.
 *
 * <p>A future with no dependent executor (owned by an executor or by the worker) behaves exactly like a
 * {@code CompletableFuture}.
 *
 * <p>Memory consistency effects: those of {@code CompletableFuture}, plus those of the loop's hand-off for a
 * dependent handed to the loop: actions before the completion happen-before the dependent runs.
 *
 * @param <T> the result type
 */
public abstract class OwnedFuture<T> extends CompletableFuture<T> {
    /** For subclasses. */
    public OwnedFuture() {}

    /**
     * Returns where dependents run, or {@code null} to run them as a plain {@code CompletableFuture} does.
     *
     * @return the executor of non-async dependents
     */
    abstract DependentExecutor dependentExecutor();

    /** Runs a dependent on its owner: at once on the owner thread, else handed to the owner. */
    public interface DependentExecutor extends Executor {
        /**
         * Returns whether the calling thread is the owner's, where a blocking wait for this future would deadlock.
         *
         * @return {@code true} on the owner thread
         */
        boolean onOwnerThread();

        /**
         * Returns the owner's name, for error messages.
         *
         * @return the name
         */
        String ownerName();

        /**
         * Returns the executor of {@code *Async} methods called without one: it always hands the action to the owner,
         * even from the owner's own thread.
         *
         * @return the executor
         */
        Executor later();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? new CompletableFuture<>() : new LoopBoundFuture<>(dx);
    }

    @Override
    public T get() throws InterruptedException, java.util.concurrent.ExecutionException {
        checkNotOwnerWait("get()");
        return super.get();
    }

    @Override
    public T join() {
        checkNotOwnerWait("join()");
        return super.join();
    }

    @Override
    public T get(long timeout, java.util.concurrent.TimeUnit unit)
            throws InterruptedException, java.util.concurrent.ExecutionException,
                    java.util.concurrent.TimeoutException {
        checkNotOwnerWait("get(timeout)"); // the loop could only time out: it completes the future when it is free
        return super.get(timeout, unit);
    }

    private void checkNotOwnerWait(String method) {
        DependentExecutor dx = dependentExecutor();
        if (dx != null && !isDone() && dx.onOwnerThread()) {
            throw new IllegalStateException(method + " on the thread of the event loop that completes this future"
                    + " would wait forever: loop=" + dx.ownerName()
                    + "; add a callback (thenAccept, whenComplete) instead of blocking the loop");
        }
    }

    @Override
    public <U> CompletableFuture<U> thenApply(Function<? super T, ? extends U> fn) {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? super.thenApply(fn) : super.thenApplyAsync(fn, dx);
    }

    @Override
    public CompletableFuture<Void> thenAccept(Consumer<? super T> action) {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? super.thenAccept(action) : super.thenAcceptAsync(action, dx);
    }

    @Override
    public CompletableFuture<Void> thenRun(Runnable action) {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? super.thenRun(action) : super.thenRunAsync(action, dx);
    }

    @Override
    public <U, V> CompletableFuture<V> thenCombine(
            CompletionStage<? extends U> other, BiFunction<? super T, ? super U, ? extends V> fn) {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? super.thenCombine(other, fn) : super.thenCombineAsync(other, fn, dx);
    }

    @Override
    public <U> CompletableFuture<Void> thenAcceptBoth(
            CompletionStage<? extends U> other, BiConsumer<? super T, ? super U> action) {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? super.thenAcceptBoth(other, action) : super.thenAcceptBothAsync(other, action, dx);
    }

    @Override
    public CompletableFuture<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? super.runAfterBoth(other, action) : super.runAfterBothAsync(other, action, dx);
    }

    @Override
    public <U> CompletableFuture<U> applyToEither(CompletionStage<? extends T> other, Function<? super T, U> fn) {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? super.applyToEither(other, fn) : super.applyToEitherAsync(other, fn, dx);
    }

    @Override
    public CompletableFuture<Void> acceptEither(CompletionStage<? extends T> other, Consumer<? super T> action) {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? super.acceptEither(other, action) : super.acceptEitherAsync(other, action, dx);
    }

    @Override
    public CompletableFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? super.runAfterEither(other, action) : super.runAfterEitherAsync(other, action, dx);
    }

    @Override
    public <U> CompletableFuture<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? super.thenCompose(fn) : super.thenComposeAsync(fn, dx);
    }

    @Override
    public <U> CompletableFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? super.handle(fn) : super.handleAsync(fn, dx);
    }

    @Override
    public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? super.whenComplete(action) : super.whenCompleteAsync(action, dx);
    }

    @Override
    public CompletableFuture<T> exceptionally(Function<Throwable, ? extends T> fn) {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? super.exceptionally(fn) : super.exceptionallyAsync(fn, dx);
    }

    @Override
    public CompletableFuture<T> exceptionallyCompose(Function<Throwable, ? extends CompletionStage<T>> fn) {
        DependentExecutor dx = dependentExecutor();
        return dx == null ? super.exceptionallyCompose(fn) : super.exceptionallyComposeAsync(fn, dx);
    }

    @Override
    public CompletionStage<T> minimalCompletionStage() {
        DependentExecutor dx = dependentExecutor();
        // A minimal stage is a plain CompletableFuture inside: give it a copy completed on the loop, so that its own
        // dependents added before completion run there too.
        if (dx == null) {
            return super.minimalCompletionStage();
        }
        return ((OwnedFuture<T>) thenApply(Function.<T>identity())).plainMinimalStage();
    }

    private CompletionStage<T> plainMinimalStage() {
        return super.minimalCompletionStage();
    }
}
