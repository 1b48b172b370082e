package io.traininputs.job;

import static org.junit.jupiter.api.Assertions.fail;

import io.traininputs.job.reference.ReferenceContext;
import io.traininputs.job.reference.ReferenceHistory;
import io.traininputs.job.reference.ReferenceInputs.ImpressionItem;
import io.traininputs.job.reference.ReferenceRow;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Compares a job output with the plain-Java reference ({@link io.traininputs.job.reference.ReferenceJob}): the
 * full multiset of rows, exactly, arrays element by element; for exploded output also the element position
 * order within each impression row. Any Spark path (stock plan, TopNHistory, as-of) can be checked with it:
 *
 * <pre>{@code
 * ReferenceInputs data = AdversarialData.generate(seed, options);
 * Dataset<Row> output = TrainingInputsJob.build(ReferenceFrames.of(spark, data), options); // extension on or off
 * JobDifferential.assertSameAsReference(output, ReferenceJob.run(data, options));
 * }</pre>
 */
public final class JobDifferential {
  private static final int LISTED = 5;

  private JobDifferential() {}

  /**
   * Collects {@code output} and fails with a readable diff unless it holds exactly the rows of {@code expected}
   * (as multisets). For exploded output, the rows of each (as_of_date, ranking_id, customer_id) must also come
   * out in element position order; inputs must then not hold two different impression rows with the same key.
   */
  public static void assertSameAsReference(Dataset<Row> output, List<ReferenceRow> expected) {
    assertSameAsReference(output, expected, true);
  }

  public static void assertSameAsReference(
      Dataset<Row> output, List<ReferenceRow> expected, boolean checkPositionOrder) {
    boolean exploded = checkShape(output.schema().fieldNames(), expected);
    List<ReferenceRow> actual = toReferenceRows(output.collectAsList());
    String diff = diff(expected, actual);
    if (diff == null && exploded && checkPositionOrder) {
      diff = positionOrderDiff(expected, actual);
    }
    if (diff != null) {
      fail(diff);
    }
  }

  /**
   * Collects a history stage output ({@code customer_id, as_of_date, actions, action_types}, one row per context,
   * e.g. {@link HistoryBuilder#build}) and fails with a readable diff unless it holds exactly one row per context
   * of {@code expected} with exactly its arrays.
   */
  public static void assertSameHistories(Dataset<Row> histories, Map<ReferenceContext, ReferenceHistory> expected) {
    String diff = historiesDiff(histories.collectAsList(), expected);
    if (diff != null) {
      fail(diff);
    }
  }

  /** Null when {@code rows} hold exactly one row per context of {@code expected}, with its arrays. */
  public static String historiesDiff(List<Row> rows, Map<ReferenceContext, ReferenceHistory> expected) {
    List<String> mismatches = new ArrayList<>();
    Map<ReferenceContext, Integer> seen = new HashMap<>();
    for (Row row : rows) {
      ReferenceContext context = new ReferenceContext(
          ((Number) row.get(row.fieldIndex("customer_id"))).longValue(),
          localDate(row.get(row.fieldIndex("as_of_date"))));
      List<Integer> actions = ints(row.getList(row.fieldIndex("actions")));
      List<Integer> types = ints(row.getList(row.fieldIndex("action_types")));
      ReferenceHistory want = expected.get(context);
      if (seen.merge(context, 1, Integer::sum) > 1) {
        mismatches.add("duplicate row for " + context);
      } else if (want == null) {
        mismatches.add("unexpected context " + context + ": actions=" + ReferenceRow.abbreviate(actions));
      } else if (!want.actions().equals(actions) || !want.actionTypes().equals(types)) {
        mismatches.add(context + ": expected actions=" + ReferenceRow.abbreviate(want.actions()) + " action_types="
            + ReferenceRow.abbreviate(want.actionTypes()) + ", got actions=" + ReferenceRow.abbreviate(actions)
            + " action_types=" + ReferenceRow.abbreviate(types) + "\n  "
            + firstDifference("actions", want.actions(), actions).trim() + "; "
            + firstDifference("action_types", want.actionTypes(), types).trim());
      }
    }
    for (ReferenceContext c : expected.keySet()) {
      if (!seen.containsKey(c)) {
        mismatches.add("missing context " + c + ": expected actions=" + ReferenceRow.abbreviate(
            expected.get(c).actions()));
      }
    }
    if (mismatches.isEmpty()) {
      return null;
    }
    return String.format("Histories differ from the reference: expected %d contexts, got %d rows; %d mismatches, "
        + "first %d:%n  %s", expected.size(), rows.size(), mismatches.size(), Math.min(LISTED, mismatches.size()),
        String.join("\n  ", mismatches.subList(0, Math.min(LISTED, mismatches.size()))));
  }

