/**
 * A worker pool's admission and wiring ({@link dev.offload.internal.pool.PoolCore}): a submit checks and prepares
 * its input, reserves a queue slot, queues the task or keeps it for its loop's hand-over, and wakes or asks for
 * workers; the pool implements the interfaces the lower layers own (the record's settler, the loop's sink, the
 * workers' host, the supervisor's pool) and builds them. The top layer: {@code WorkerPool} is its public face.
 *
 * <p>Threading: submitting threads (any thread, an event loop's included); what a method says otherwise.
 */
package dev.offload.internal.pool;
