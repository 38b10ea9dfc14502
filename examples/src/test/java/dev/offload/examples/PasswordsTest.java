package dev.offload.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class PasswordsTest {
    @Test
    void hash_isPbkdf2HmacSha256WithTheFixedSalt() throws Exception {
        // PBKDF2-HMAC-SHA256("hunter2", "offload-example-salt", 10,000 rounds, 32 bytes) from another implementation.
        assertEquals("48a736507c6af6c987bf40042fd51cf57737180fed7fd8b97d60772366023fad", Passwords.hash("hunter2"));
        assertNotEquals(Passwords.hash("hunter2"), Passwords.hash("hunter2", 1));
    }
}
