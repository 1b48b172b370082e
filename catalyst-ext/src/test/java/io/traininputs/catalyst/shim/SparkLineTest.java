package io.traininputs.catalyst.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SparkLineTest {

  @Test
  void theJarIsBuiltForTheLineItIsTestedOn() {
    assertEquals(SparkLine.lineOf(SparkLine.running()), SparkLine.built());
    assertTrue(SparkLine.matchesRunning());
  }

  @Test
  void aLineIsMajorDotMinor() {
    assertEquals("4.1", SparkLine.lineOf("4.1.2"));
    assertEquals("4.2", SparkLine.lineOf("4.2.0"));
    assertEquals("4.3", SparkLine.lineOf("4.3.0-SNAPSHOT"));
    assertEquals("4.3", SparkLine.lineOf("4.3-preview1"));
  }

  @Test
  void theMismatchMessageNamesBothLinesAndTheJarToUse() {
    String message = SparkLine.mismatch();
    assertTrue(message.startsWith("training-inputs-spark" + SparkLine.built() + "_2.13 is built for Spark "
        + SparkLine.built()), message);
    assertTrue(message.contains("this is Spark " + SparkLine.running()), message);
    assertTrue(message.endsWith("use training-inputs-spark" + SparkLine.lineOf(SparkLine.running()) + "_2.13"),
        message);
  }
}
