/**
 * Message channels between event loops: the two entangled ends of a {@code MessageChannel}, each a single-producer
 * single-consumer queue into the loop that holds it, which polls it on every turn as one of its inlets (a quiet end
 * sleeps and is roused through the loop's inbox). Uses the structured clone to check and copy messages; knows no
 * pool, worker or supervisor.
 *
 * <p>Threading: each end on the loop thread that holds it (the first loop that uses it), but {@code close} from any
 * thread; deliveries run on the holding loop's thread.
 */
package dev.offload.internal.message;
