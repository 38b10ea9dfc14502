package dev.offload.examples;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The CPU-heavy work of the examples: password hashing with PBKDF2-HMAC-SHA256, the JVM's {@code crypto.pbkdf2Sync}.
 * Its cost is its number of rounds: 10,000 take a few milliseconds of one core, which is exactly what must not run on
 * an event loop. Any thread.
 */
public final class Passwords {
    /** Rounds per hash by default: a few milliseconds. (A real password store uses far more: hundreds of thousands.) */
    public static final int DEFAULT_ROUNDS = 10_000;

    /** A fixed salt keeps the examples' output reproducible; a real password store draws a random salt per user. */
    private static final byte[] SALT = "offload-example-salt".getBytes(StandardCharsets.UTF_8);

    private Passwords() {}

    /**
     * Hashes a password with {@link #DEFAULT_ROUNDS} rounds.
     *
     * @param password the password
     * @return the derived key in hex (64 characters)
     * @throws GeneralSecurityException never: PBKDF2WithHmacSHA256 is in every JDK
     */
    public static String hash(String password) throws GeneralSecurityException {
        return hash(password, DEFAULT_ROUNDS);
    }

    /**
     * Hashes a password.
     *
     * @param password the password
     * @param rounds the number of rounds, at least 1
     * @return the derived key in hex (64 characters)
     * @throws GeneralSecurityException never: PBKDF2WithHmacSHA256 is in every JDK
     */
    public static String hash(String password, int rounds) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), SALT, rounds, 256);
        try {
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
            return HexFormat.of().formatHex(key);
        } finally {
            spec.clearPassword();
        }
    }
}
