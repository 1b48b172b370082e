package io.traininputs.job;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.job.reference.ReferenceContext;
import io.traininputs.job.reference.ReferenceHistory;
import io.traininputs.job.reference.ReferenceInputs.ImpressionItem;
import io.traininputs.job.reference.ReferenceRow;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;
import org.junit.jupiter.api.Test;

/** The comparison helper itself: multiset semantics and a diff that points at the first differing element. */
class JobDifferentialTest {
  private static final LocalDate DAY = LocalDate.parse("2025-03-10");

  private static ReferenceRow row(String rankingId, List<Integer> actions, List<Integer> types) {
    return new ReferenceRow(DAY, rankingId, 7L, List.of(new ImpressionItem(1, true)), null, null, actions, types);
  }

  @Test
  void equalMultisetsInAnyOrderHaveNoDiff() {
    ReferenceRow a = row("a", List.of(1, 2, 0), List.of(1, 1, 0));
    ReferenceRow b = row("b", List.of(3, 0, 0), List.of(2, 0, 0));

    assertNull(JobDifferential.diff(List.of(a, b, a), List.of(a, a, b)));
  }

  @Test
  void aMissingDuplicateIsADifference() {
    ReferenceRow a = row("a", List.of(1, 2, 0), List.of(1, 1, 0));

    String diff = JobDifferential.diff(List.of(a, a), List.of(a));

    assertNotNull(diff);
    assertTrue(diff.contains("expected 2 rows, got 1; 1 expected rows missing, 0 unexpected"), diff);
  }

  @Test
  void explodedElementsOutOfPositionOrderAreADifferenceEvenWhenTheMultisetsAgree() {
    ImpressionItem first = new ImpressionItem(5, false);
    ImpressionItem second = new ImpressionItem(4, true);
    ReferenceHistory h = new ReferenceHistory(List.of(), List.of(0, 0), List.of(0, 0));
    ReferenceRow a = ReferenceRow.exploded(DAY, "r", 7L, first, h);
    ReferenceRow b = ReferenceRow.exploded(DAY, "r", 7L, second, h);
    ReferenceRow other = ReferenceRow.exploded(DAY, "s", 7L, second, h);

    assertNull(JobDifferential.diff(List.of(a, b, other), List.of(other, b, a)));
    assertNull(JobDifferential.positionOrderDiff(List.of(a, b, other), List.of(other, a, b)));
    String diff = JobDifferential.positionOrderDiff(List.of(a, b, other), List.of(other, b, a));
    assertNotNull(diff);
    assertTrue(diff.contains("ranking_id=r, customer_id=7: expected [5/false, 4/true], got [4/true, 5/false]"), diff);
  }

  @Test
  void historiesDiffReportsAWrongArrayAMissingContextAndADuplicateRow() {
    StructType schema = new StructType()
        .add("customer_id", DataTypes.LongType)
        .add("as_of_date", DataTypes.DateType)
        .add("actions", Schemas.INT_ARRAY)
        .add("action_types", Schemas.INT_ARRAY);
    ReferenceContext seven = new ReferenceContext(7L, DAY);
    ReferenceContext eight = new ReferenceContext(8L, DAY);
    Map<ReferenceContext, ReferenceHistory> expected = Map.of(
        seven, new ReferenceHistory(List.of(), List.of(3, 2), List.of(1, 2)),
        eight, new ReferenceHistory(List.of(), List.of(0, 0), List.of(0, 0)));
    Row right = new GenericRowWithSchema(
        new Object[] {7L, Date.valueOf(DAY), seq(3, 2), seq(1, 2)}, schema);
    Row wrong = new GenericRowWithSchema(
        new Object[] {7L, Date.valueOf(DAY), seq(2, 3), seq(2, 1)}, schema);

    assertNull(JobDifferential.historiesDiff(
        List.of(right, new GenericRowWithSchema(new Object[] {8L, DAY, seq(0, 0), seq(0, 0)}, schema)),
        expected));
    String diff = JobDifferential.historiesDiff(List.of(wrong, right), expected);
    assertNotNull(diff);
    assertTrue(diff.contains("expected 2 contexts, got 2 rows; 3 mismatches"), diff);
    assertTrue(diff.contains("actions differ first at index 0: expected 3, got 2"), diff);
    assertTrue(diff.contains("duplicate row for " + seven), diff);
    assertTrue(diff.contains("missing context " + eight), diff);
  }

  @Test
  void theDiffNamesTheRowAndTheFirstDifferingIndex() {
    ReferenceRow want = row("a", List.of(13, 12, 14, 15, 0, 0), List.of(2, 1, 3, 1, 0, 0));
    ReferenceRow got = row("a", List.of(13, 12, 15, 14, 0, 0), List.of(2, 1, 1, 3, 0, 0));

    String diff = JobDifferential.diff(List.of(want), List.of(got));

    assertNotNull(diff);
    assertTrue(diff.contains("ranking_id=a, customer_id=7"), diff);
    assertTrue(diff.contains("actions=[13, 12, 14, 15] + 2 x 0"), diff);
    assertTrue(diff.contains("actions differ first at index 2: expected 14, got 15 (lengths 6 and 6)"), diff);
    assertTrue(diff.contains("action_types differ first at index 2: expected 3, got 1"), diff);
  }

  /** Spark rows hold arrays as Scala sequences. */
  private static Object seq(Integer... values) {
    return CollectionConverters.asScala(List.of(values));
  }
}
