package dev.offload.examples.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.examples.Output;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostMessageTest {
    @Test
    void run_copiesTransfersSharesKeepsCyclesRefusesClassesAndPassesRecords() throws Exception {
        List<String> lines = Output.lines(Output.of(PostMessage::run));

        assertEquals(
                List.of(
                        "copied:      the worker saw [1, 2, 3, 4], the sender now has [99, 2, 3, 4]",
                        "transferred: the worker read 42; the sender's handle is detached: true (any use throws"
                                + " IllegalStateException)",
                        "shared:      the worker wrote 7, the sender reads 7",
                        "circular:    copy.get(\"foo\") == copy on the worker: true",
                        "class Foo:   refused at submit: path=input, type=PostMessage$Foo",
                        "record Bar:  crosses by reference both ways, the very same object: true"),
                lines);
    }
}
