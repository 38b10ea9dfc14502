package dev.offload.internal.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.internal.loop.Inlet;
import dev.offload.internal.loop.LoopCore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The posting flag of a port: set by a callback's first post through it, held until that callback returns (the loop
 * releases it), cleared when the port leaves its loop. The test's thread stands in for each unstarted loop's thread.
 */
class EndpointPostFlagTest {
    private static final Object[] NONE = new Object[0];

    private static LoopCore unstartedLoop(String name) {
        return new LoopCore(null, name, true, 0, 0, 1_000_000_000L, t -> {}, false);
    }

    @Test
    void aCallbacksPosts_holdTheFlagUntilTheLoopReleasesIt_andEveryMessageArrives() {
        LoopCore sender = unstartedLoop("sender");
        LoopCore receiver = unstartedLoop("receiver");
        Endpoint[] ends = Endpoint.pair();
        for (int i = 0; i < 10; i++) { // more ports' worth of holds than the loop's first array holds
            ends[0].post(sender, i, NONE);
            assertEquals(1, ends[0].posting.get(), "the flag must stay set between the posts of one callback");
        }
        sender.releasePosts();
        assertEquals(0, ends[0].posting.get(), "the callback returned: the flag must be clear");
        List<Object> got = new ArrayList<>();
        Object m;
        while ((m = ends[1].receive(receiver)) != Endpoint.NONE) {
            got.add(m);
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), got);
    }

    @Test
    void aLoopHoldsTheFlagsOfEveryPortItsCallbackPostedThrough() {
        LoopCore sender = unstartedLoop("sender");
        Endpoint[][] channels = new Endpoint[9][];
        for (int i = 0; i < channels.length; i++) { // more ports than the first array's room
            channels[i] = Endpoint.pair();
            channels[i][0].post(sender, "m", NONE);
        }
        for (Endpoint[] c : channels) {
            assertEquals(1, c[0].posting.get(), "each port posted through holds its flag");
        }
        sender.releasePosts();
        for (Endpoint[] c : channels) {
            assertEquals(0, c[0].posting.get(), "the release must clear every port's flag, not only the first");
        }
    }

    @Test
    void aReceiverFiresNoCloseWhileTheCallbackThatPostedRuns_andDeliversFirst() {
        LoopCore sender = unstartedLoop("sender");
        LoopCore receiver = unstartedLoop("receiver");
        Endpoint[] ends = Endpoint.pair();
        List<String> events = new ArrayList<>();
        ends[1].onMessage(receiver, m -> events.add("message " + m));
        ends[1].onClose(receiver, () -> events.add("close"));
        ends[0].post(sender, "m", NONE);
        ends[0].close();
        ends[1].deliver();
        ends[1].deliver();
        assertEquals(List.of("message m"), events, "no close handler while the posting callback still runs");
        sender.releasePosts();
        ends[1].deliver();
        assertEquals(List.of("message m", "close"), events);
    }

    @Test
    void aReceiverThatTookEverything_seesPostsUnderWay_untilTheCallbackReturns() {
        LoopCore sender = unstartedLoop("sender");
        LoopCore receiver = unstartedLoop("receiver");
        Endpoint[] ends = Endpoint.pair();
        List<Object> got = new ArrayList<>();
        ends[1].onMessage(receiver, got::add);
        assertEquals(Inlet.IDLE, ends[1].readiness());
        ends[0].post(sender, "m", NONE);
        assertEquals(Inlet.WORK, ends[1].readiness(), "a queued message is work");
        ends[1].deliver();
        assertEquals(List.of("m"), got);
        assertEquals(
                Inlet.POSTS_UNDER_WAY,
                ends[1].readiness(),
                "the sender is still inside the callback that posted: the receiver may park for a bounded time only");
        sender.releasePosts();
        assertEquals(Inlet.IDLE, ends[1].readiness(), "the callback returned: the receiver may park for good");
    }

    @Test
    void aPortTransferredOut_clearsItsFlag_andTheOldLoopsReleaseLeavesTheNewHoldersAlone() {
        LoopCore a = unstartedLoop("a");
        LoopCore c = unstartedLoop("c");
        Endpoint[] ends = Endpoint.pair();
        ends[0].post(a, "from a", NONE);
        ends[0].transferOut(a); // in the same callback of a
        assertEquals(0, ends[0].posting.get(), "a port that leaves its loop must leave its flag clear");
        ends[0].post(c, "from c", NONE);
        assertEquals(1, ends[0].posting.get());
        a.releasePosts(); // a's callback returns
        assertTrue(ends[0].posting.get() == 1, "the old holder's release must not clear the new holder's post");
        c.releasePosts();
        assertEquals(0, ends[0].posting.get());
        LoopCore receiver = unstartedLoop("receiver");
        assertEquals("from a", ends[1].receive(receiver));
        assertEquals("from c", ends[1].receive(receiver));
        assertFalse(ends[1].receive(receiver) != Endpoint.NONE, "two messages were posted");
    }
}
