package io.traininputs.job.formulations;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.traininputs.job.HistoryPlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.exchange.ReusedExchangeExec;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The shared check of one formulation: run it with the extension's kill switches off (stock Spark) and on, then
 * (1) the answers must be the same rows, (2) the extension's as-of operator must be in the executed (final) plan.
 * The two are separate assertions.
 */
public final class ExtensionAnswerCheck {
  private ExtensionAnswerCheck() {}

  /** How many differing rows a failure message shows on each side. */
  private static final int SHOWN = 8;

  /** Both runs of one formulation: frames (already collected) and their rows. */
  public record Outcome(
      HistoryFormulation formulation, Dataset<Row> off, List<Row> offRows, Dataset<Row> on, List<Row> onRows) {}

  /** Builds and collects the formulation once with both kill switches off, once with both on. */
  public static Outcome run(SparkSession spark, HistoryFormulation f) {
    HistoryPlan.STOCK.select(spark);
    Dataset<Row> off = f.build(spark);
    List<Row> offRows = off.collectAsList();
    HistoryPlan.AS_OF.select(spark);
    Dataset<Row> on = f.build(spark);
    List<Row> onRows = on.collectAsList();
    return new Outcome(f, off, offRows, on, onRows);
  }

  /** Rows as comparable strings (arrays exactly, in their element order), sorted. */
  public static List<String> canonical(List<Row> rows) {
    List<String> lines = new ArrayList<>(rows.size());
    for (Row r : rows) {
      lines.add(r.toString());
    }
    Collections.sort(lines);
    return lines;
  }

  /** Fails unless the extension-on answer is the stock answer (order-insensitive, duplicates counted). */
  public static void assertSameAnswer(Outcome o) {
    String offPlan = finalPlanString(o.off());
    if (hasAsOfOperator(o.off())) {
      fail(o.formulation().name() + ": the stock run (kill switches off) holds an extension operator:\n" + offPlan);
    }
    assertSameLines(o.formulation().name() + ": extension on vs off", canonical(o.offRows()),
        canonical(o.onRows()), "\nplan with the extension on:\n" + finalPlanString(o.on()));
  }

  /** Fails unless the executed plan of the extension-on run holds AsOfContextHistory or AsOfHistory. */
  public static void assertOperatorPresent(Outcome o) {
    assertTrue(hasAsOfOperator(o.on()),
        () -> o.formulation().name() + ": no AsOfContextHistory/AsOfHistory in the executed plan:\n"
            + finalPlanString(o.on()));
  }

  /** Compares two sorted multisets of lines; the message shows the first lines missing on each side. */
  public static void assertSameLines(String what, List<String> expected, List<String> actual, String context) {
    Map<String, Integer> counts = new HashMap<>();
    for (String e : expected) {
      counts.merge(e, 1, Integer::sum);
    }
    for (String a : actual) {
      counts.merge(a, -1, Integer::sum);
    }
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      for (int i = 0; i < Math.abs(e.getValue()); i++) {
        (e.getValue() > 0 ? missing : unexpected).add(e.getKey());
      }
    }
    if (missing.isEmpty() && unexpected.isEmpty()) {
      return;
    }
    Collections.sort(missing);
    Collections.sort(unexpected);
    StringBuilder message = new StringBuilder(what).append(": ").append(expected.size()).append(" expected rows, ")
        .append(actual.size()).append(" actual; ").append(missing.size()).append(" missing, ")
        .append(unexpected.size()).append(" unexpected");
    message.append("\n  first missing (expected, not produced):");
    for (String m : missing.subList(0, Math.min(SHOWN, missing.size()))) {
      message.append("\n    ").append(m);
    }
    message.append("\n  first unexpected (produced, not expected):");
    for (String u : unexpected.subList(0, Math.min(SHOWN, unexpected.size()))) {
      message.append("\n    ").append(u);
    }
    fail(message.append(context == null ? "" : context).toString());
  }

  /** Node names of the executed plan, through adaptive wrappers (final plan), query stages and reused exchanges. */
  public static List<String> nodeNames(Dataset<Row> df) {
    List<String> names = new ArrayList<>();
    collect(df.queryExecution().executedPlan(), names);
    return names;
  }

  private static void collect(SparkPlan plan, List<String> names) {
    names.add(plan.nodeName());
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      collect(adaptive.executedPlan(), names);
      return;
    }
    if (plan instanceof QueryStageExec stage) {
      collect(stage.plan(), names);
      return;
    }
    if (plan instanceof ReusedExchangeExec reused) {
      collect(reused.child(), names);
      return;
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      collect(child, names);
    }
    for (SparkPlan subquery : CollectionConverters.asJava(plan.subqueries())) {
      collect(subquery, names);
    }
  }

  /** Whether the executed plan holds the as-of operators (by node name). */
  public static boolean hasAsOfOperator(Dataset<Row> df) {
    for (String name : nodeNames(df)) {
      if (name.contains("AsOfContextHistory") || name.contains("AsOfHistory")) {
        return true;
      }
    }
    return false;
  }

  /** Whether the executed plan holds TopNHistory (the window-only rewrite; informational, not asserted). */
  public static boolean hasTopNOperator(Dataset<Row> df) {
    for (String name : nodeNames(df)) {
      if (name.contains("TopNHistory")) {
        return true;
      }
    }
    return false;
  }

  /** The executed plan as text; with AQE, the final plan (the frame must have been collected). */
  public static String finalPlanString(Dataset<Row> df) {
    SparkPlan plan = df.queryExecution().executedPlan();
    if (plan instanceof AdaptiveSparkPlanExec adaptive && !adaptive.isFinalPlan()) {
      return "(not final!) " + plan;
    }
    return plan.toString();
  }
}
