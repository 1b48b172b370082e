package io.traininputs.job.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.traininputs.job.JobOptions;
import io.traininputs.job.reference.ReferenceInputs.Cart;
import io.traininputs.job.reference.ReferenceInputs.Click;
import io.traininputs.job.reference.ReferenceInputs.Impression;
import io.traininputs.job.reference.ReferenceInputs.ImpressionItem;
import io.traininputs.job.reference.ReferenceInputs.Order;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The reference model on its own: the docs/semantics.md worked example and each rule in isolation. No Spark. */
class ReferenceJobTest {
  private static final LocalDate DAY = LocalDate.parse("2025-03-10");

  private static ReferenceInputs workedExample() {
    return new ReferenceInputs(
        List.of(impression("2025-03-10", "r1", 7L, new ImpressionItem(101, false), new ImpressionItem(102, true))),
        List.of(
            click(7L, 11, "2025-03-10T00:00:00Z"),
            click(7L, 12, "2025-03-09T23:59:59Z"),
            click(7L, 15, "2025-03-01T08:00:00Z"),
            click(7L, 16, "2024-03-10T00:00:00Z"),
            click(7L, 17, "2024-03-09T23:59:59Z")),
        List.of(new Cart("2025-03-09", 7L, 13, 130, Instant.parse("2025-03-09T23:59:59Z"))),
        List.of(new Order(LocalDate.parse("2025-03-09"), 7L, 14)));
  }

  @Test
  void workedExampleGivesTheDocumentedHistory() {
    List<ReferenceRow> rows = ReferenceJob.run(workedExample(), JobOptions.builder().maxActions(4).build());

    assertEquals(1, rows.size());
    ReferenceRow row = rows.get(0);
    assertEquals(DAY, row.asOfDate());
    assertEquals("r1", row.rankingId());
    assertEquals(7L, row.customerId());
    assertEquals(List.of(new ImpressionItem(101, false), new ImpressionItem(102, true)), row.impressions());
    assertEquals(List.of(13, 12, 14, 15), row.actions());
    assertEquals(List.of(2, 1, 3, 1), row.actionTypes());
  }

  @Test
  void workedExampleBoundaryActionIsKeptWhenTheCapAllowsIt() {
    ReferenceRow row = ReferenceJob.run(workedExample(), JobOptions.builder().maxActions(6).build()).get(0);

    assertEquals(List.of(13, 12, 14, 15, 16, 0), row.actions());
    assertEquals(List.of(2, 1, 3, 1, 1, 0), row.actionTypes());
  }

  @Test
  void workedExampleExplodedRepeatsTheHistoryPerElementInPositionOrder() {
    List<ReferenceRow> rows =
        ReferenceJob.run(workedExample(), JobOptions.builder().maxActions(4).explode(true).build());

    assertEquals(List.of(101, 102), rows.stream().map(ReferenceRow::impressionItemId).collect(Collectors.toList()));
    assertEquals(List.of(false, true), rows.stream().map(ReferenceRow::isOrder).collect(Collectors.toList()));
    for (ReferenceRow row : rows) {
      assertEquals(null, row.impressions());
      assertEquals(List.of(13, 12, 14, 15), row.actions());
      assertEquals(List.of(2, 1, 3, 1), row.actionTypes());
    }
  }

  @Test
  void tiesAreBrokenByTypeThenSignedItemDescendingAndDuplicatesAreKept() {
    String t = "2025-03-09T12:00:00Z";
    ReferenceInputs inputs = new ReferenceInputs(
        List.of(impression("2025-03-10", "r", 1L)),
        List.of(click(1L, Integer.MIN_VALUE, t), click(1L, Integer.MAX_VALUE, t), click(1L, -1, t),
            click(1L, -1, t)),
        List.of(new Cart("2025-03-09", 1L, -5, 0, Instant.parse(t))),
        List.of(new Order(LocalDate.parse("2025-03-09"), 1L, 9)));

    ReferenceRow row = ReferenceJob.run(inputs, JobOptions.builder().maxActions(7).build()).get(0);

    assertEquals(List.of(-5, Integer.MAX_VALUE, -1, -1, Integer.MIN_VALUE, 9, 0), row.actions());
    assertEquals(List.of(2, 1, 1, 1, 1, 3, 0), row.actionTypes());
  }

  @Test
  void windowIncludesTheBoundaryAndExcludesTheAsOfDayAndOneMicrosecondOutside() {
    ReferenceInputs inputs = new ReferenceInputs(
        List.of(impression("2025-03-10", "r", 1L)),
        List.of(
            click(1L, 1, "2025-03-10T00:00:00Z"),
            click(1L, 2, "2025-03-09T23:59:59.999999Z"),
            click(1L, 3, "2025-03-08T00:00:00Z"),
            click(1L, 4, "2025-03-07T23:59:59.999999Z")),
        List.of(),
        List.of(new Order(DAY, 1L, 5), new Order(LocalDate.parse("2025-03-08"), 1L, 6)));

    ReferenceRow row =
        ReferenceJob.run(inputs, JobOptions.builder().maxActions(4).lookbackDays(2).build()).get(0);

    assertEquals(List.of(2, 6, 3, 0), row.actions());
    assertEquals(List.of(1, 3, 1, 0), row.actionTypes());
  }

  @Test
  void trainDaysCountBackFromTheLatestDayOfAllImpressions() {
    ReferenceInputs inputs = new ReferenceInputs(
        List.of(impression("2025-03-10", "a", 1L), impression("2025-03-08", "b", 2L),
            impression("2025-03-07", "c", 1L)),
        List.of(), List.of(), List.of());

    List<String> kept = ReferenceJob.run(inputs, JobOptions.builder().trainDays(3).build()).stream()
        .map(ReferenceRow::rankingId).collect(Collectors.toList());

    assertEquals(List.of("a", "b"), kept);
  }

  @Test
  void aContextWithoutActionsGetsZeroArraysAndAnEmptyImpressionRowExplodesToNothing() {
    ReferenceInputs inputs = new ReferenceInputs(
        List.of(impression("2025-03-10", "a", 3L), impression("2025-03-10", "b", 3L, new ImpressionItem(8, true))),
        List.of(click(4L, 1, "2025-03-09T00:00:00Z")), List.of(), List.of());
    JobOptions options = JobOptions.builder().maxActions(3).build();

    List<ReferenceRow> rows = ReferenceJob.run(inputs, options);
    List<ReferenceRow> exploded = ReferenceJob.run(inputs, options.toBuilder().explode(true).build());

    assertEquals(2, rows.size());
    assertEquals(List.of(), rows.get(0).impressions());
    assertEquals(List.of(0, 0, 0), rows.get(0).actions());
    assertEquals(List.of(0, 0, 0), rows.get(0).actionTypes());
    assertEquals(1, exploded.size());
    assertEquals("b", exploded.get(0).rankingId());
    assertEquals(List.of(0, 0, 0), exploded.get(0).actions());
  }

  @Test
  void noImpressionsGiveNoRows() {
    ReferenceInputs inputs = new ReferenceInputs(
        List.of(), List.of(click(4L, 1, "2025-03-09T00:00:00Z")), List.of(), List.of());

    assertEquals(List.of(), ReferenceJob.run(inputs, JobOptions.defaults()));
  }

  private static Impression impression(String dt, String rankingId, long customer, ImpressionItem... items) {
    return new Impression(dt, rankingId, customer, List.of(items));
  }

  private static Click click(long customer, int item, String time) {
    return new Click(time.substring(0, 10), customer, item, Instant.parse(time));
  }
}
