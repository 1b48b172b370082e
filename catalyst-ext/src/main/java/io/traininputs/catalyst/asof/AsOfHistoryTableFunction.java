package io.traininputs.catalyst.asof;

import static org.apache.spark.sql.functions.col;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.StringType;
import scala.Tuple3;
import scala.collection.immutable.Seq;

/**
 * The SQL face of {@link AsOfHistory#latest}, a table function the extension registers:
 *
 * <pre>
 * SELECT * FROM as_of_history('contexts_view', 'events_view', 'customer_id', 'as_of_date', 'occurred_at',
 *                             'action_type DESC, item_id DESC', 1000, 365)
 * </pre>
 *
 * Arguments, all constants: the contexts table or view, the events table or view, the key column (in both), the
 * as-of column (contexts), the time column (events), the tie-breaks ({@code column ASC|DESC [NULLS FIRST|LAST]},
 * comma-separated, or '' for none), N, and the lookback in days (NULL for none).
 */
final class AsOfHistoryTableFunction {
  static final String NAME = "as_of_history";
  private static final String USAGE =
      NAME + "(contexts, events, key, as_of, time, tie_breaks, n, lookback_days)";
  private static final Pattern TIE_BREAK =
      Pattern.compile("(?i)^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(ASC|DESC)?\\s*(NULLS\\s+(FIRST|LAST))?\\s*$");

  private AsOfHistoryTableFunction() {}

  static void install(SparkSessionExtensions extensions) {
    ExpressionInfo info = new ExpressionInfo(
        AsOfHistoryTableFunction.class.getName(), null, NAME,
        "_FUNC_(contexts, events, key, as_of, time, tie_breaks, n, lookback_days) - for every context row, the latest"
            + " n events of its key with as_of - lookback_days <= time < as_of, one row each with its rank rn",
        "", "", "", "table_funcs", "", "", "built-in");
    scala.Function1<Seq<Expression>, LogicalPlan> builder = AsOfHistoryTableFunction::build;
    extensions.injectTableFunction(new Tuple3<>(FunctionIdentifier.apply(NAME), info, builder));
  }

  static LogicalPlan build(Seq<Expression> arguments) {
    List<Expression> args = ScalaInterop.toJava(arguments);
    if (args.size() != 8) {
      throw new IllegalArgumentException(
          String.format("%s takes 8 arguments, got %d: %s", NAME, args.size(), USAGE));
    }
    String contexts = string(args, 0, "contexts");
    String events = string(args, 1, "events");
    String key = string(args, 2, "key");
    String asOf = string(args, 3, "as_of");
    String time = string(args, 4, "time");
    List<Column> tieBreaks = tieBreaks(string(args, 5, "tie_breaks"));
    Integer n = integer(args, 6, "n");
    if (n == null) {
      throw new IllegalArgumentException(NAME + ": n must be a positive integer, got NULL");
    }
    Integer lookbackDays = integer(args, 7, "lookback_days");
    if (lookbackDays != null && lookbackDays < 0) {
      throw new IllegalArgumentException(
          NAME + ": lookback_days must be NULL or at least 0, got " + lookbackDays);
    }
    SparkSession spark = SparkSession.active();
    return AsOfHistory.latest(
            spark.table(contexts), spark.table(events), key, asOf, time, tieBreaks, n,
            lookbackDays == null ? null : Duration.ofDays(lookbackDays))
        .queryExecution().logical();
  }

  private static String string(List<Expression> args, int i, String name) {
    Expression e = args.get(i);
    if (!e.foldable() || !(e.dataType() instanceof StringType) || e.eval(null) == null) {
      throw new IllegalArgumentException(
          String.format("%s: argument %d (%s) must be a string constant, got %s; usage: %s", NAME, i + 1, name,
              e.sql(), USAGE));
    }
    return e.eval(null).toString();
  }

  private static Integer integer(List<Expression> args, int i, String name) {
    Expression e = args.get(i);
    if (!e.foldable() || !(e.dataType() instanceof IntegerType || e.dataType().typeName().equals("void"))) {
      throw new IllegalArgumentException(
          String.format("%s: argument %d (%s) must be an integer constant, got %s; usage: %s", NAME, i + 1, name,
              e.sql(), USAGE));
    }
    Object value = e.eval(null);
    return value == null ? null : (Integer) value;
  }

  /** {@code a DESC, b ASC NULLS LAST} as sort columns; '' is none. */
  static List<Column> tieBreaks(String spec) {
    List<Column> out = new ArrayList<>();
    if (spec.isBlank()) {
      return out;
    }
    for (String part : spec.split(",")) {
      Matcher m = TIE_BREAK.matcher(part);
      if (!m.matches()) {
        throw new IllegalArgumentException(String.format(
            "%s: tie-break '%s' is not 'column [ASC|DESC] [NULLS FIRST|LAST]' (in '%s')", NAME, part.trim(), spec));
      }
      boolean descending = m.group(2) != null && m.group(2).toUpperCase(Locale.ROOT).equals("DESC");
      String nulls = m.group(4) == null ? null : m.group(4).toUpperCase(Locale.ROOT);
      Column c = col(m.group(1));
      if (descending) {
        out.add("FIRST".equals(nulls) ? c.desc_nulls_first() : c.desc_nulls_last());
      } else {
        out.add("LAST".equals(nulls) ? c.asc_nulls_last() : c.asc_nulls_first());
      }
    }
    return out;
  }
}
