/**
 * A pool's worker: its thread's run loop, its task context, its own counters
 * ({@link dev.offload.internal.worker.ThreadWorker}, {@link dev.offload.internal.worker.WorkerThread}). A worker sees its
 * pool as a {@link dev.offload.internal.worker.WorkerHost} and its supervisor as a
 * {@link dev.offload.internal.worker.WorkerWatcher}; both interfaces name the worker they are called about, so the
 * four types refer to each other, inside this package only.
 *
 * <p>Threading: the worker thread, except what a method says other threads may call (wake-ups, stats reads, the
 * supervisor's abandonment CAS).
 */
package dev.offload.internal.worker;
