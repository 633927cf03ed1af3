package dev.lifvision.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TicksTest {

    @Test
    void linearTicksUseOneTwoFiveSteps() {
        Plotting.Ticks t = Plotting.linearTicks(-0.05, 1.05, 5);
        assertArrayEquals(new String[] {"0", "0.2", "0.4", "0.6", "0.8", "1.0"}, t.labels());
        assertArrayEquals(new String[] {"0", "20", "40", "60", "80", "100"},
                Plotting.linearTicks(0, 100, 5).labels());
        assertArrayEquals(new String[] {"0.05", "0.10", "0.15"}, Plotting.linearTicks(0.04, 0.16, 3).labels());
        assertArrayEquals(new String[] {"-1.0", "-0.5", "0", "0.5", "1.0"}, Plotting.linearTicks(-1, 1, 4).labels());
        assertEquals(1, Plotting.niceStep(1.2));
        assertEquals(2, Plotting.niceStep(2.2));
        assertEquals(5, Plotting.niceStep(4));
        assertEquals(10, Plotting.niceStep(8));
        assertEquals(0.02, Plotting.niceStep(0.021), 1e-15);
        assertEquals("1e-9", Plotting.format(1e-9, 9));
        assertEquals("2.5e7", Plotting.format(2.5e7, 0));
    }

    @Test
    void logTicksAreDecadesOrOneTwoFive() {
        assertArrayEquals(new String[] {"0.0001", "0.001", "0.01", "0.1", "1"},
                Plotting.logTicks(1e-4, 1, 6).labels());
        assertArrayEquals(new String[] {"1e-9", "1e-7", "1e-5", "0.001"},
                Plotting.logTicks(1e-9, 1e-3, 4).labels());
        assertArrayEquals(new String[] {"1", "2", "5", "10", "20", "50"}, Plotting.logTicks(0.9, 60, 6).labels());
        Plotting.Ticks narrow = Plotting.logTicks(3, 4.5, 5);
        assertTrue(narrow.values().length >= 2, "falls back to linear ticks inside a factor of 2");
    }
}
