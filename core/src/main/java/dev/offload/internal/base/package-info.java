/**
 * Primitives every role package uses: cache-line padding ({@link dev.offload.internal.base.L1Pad}), a padded counter,
 * duration conversion, stack-trace text, VarHandle lookup. Depends on nothing of the project.
 *
 * <h2>Padding</h2>
 * A long-lived object that one thread writes on the hot path while others read it, or that others write while its
 * owner reads it, sits alone on its cache lines, so that no other object's writes evict its lines and its writes evict
 * nobody else's. One idiom, JCTools': a chain of four classes in one file,
 * <pre>
 * L1Pad (128 bytes, shared) → XFields (every instance field of X) → XL2Pad (128 bytes) → final X (methods only)
 * </pre>
 * HotSpot lays out a superclass's fields before its subclasses', so the fields class sits between the two pads;
 * inside one class the JVM orders fields as it likes, so padding is never done with fields of the padded class itself.
 * 128 bytes, not 64: Intel's adjacent-line prefetcher fetches lines in 128-byte pairs. Only long-lived objects are
 * padded, never one made per task. {@code PaddedLayoutTest} reads the real field offsets of every padded class in a
 * child JVM and fails if a field is less than 128 bytes from either end of its object.
 *
 * <p>Threading: any thread; each class says what it guards.
 */
package dev.offload.internal.base;
