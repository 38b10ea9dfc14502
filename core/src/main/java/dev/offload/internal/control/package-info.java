/**
 * A pool's control block, shared by every thread of the pool: its validated configuration, its outcome counters and
 * latency histograms, and its events and their log lines.
 *
 * <p>Threading: any thread; counters that several threads write per task are padded, readers take the counters'
 * lock, which no submitting or worker thread takes on the hot path.
 */
package dev.offload.internal.control;
