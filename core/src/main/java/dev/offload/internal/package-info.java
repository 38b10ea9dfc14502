/**
 * Internals of the pool and the loop, not exported: the task record and its state machine, workers, the idle
 * strategy, the queue bound and drain signal, staffing, the CPU budget and the isolation rules.
 *
 * <p>Vocabulary: each class opens with an overview of its algorithm and the memory ordering it relies on; an
 * ordering-critical access carries a trailing comment naming what it publishes or pairs with.
 */
package dev.offload.internal;
