package dev.offload.examples.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.examples.Output;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelTest {
    @Test
    void run_printsTheMessageOnTheReceivingLoop_thenTheMessageBeforeTheClose() throws Exception {
        List<String> lines = Output.lines(Output.of(Channel::run));

        assertEquals(List.of("received {foo=bar} on main", "foobar", "closed!"), lines);
    }
}
