package io.traininputs.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndToEndOptionsTest {
  @Test
  void defaultsMeasureAndNeverGate() {
    EndToEndOptions o = EndToEndOptions.parse();
    assertEquals(5_000, o.customers());
    assertEquals(1, o.warmups());
    assertEquals(3, o.iterations());
    assertEquals(1000, o.maxActions());
    assertEquals(Double.POSITIVE_INFINITY, o.maxSlowdown());
    assertEquals(Variants.all(), o.variants(), "every known variant is compared with stock by default");
    assertFalse(o.smoke());
    assertFalse(o.inMemory());
    assertFalse(o.explain());
    assertTrue(EndToEndOptions.parse("--explain", "--customers", "10").explain());
  }

  @Test
  void smokeIsSmallAndGatedAndLaterFlagsOverride() {
    EndToEndOptions smoke = EndToEndOptions.parse("--smoke");
    assertTrue(smoke.smoke());
    assertTrue(smoke.inMemory());
    assertEquals(100, smoke.customers());
    assertEquals(100, smoke.maxActions());
    assertEquals(1, smoke.iterations());
    assertEquals(2.0, smoke.maxSlowdown());
    EndToEndOptions o =
        EndToEndOptions.parse(
            "--smoke", "--customers=300", "--max-slowdown", "1.5", "--conf", "spark.sql.extensions=a.B", "--json",
            "r.json");
    assertEquals(300, o.customers());
    assertEquals(1.5, o.maxSlowdown());
    assertEquals(Map.of("spark.sql.extensions", "a.B"), o.sparkConfs());
    assertEquals(Path.of("r.json"), o.jsonOut());
  }

  @Test
  void badValuesNameTheOptionAndTheValue() {
    assertMessage("--customers must be at least 1, got 0", "--customers", "0");
    assertMessage("--customers must be an integer, got 'many'", "--customers", "many");
    assertMessage("--max-slowdown must be at least 1.0, got 0.5", "--max-slowdown", "0.5");
    assertMessage("--conf must be key=value, got 'x'", "--conf", "x");
    assertMessage("unknown option --fast", "--fast", "1");
    assertMessage("--iterations needs a value", "--iterations");
  }

  private static void assertMessage(String expected, String... args) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EndToEndOptions.parse(args));
    assertEquals(expected, e.getMessage());
  }
}
