package dev.offload.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static CommandLine line() {
        return CommandLine.of("demo")
                .option("duration", "5s", "how long")
                .option("workers", "2", "how many")
                .flag("serve", "keep serving");
    }

    @Test
    void parse_valuesAfterASpaceOrAnEqualsSign_andFlags() {
        CommandLine line = line().parse("--duration", "250ms", "--workers=3", "--serve");

        assertEquals(Duration.ofMillis(250), line.duration("duration"));
        assertEquals(3, line.integer("workers", 1));
        assertTrue(line.flag("serve"));
        assertFalse(line.helpWanted());
    }

    @Test
    void parse_nothing_givesTheDefaults() {
        CommandLine line = line().parse();

        assertEquals(Duration.ofSeconds(5), line.duration("duration"));
        assertEquals(2, line.integer("workers", 1));
        assertFalse(line.flag("serve"));
    }

    @Test
    void durations_acceptMillisSecondsMinutesAndBareSeconds() {
        assertEquals(Duration.ofMillis(1500), line().parse("--duration", "1.5s").duration("duration"));
        assertEquals(Duration.ofMinutes(2), line().parse("--duration", "2m").duration("duration"));
        assertEquals(Duration.ofSeconds(3), line().parse("--duration", "3").duration("duration"));
    }

    @Test
    void unknownOption_isRefused_withTheValidOnesListed() {
        var e = assertThrows(CommandLine.UsageException.class, () -> line().parse("--wokers", "3"));

        assertTrue(e.getMessage().startsWith("unknown option: option=--wokers\n"), e.getMessage());
        assertTrue(e.getMessage().contains("--workers 2"), e.getMessage());
        assertTrue(e.getMessage().contains("--serve"), e.getMessage());
    }

    @Test
    void badValues_areRefused_withTheRuleAndTheValue() {
        var zero = assertThrows(CommandLine.UsageException.class, () -> line().parse("--workers", "0")
                .integer("workers", 1));
        var word = assertThrows(CommandLine.UsageException.class, () -> line().parse("--duration", "soon")
                .duration("duration"));
        var missing = assertThrows(CommandLine.UsageException.class, () -> line().parse("--workers"));

        assertTrue(zero.getMessage().startsWith("--workers must be an integer >= 1: workers=0"), zero.getMessage());
        assertTrue(word.getMessage().startsWith("--duration must be a positive duration"), word.getMessage());
        assertTrue(missing.getMessage().startsWith("option needs a value: option=--workers"), missing.getMessage());
    }
}
