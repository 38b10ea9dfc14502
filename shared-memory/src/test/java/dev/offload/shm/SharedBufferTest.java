package dev.offload.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SharedBufferTest {
    @Test
    void allocate_negativeLength_throwsWithValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> SharedBuffer.allocate(-1));
        assertEquals("byteLength must be >= 0: byteLength=-1", e.getMessage());
    }

    @Test
    void getAndAddInt_returnsPreviousValue() {
        SharedBuffer buffer = SharedBuffer.allocate(16);
        assertEquals(0, buffer.getAndAddInt(4, 5));
        assertEquals(5, buffer.getAndAddInt(4, 1));
        assertEquals(16, buffer.byteLength());
    }
}
