package dev.offload;

import java.util.concurrent.CompletionStage;

/**
 * A task that starts work on a worker thread and finishes later, for example when an I/O call it started returns.
 * While its stage is pending the worker may start other tasks, up to {@link WorkerPool.Builder#tasksPerWorker}.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
@FunctionalInterface
public interface AsyncTask<I, O> {
    /**
     * Starts the work. Runs on a worker thread.
     *
     * @param input the input, checked and copied or shared as the pool's {@link Isolation} says
     * @return a stage that completes with the output; the stage may complete on any thread
     * @throws Exception any exception; it fails the task's future with the same exception
     */
    CompletionStage<O> run(I input) throws Exception;
}
