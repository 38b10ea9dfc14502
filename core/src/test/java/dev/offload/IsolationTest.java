package dev.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.shm.SharedBuffer;
import dev.offload.shm.TransferableBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IsolationTest {
    private static WorkerPool pool;

    record Point(int x, int y) {}

    record Tile(SharedBuffer image, int x, int y) {}

    record Samples(String name, double[] values) {}

    record Holder(Object value) {}

    @BeforeAll
    static void start() {
        pool = WorkerPool.builder()
                .name("t-isolation")
                .minWorkers(1)
                .maxWorkers(1)
                .build();
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static <T> T identity(T value) {
        return value;
    }

    @Test
    void immutableValues_passByReference() {
        String s = new String("text");
        Point p = new Point(1, 2);
        List<Point> list = List.of(p, new Point(3, 4));
        Map<String, Integer> map = Map.of("a", 1);
        assertSame(s, Await.result(pool.submit(IsolationTest::identity, s), "string"));
        assertSame(p, Await.result(pool.submit(IsolationTest::identity, p), "record"));
        assertSame(list, Await.result(pool.submit(IsolationTest::identity, list), "List.of"));
        assertSame(map, Await.result(pool.submit(IsolationTest::identity, map), "Map.of"));
    }

    @Test
    void sharedBuffer_isShared_insideRecord() {
        SharedBuffer image = SharedBuffer.allocate(64);
        Tile tile = new Tile(image, 1, 2);
        Tile seen = Await.result(pool.submit(IsolationTest::identity, tile), "tile");
        assertSame(tile, seen);
        assertSame(image, seen.image());
    }

    @Test
    void primitiveArrays_areCopied_bothWays() {
        int[] input = {1, 2, 3};
        int[] output = Await.result(
                pool.submit(
                        (int[] a) -> {
                            a[0] = 99; // mutates the worker's copy only
                            return a;
                        },
                        input),
                "array task");
        assertArrayEquals(new int[] {1, 2, 3}, input, "the submitter's array changed");
        assertArrayEquals(new int[] {99, 2, 3}, output);
        assertNotSame(input, output);
    }

    @Test
    void recordsHoldingArrays_andMutableCollections_areDeepCopied() {
        Samples samples = new Samples("s", new double[] {1.5});
        Samples copy = Await.result(pool.submit(IsolationTest::identity, samples), "record with array");
        assertNotSame(samples, copy);
        assertNotSame(samples.values(), copy.values());
        assertArrayEquals(samples.values(), copy.values());
        ArrayList<int[]> list = new ArrayList<>(List.of(new int[] {7}));
        HashMap<String, ArrayList<String>> map = new HashMap<>(Map.of("k", new ArrayList<>(List.of("v"))));
        ArrayList<int[]> listCopy = Await.result(pool.submit(IsolationTest::identity, list), "ArrayList");
        HashMap<String, ArrayList<String>> mapCopy = Await.result(pool.submit(IsolationTest::identity, map), "map");
        assertNotSame(list, listCopy);
        assertNotSame(list.get(0), listCopy.get(0));
        assertEquals(7, listCopy.get(0)[0]);
        assertNotSame(map.get("k"), mapCopy.get("k"));
        assertEquals(map, mapCopy);
    }

    @Test
    void transferableBuffer_isMoved_senderDetached() {
        TransferableBuffer pixels = TransferableBuffer.allocate(16);
        pixels.setInt(0, 42);
        int seen = Await.result(pool.submit((TransferableBuffer b) -> b.getInt(0), pixels), "transfer");
        assertEquals(42, seen);
        assertTrue(pixels.isDetached(), "the sender's handle is still attached after the transfer");
        assertThrows(IllegalStateException.class, () -> pixels.getInt(0));
    }

    @Test
    void mutableInput_rejected_withTypeAndPathAndFix() {
        Holder holder = new Holder(List.of(new Point(0, 0), new StringBuilder("x")));
        var e = assertThrows(NotSendableException.class, () -> pool.submit(IsolationTest::identity, holder));
        assertEquals("input.value[1]", e.path());
        assertEquals("java.lang.StringBuilder", e.typeName());
        assertTrue(e.getMessage().startsWith("not sendable: path=input.value[1], type=java.lang.StringBuilder:"));
        assertTrue(e.getMessage().contains("Isolation.TRUSTED"), "message names no fix: " + e.getMessage());
        assertEquals(0, pool.stats().queued(), "a rejected input kept its queue slot");
    }

    @Test
    void mutableValueInMapOrArray_rejected_withPath() {
        HashMap<String, Object> map = new HashMap<>(Map.of("k", new StringBuilder()));
        assertEquals(
                "input[k]",
                assertThrows(NotSendableException.class, () -> pool.submit(IsolationTest::identity, map))
                        .path());
        Object[] array = {1, "two", new Object()};
        assertEquals(
                "input[2]",
                assertThrows(NotSendableException.class, () -> pool.submit(IsolationTest::identity, array))
                        .path());
        Samples ok = new Samples("fine", new double[0]);
        Holder nested = new Holder(List.of(ok, new Holder(new java.util.concurrent.atomic.AtomicLong())));
        assertEquals(
                "input.value[1].value",
                assertThrows(NotSendableException.class, () -> pool.submit(IsolationTest::identity, nested))
                        .path());
    }

    @Test
    void iteratorsOfImmutableCollections_areRefused_notMistakenForTheirCollections() {
        // They share the collections' package-private outer class: each was once taken for a map, and the check
        // threw a ClassCastException instead of naming the type.
        for (Object iterator : List.of(
                List.of(1, 2).iterator(),
                java.util.Set.of(1, 2, 3).iterator(),
                Map.of("k", 1, "l", 2).entrySet().iterator())) {
            var e = assertThrows(
                    NotSendableException.class,
                    () -> pool.submit(IsolationTest::identity, iterator),
                    iterator.getClass().getName());
            assertEquals(iterator.getClass().getName(), e.typeName());
            assertEquals("input", e.path());
        }
    }

    @Test
    void capturingLambda_ofMutableValue_rejected() {
        AtomicInteger counter = new AtomicInteger();
        Task<Integer, Integer> capturing = x -> counter.addAndGet(x);
        var e = assertThrows(NotSendableException.class, () -> pool.submit(capturing, 1));
        assertEquals("task", e.path());
        assertTrue(e.getMessage().contains("java.util.concurrent.atomic.AtomicInteger"), e.getMessage());
        int base = 10;
        String label = "n";
        assertEquals("n11", Await.result(pool.submit((Integer x) -> label + (x + base), 1), "immutable captures"));
    }

    @Test
    void refusedTaskClass_staysRefused_betweenAcceptedOnes() {
        AtomicInteger counter = new AtomicInteger();
        Task<Integer, Integer> capturing = x -> counter.addAndGet(x);
        Task<Integer, Integer> clean = x -> x + 1;
        for (int i = 0;
                i < 3;
                i++) { // accepted, refused, accepted, refused...: no check is skipped for a refused class
            assertEquals(2, Await.result(pool.submit(clean, 1), "the clean task, round " + i));
            assertThrows(NotSendableException.class, () -> pool.submit(capturing, 1), "round " + i);
            assertThrows(NotSendableException.class, () -> pool.submit(capturing, 1), "again, round " + i);
        }
        assertEquals(0, counter.get(), "a refused task ran");
    }

    @Test
    void nonSendableOutput_failsFuture_andPoolKeepsGoing() {
        Throwable t = Await.failure(pool.submit((Integer x) -> new StringBuilder("out"), 1), "bad output");
        assertInstanceOf(NotSendableException.class, t);
        assertEquals("output", ((NotSendableException) t).path());
        assertEquals(4, Await.result(pool.submit((Integer x) -> x * x, 2), "task after a bad output"));
    }

    @Test
    void trusted_passesEverythingByReference() {
        try (WorkerPool trusted = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .isolation(Isolation.TRUSTED)
                .build()) {
            StringBuilder sb = new StringBuilder();
            assertSame(sb, Await.result(trusted.submit(IsolationTest::identity, sb), "trusted"));
            int[] array = {1};
            assertSame(array, Await.result(trusted.submit(IsolationTest::identity, array), "trusted array"));
        }
    }

    /** What a task sees of a graph: whether each part is the same object as another, inside the copy. */
    static List<Boolean> shapeOf(List<Object> graph) {
        @SuppressWarnings("unchecked")
        List<Object> shared = (List<Object>) graph.get(0);
        return List.of(graph.get(0) == graph.get(1), graph.get(2) == graph, shared.get(0) == shared);
    }

    @Test
    void cyclesAndSharedParts_areCopiedOnce_andKeepTheirShape() {
        ArrayList<Object> shared = new ArrayList<>();
        shared.add(shared); // a cycle
        ArrayList<Object> graph = new ArrayList<>();
        graph.add(shared);
        graph.add(shared); // the same part twice
        graph.add(graph); // the graph holds itself
        assertEquals(
                List.of(true, true, true),
                Await.result(pool.submit(IsolationTest::shapeOf, graph), "graph with cycles and shared parts"));
        int[] array = {1, 2, 3};
        Map<String, Object> map = new HashMap<>();
        map.put("a", array);
        map.put("b", array);
        assertEquals(
                Boolean.TRUE,
                Await.result(pool.submit((Map<String, Object> m) -> m.get("a") == m.get("b"), map), "shared array"));
    }

    @Test
    void nestingDeeperThanTheLimit_isRefused_withPathAndFix() {
        ArrayList<Object> root = new ArrayList<>();
        ArrayList<Object> node = root;
        for (int i = 0; i < 600; i++) {
            ArrayList<Object> next = new ArrayList<>();
            node.add(next);
            node = next;
        }
        NotSendableException e = assertThrows(NotSendableException.class, () -> pool.submit(List::size, root));
        assertTrue(e.getMessage().contains("nested deeper than 512 levels"), e.getMessage());
        assertTrue(e.path().startsWith("input[0][0]"), e.path());
        assertTrue(
                e.path().contains("more)"),
                "a deep path is not shortened: " + e.path().length() + " chars");
    }

    @Test
    void cycleThroughARecord_isRefused_withPath() {
        ArrayList<Object> list = new ArrayList<>();
        Holder holder = new Holder(list);
        list.add(holder);
        NotSendableException e =
                assertThrows(NotSendableException.class, () -> pool.submit(IsolationTest::identity, holder));
        assertTrue(e.getMessage().contains("cycle through a record"), e.getMessage());
        assertEquals("input.value[0]", e.path());
    }

    @Test
    void detachedTransferableBuffer_isRefused_withFix() {
        TransferableBuffer buffer = TransferableBuffer.allocate(8);
        buffer.transfer();
        NotSendableException e =
                assertThrows(NotSendableException.class, () -> pool.submit(TransferableBuffer::byteLength, buffer));
        assertTrue(e.getMessage().contains("send the handle transfer() returned"), e.getMessage());
    }

    @Test
    void theSameTransferableBufferTwice_isMovedOnce_andArrivesAsOneHandle() {
        TransferableBuffer buffer = TransferableBuffer.allocate(8);
        List<Object> twice = new ArrayList<>(List.of(buffer, buffer));
        assertEquals(
                Boolean.TRUE,
                Await.result(pool.submit((List<Object> l) -> l.get(0) == l.get(1), twice), "buffer twice"));
        assertTrue(buffer.isDetached());
    }
}
