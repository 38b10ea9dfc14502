/**
 * How a thread with nothing to do waits: spin, then yield, then park until woken
 * ({@link dev.offload.internal.idle.Idler}), the part of it that producers touch
 * ({@link dev.offload.internal.idle.Waker}), and the machine-wide budget of spinning threads
 * ({@link dev.offload.internal.idle.OnCpuThreads}). Used by event loops and workers alike; it knows neither.
 *
 * <p>Threading: an idler's owner thread idles; any thread wakes it.
 */
package dev.offload.internal.idle;
