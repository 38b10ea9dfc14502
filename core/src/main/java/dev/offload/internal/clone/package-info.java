/**
 * What may cross between threads, and how: the structured clone of task inputs, outputs and (next) messages, the
 * moves of transferred buffers, and the refusal of anything else with the path of the value that cannot cross
 * ({@link dev.offload.internal.clone.Sendables}).
 *
 * <p>Threading: the sending thread prepares a value (nothing is changed until the send commits); the commit and its
 * rollback run on the same thread.
 */
package dev.offload.internal.clone;
