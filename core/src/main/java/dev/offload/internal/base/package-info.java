/**
 * Primitives every role package uses: cache-line padding ({@link dev.offload.internal.base.PadHead}), a padded
 * counter, duration conversion, stack-trace text. Depends on nothing of the project.
 *
 * <p>Threading: any thread; each class says what it guards.
 */
package dev.offload.internal.base;
