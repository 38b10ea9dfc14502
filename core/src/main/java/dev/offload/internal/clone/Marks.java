package dev.offload.internal.clone;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Objects marked to never cross threads, as Node's {@code markAsUncloneable} and {@code markAsUntransferable}: a set
 * by identity that does not keep its members alive. {@link Sendables} consults it only once something was marked, so
 * an unmarked process pays one volatile read per value it sends.
 *
 * <p>Any thread.
 */
public final class Marks {
    private static final Set<Key> MARKED = ConcurrentHashMap.newKeySet();
    private static final ReferenceQueue<Object> GONE = new ReferenceQueue<>();
    private static volatile boolean any;

    private Marks() {}

    /** A weak reference compared by the identity of its referent. */
    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            Object mine = get();
            return o instanceof Key k && mine != null && mine == k.get();
        }
    }

    /**
     * Marks {@code value} so that it never crosses threads: a message, input, output or worker data that holds it is
     * refused with its path.
     *
     * @param value the object
     */
    public static void mark(Object value) {
        expunge();
        MARKED.add(new Key(value, GONE));
        any = true;
    }

    /**
     * Returns whether {@code value} was marked.
     *
     * @param value the object
     * @return {@code true} if marked
     */
    public static boolean isMarked(Object value) {
        return any && value != null && MARKED.contains(new Key(value, null));
    }

    private static void expunge() {
        Object gone;
        while ((gone = GONE.poll()) != null) {
            MARKED.remove(gone);
        }
    }
}
