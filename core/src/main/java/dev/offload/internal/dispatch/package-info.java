/**
 * The hand-off between submitters and workers that is not the queue itself: the queue's slots and the drain signal
 * ({@link dev.offload.internal.dispatch.QueueGauge}), the free workers of a pool with no queue
 * ({@link dev.offload.internal.dispatch.FreeWorkers}), and the workers' places
 * ({@link dev.offload.internal.dispatch.Staffing}). The queue is a {@code dev.offload.TaskQueue}.
 *
 * <p>Threading: any thread; each is a small lock-free protocol with its own jcstress test.
 */
package dev.offload.internal.dispatch;
