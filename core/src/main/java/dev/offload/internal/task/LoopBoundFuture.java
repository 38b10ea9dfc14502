package dev.offload.internal.task;

import java.util.concurrent.Executor;

/**
 * A stage derived from a loop-owned future: its dependents run on the same loop (see {@link OwnedFuture}).
 *
 * @param <T> the result type
 */
public final class LoopBoundFuture<T> extends OwnedFuture<T> {
    private final DependentExecutor dependents;

    public LoopBoundFuture(DependentExecutor dependents) {
        this.dependents = dependents;
    }

    @Override
    DependentExecutor dependentExecutor() {
        return dependents;
    }

    @Override
    public Executor defaultExecutor() {
        return dependents.later();
    }
}