  /** The output rows as reference rows; the shape is read from each row's schema. */
  public static List<ReferenceRow> toReferenceRows(List<Row> rows) {
    List<ReferenceRow> out = new ArrayList<>(rows.size());
    for (Row row : rows) {
      out.add(toReferenceRow(row));
    }
    return out;
  }

  public static ReferenceRow toReferenceRow(Row row) {
    boolean exploded = Arrays.asList(row.schema().fieldNames()).contains("impression_item_id");
    LocalDate asOf = localDate(row.get(row.fieldIndex("as_of_date")));
    String rankingId = row.getString(row.fieldIndex("ranking_id"));
    Object customer = row.get(row.fieldIndex("customer_id"));
    if (customer == null) {
      fail("null customer_id in output row " + row);
    }
    long customerId = ((Number) customer).longValue();
    List<Integer> actions = ints(row.getList(row.fieldIndex("actions")));
    List<Integer> types = ints(row.getList(row.fieldIndex("action_types")));
    if (exploded) {
      Object item = row.get(row.fieldIndex("impression_item_id"));
      Object isOrder = row.get(row.fieldIndex("is_order"));
      return new ReferenceRow(
          asOf, rankingId, customerId, null, item == null ? null : ((Number) item).intValue(), (Boolean) isOrder,
          actions, types);
    }
    List<Row> elements = row.getList(row.fieldIndex("impressions"));
    List<ImpressionItem> items = null;
    if (elements != null) {
      items = new ArrayList<>();
      for (Row e : elements) {
        if (e == null || e.isNullAt(0)) {
          fail("null impression element or item_id in output row " + row);
        }
        items.add(new ImpressionItem(e.getInt(0), e.isNullAt(1) ? null : e.getBoolean(1)));
      }
    }
    return new ReferenceRow(asOf, rankingId, customerId, items, null, null, actions, types);
  }

  /** Null when {@code actual} and {@code expected} are equal multisets, else a readable description. */
  public static String diff(List<ReferenceRow> expected, List<ReferenceRow> actual) {
    Map<ReferenceRow, Integer> balance = new HashMap<>();
    for (ReferenceRow r : expected) {
      balance.merge(r, 1, Integer::sum);
    }
    for (ReferenceRow r : actual) {
      balance.merge(r, -1, Integer::sum);
    }
    List<ReferenceRow> missing = new ArrayList<>();
    List<ReferenceRow> unexpected = new ArrayList<>();
    for (Map.Entry<ReferenceRow, Integer> e : balance.entrySet()) {
      for (int i = 0; i < Math.abs(e.getValue()); i++) {
        (e.getValue() > 0 ? missing : unexpected).add(e.getKey());
      }
    }
    if (missing.isEmpty() && unexpected.isEmpty()) {
      return null;
    }
    missing.sort(ReferenceRow.KEY_ORDER);
    unexpected.sort(ReferenceRow.KEY_ORDER);
    StringBuilder s = new StringBuilder();
    s.append(String.format(
        "Output differs from the reference: expected %d rows, got %d; %d expected rows missing, %d unexpected.%n",
        expected.size(), actual.size(), missing.size(), unexpected.size()));
    if (!missing.isEmpty()) {
      ReferenceRow first = missing.get(0);
      s.append("First missing row: ").append(first).append('\n');
      ReferenceRow sameKey = unexpected.stream().filter(r -> r.key().equals(first.key())).findFirst().orElse(null);
      if (sameKey == null) {
        s.append("  no output row has its key\n");
      } else {
        s.append("  output row with its key: ").append(sameKey).append('\n');
        s.append(firstDifference("actions", first.actions(), sameKey.actions()));
        s.append(firstDifference("action_types", first.actionTypes(), sameKey.actionTypes()));
      }
    }
    list(s, "Missing", missing);
    list(s, "Unexpected", unexpected);
    return s.toString();
  }

