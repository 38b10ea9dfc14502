package dev.offload.internal.loop;

/** What a stress test in another package does as the thread of an unstarted loop. */
public final class StressLoops {
    private StressLoops() {}

    /**
     * Runs what the loop's inbox holds and what its inlets (ports) have, as the loop thread would, until a turn finds
     * nothing.
     *
     * @param loop an unstarted loop
     * @return how many items ran
     */
    public static int drainAll(LoopCore loop) {
        int total = 0;
        int n;
        while ((n = loop.runOnce()) > 0) {
            total += n;
        }
        return total;
    }

    /**
     * One turn of the loop thread without timers: its inbox once, then each of its inlets (ports) once.
     *
     * @param loop an unstarted loop
     * @return how many items and callbacks ran
     */
    public static int pollOnce(LoopCore loop) {
        return loop.runOnce();
    }

    /** {@link #announceParkThenCheck}: the loop would park with no bound. */
    public static final int PARKS = 0;
    /** {@link #announceParkThenCheck}: the loop saw work and would not park. */
    public static final int SAW_WORK = 1;
    /** {@link #announceParkThenCheck}: the loop would park, but only for a bounded time (posts under way). */
    public static final int PARKS_BOUNDED = 2;

    /**
     * What the loop thread does just before it parks: announces it, then checks for work.
     *
     * @param loop an unstarted loop
     * @return {@link #SAW_WORK}, {@link #PARKS} or {@link #PARKS_BOUNDED}
     */
    public static int announceParkThenCheck(LoopCore loop) {
        if (!loop.idler.announcePark(loop.parkCheck)) {
            return SAW_WORK;
        }
        return loop.parkCheck.parkBoundNanos() == Long.MAX_VALUE ? PARKS : PARKS_BOUNDED;
    }

    /**
     * Hands the tasks submitted on the loop's behalf to their pools, as the loop thread does after each callback.
     *
     * @param loop an unstarted loop
     */
    public static void publish(LoopCore loop) {
        loop.local().publish();
    }
}
