package io.traininputs.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndToEndReportTest {
  private static final Variant TOPN = new Variant("topn", Map.of("spark.example.topn", "true"));

  @Test
  void gateFailsOnlyWhenTheHistoryMedianIsOverTheFactor() {
    EndToEndOptions options = EndToEndOptions.parse("--max-slowdown", "2");
    assertEquals(List.of(), report(options, 100, 199).gateFailures());
    List<String> failures = report(options, 100, 250).gateFailures();
    assertEquals(1, failures.size());
    assertTrue(
        failures.get(0).startsWith("variant topn: history stage 250 ms is 2.50x stock's 100 ms"), failures.get(0));
  }

  @Test
  void medianIgnoresOneOutlier() {
    VariantResult r = new VariantResult(TOPN, runs(10, 500, 12), runs(1, 2, 3));
    assertEquals(12.0, r.historyMedianMillis(), 1e-9);
    assertEquals(2.0, r.jobMedianMillis(), 1e-9);
  }

  @Test
  void tableAndJsonCarryEveryVariant() {
    EndToEndReport report = report(EndToEndOptions.parse(), 100, 50);
    String table = report.table();
    assertTrue(table.contains("stock        history"), table);
    assertTrue(table.contains("topn         job"), table);
    assertEquals(0.5, report.historyRatio(report.results().get(1)), 1e-9);
    String json = report.json();
    assertTrue(json.contains("\"name\": \"topn\", \"sessionConfs\": {\"spark.example.topn\": \"true\"}"), json);
    assertTrue(json.contains("\"historyRatio\": 0.500"), json);
    assertTrue(json.contains("\"millis\": [50.000, 50.000, 50.000]"), json);
  }

  private static EndToEndReport report(EndToEndOptions options, long stockMillis, long variantMillis) {
    return new EndToEndReport(
        options,
        Instant.EPOCH,
        0.5,
        0.7,
        1.0,
        10,
        3,
        2,
        List.of(
            new VariantResult(
                Variants.stock(), runs(stockMillis, stockMillis, stockMillis), runs(stockMillis, stockMillis)),
            new VariantResult(
                TOPN, runs(variantMillis, variantMillis, variantMillis), runs(variantMillis, variantMillis))));
  }

  private static List<Measurement> runs(long... millis) {
    return java.util.Arrays.stream(millis).mapToObj(m -> new Measurement(m * 1_000_000, 1, 0, 0)).toList();
  }
}
