package dev.offload;

/**
 * A CPU-bound function that a {@link WorkerPool} runs on one of its worker threads.
 *
 * <p>A task must not capture mutable state: it sees only its input, its worker's own state (through
 * {@link TaskContext#current()}) and what is shared on purpose. Method references to static methods
 * ({@code Digests::sha256}) and lambdas that capture nothing or only immutable values pass the pool's check.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
@FunctionalInterface
public interface Task<I, O> {
    /**
     * Computes the output. Runs on a worker thread.
     *
     * @param input the input, checked and copied or shared as the pool's {@link Isolation} says
     * @return the output, checked the same way before it goes back to the submitter
     * @throws Exception any exception; it fails the task's future with the same exception
     */
    O run(I input) throws Exception;
}
