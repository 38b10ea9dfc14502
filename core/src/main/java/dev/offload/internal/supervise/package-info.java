/**
 * A pool's supervisor: one thread of its own that starts workers (growth, replacement, recycle), handles crashes and
 * restarts with backoff, enforces time limits and the watchdog, abandons tasks that will not stop, and runs the
 * close ({@link dev.offload.internal.supervise.WorkerSupervisor}); the registry of workers, the restart backoff and
 * the queue-wait deadlines are its data. It sees the pool as a {@link dev.offload.internal.supervise.SupervisedPool}
 * and drives each worker through a {@link dev.offload.internal.worker.WorkerHandle} made by the factory the pool gives
 * it, never through the worker's thread: a worker of another kind (a child process) can be supervised the same way.
 *
 * <p>Threading: the supervisor thread decides; requests come from any thread through a queue and an unpark.
 */
package dev.offload.internal.supervise;
