package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link TaskOptions#withMoved}: arrays a caller gives up reach the task uncopied; everything else is still copied. */
class MoveTest {
    private static WorkerPool pool;

    /** What the test handed over; the task compares what it got with it, by identity. */
    static volatile Object expected;

    record Pair(byte[] moved, byte[] copied) {}

    @BeforeAll
    static void start() {
        pool = WorkerPool.builder().name("t-move").minWorkers(1).maxWorkers(1).build();
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static Boolean sameAsExpected(Object input) {
        return input == expected;
    }

    /** 1 if the pair's first array is the caller's, 10 if its second is, summed. */
    static Integer whichAreTheCallers(Pair pair) {
        Pair original = (Pair) expected;
        return (pair.moved() == original.moved() ? 1 : 0) + (pair.copied() == original.copied() ? 10 : 0);
    }

    @Test
    void aMovedArray_reachesTheTaskUncopied_andWithoutTheOption_itIsCopied() {
        byte[] bytes = {1, 2, 3};
        expected = bytes;
        assertTrue(
                pool.submit(MoveTest::sameAsExpected, bytes, TaskOptions.DEFAULT.withMoved(bytes))
                        .join(),
                "moved: the task got the caller's array");
        assertEquals(
                false, pool.submit(MoveTest::sameAsExpected, bytes).join(), "not moved: the task got a copy (CHECKED)");
        int[] ints = {4, 5};
        expected = ints;
        assertTrue(pool.submit(MoveTest::sameAsExpected, ints, TaskOptions.DEFAULT.withMoved(ints))
                .join());
    }

    @Test
    void insideAValue_onlyTheNamedArrayMoves() {
        Pair pair = new Pair(new byte[] {1}, new byte[] {2});
        expected = pair;
        assertEquals(
                1,
                pool.submit(MoveTest::whichAreTheCallers, pair, TaskOptions.DEFAULT.withMoved(pair.moved()))
                        .join(),
                "the named array moved, the other was copied");
        List<Object> list = List.of(pair.moved(), "x");
        assertEquals(
                List.of(pair.moved()),
                TaskOptions.DEFAULT.withMoved(pair.moved()).moved());
        expected = pair.moved();
        assertTrue(
                pool.<List<Object>, Boolean>submit(
                                in -> in.get(0) == expected, list, TaskOptions.DEFAULT.withMoved(pair.moved()))
                        .join(),
                "a moved array inside an immutable list");
    }

    @Test
    void badMoveLists_areRefusedWithTheRuleAndTheFix() {
        byte[] a = {1};
        IllegalArgumentException twice =
                assertThrows(IllegalArgumentException.class, () -> TaskOptions.DEFAULT.withMoved(a, a));
        assertTrue(twice.getMessage().contains("arrays[0] and arrays[1] are the same array"), twice.getMessage());
        IllegalArgumentException notArray =
                assertThrows(IllegalArgumentException.class, () -> TaskOptions.DEFAULT.withMoved("text"));
        assertTrue(notArray.getMessage().contains("java.lang.String, not a primitive array"), notArray.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TaskOptions.DEFAULT.withMoved(new Object[] {null}));
        assertThrows(IllegalArgumentException.class, () -> TaskOptions.DEFAULT.withMoved((Object) new String[1]));
    }

    @Test
    void aMovedArrayNotInTheInput_failsTheSubmit_andChangesNothing() {
        long submittedBefore = pool.stats().submitted();
        byte[] elsewhere = new byte[7];
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> pool.submit(MoveTest::sameAsExpected, new byte[1], TaskOptions.DEFAULT.withMoved(elsewhere)));
        assertTrue(e.getMessage().contains("does not hold: a byte[] of length 7"), e.getMessage());
        assertEquals(submittedBefore, pool.stats().submitted(), "nothing was submitted");
    }

    @Test
    void aMarkedArray_neverCrosses_evenMoved() {
        byte[] secret = {9};
        Worker.markAsUncloneable(secret);
        assertThrows(
                NotSendableException.class,
                () -> pool.submit(MoveTest::sameAsExpected, secret, TaskOptions.DEFAULT.withMoved(secret)));
    }

    @Test
    void trustedPools_passEverythingAsIs_theListIsNotConsulted() {
        try (WorkerPool trusted = WorkerPool.builder()
                .name("t-move-trusted")
                .minWorkers(1)
                .maxWorkers(1)
                .isolation(Isolation.TRUSTED)
                .build()) {
            byte[] bytes = {1};
            expected = bytes;
            assertTrue(trusted.submit(MoveTest::sameAsExpected, bytes).join());
            assertTrue(trusted.submit(MoveTest::sameAsExpected, bytes, TaskOptions.DEFAULT.withMoved(new byte[1]))
                    .join());
        }
    }
}