  /**
   * Null when, for every (as_of_date, ranking_id, customer_id) of exploded rows, {@code actual} lists the
   * impressed elements in the same order as {@code expected}; else a description of the first key that differs.
   */
  public static String positionOrderDiff(List<ReferenceRow> expected, List<ReferenceRow> actual) {
    Map<String, List<String>> want = elementsByImpressionRow(expected);
    Map<String, List<String>> got = elementsByImpressionRow(actual);
    for (Map.Entry<String, List<String>> e : want.entrySet()) {
      if (!e.getValue().equals(got.get(e.getKey()))) {
        return "Exploded rows are not in element position order for " + e.getKey() + ": expected "
            + e.getValue() + ", got " + got.get(e.getKey());
      }
    }
    return null;
  }

  private static Map<String, List<String>> elementsByImpressionRow(List<ReferenceRow> rows) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (ReferenceRow r : rows) {
      String key = "as_of_date=" + r.asOfDate() + ", ranking_id=" + r.rankingId() + ", customer_id=" + r.customerId();
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(r.impressionItemId() + "/" + r.isOrder());
    }
    return out;
  }

  private static boolean checkShape(String[] fieldNames, List<ReferenceRow> expected) {
    List<String> names = Arrays.asList(fieldNames);
    boolean exploded = names.equals(Arrays.asList(Schemas.OUTPUT_EXPLODED.fieldNames()));
    if (!exploded && !names.equals(Arrays.asList(Schemas.OUTPUT_ROWS.fieldNames()))) {
      fail("Output columns " + names + " are neither " + Arrays.asList(Schemas.OUTPUT_ROWS.fieldNames())
          + " nor " + Arrays.asList(Schemas.OUTPUT_EXPLODED.fieldNames()));
    }
    if (!expected.isEmpty() && expected.get(0).isExploded() != exploded) {
      fail("Output is " + (exploded ? "" : "not ") + "exploded but the reference rows are "
          + (exploded ? "not" : "exploded"));
    }
    return exploded;
  }

  private static String firstDifference(String column, List<Integer> want, List<Integer> got) {
    if (Objects.equals(want, got)) {
      return "  " + column + " equal\n";
    }
    if (want == null || got == null) {
      return "  " + column + ": expected " + want + ", got " + got + "\n";
    }
    int i = 0;
    while (i < want.size() && i < got.size() && Objects.equals(want.get(i), got.get(i))) {
      i++;
    }
    return String.format("  %s differ first at index %d: expected %s, got %s (lengths %d and %d)%n",
        column, i, i < want.size() ? want.get(i) : "<end>", i < got.size() ? got.get(i) : "<end>",
        want.size(), got.size());
  }

  private static void list(StringBuilder s, String title, List<ReferenceRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    s.append(title).append(" (").append(Math.min(LISTED, rows.size())).append(" of ").append(rows.size())
        .append("):\n");
    for (ReferenceRow r : rows.subList(0, Math.min(LISTED, rows.size()))) {
      s.append("  ").append(r).append('\n');
    }
  }

  private static LocalDate localDate(Object value) {
    if (value instanceof Date d) {
      return d.toLocalDate();
    }
    return (LocalDate) value;
  }

  private static List<Integer> ints(List<?> values) {
    if (values == null) {
      return null;
    }
    List<Integer> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(v == null ? null : ((Number) v).intValue());
    }
    return out;
  }
}
