import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Used by .ci/cluster-test.sh (run with Java's source launcher on Spark's jars: no build): exits 0 when two outputs of
 * the training-inputs job hold the same rows, the same number of times each, with the same schema, whatever their
 * files and row order; else prints what differs (a few of the rows whose counts differ) and exits 1.
 *
 * <p>Usage: {@code java -cp "$SPARK_HOME/jars/*" ClusterOutputDiff.java REFERENCE_DIR OTHER_DIR}
 */
public final class ClusterOutputDiff {
  private static final String SIDE = "_side";
  private static final String IN_REFERENCE = "_in_reference";
  private static final String IN_OTHER = "_in_other";

  private ClusterOutputDiff() {
  }

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: ClusterOutputDiff REFERENCE_DIR OTHER_DIR");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("cluster-test-diff")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate();
    int rc;
    try {
      rc = diff(spark.read().parquet(args[0]), spark.read().parquet(args[1]));
    } finally {
      spark.stop();
    }
    System.exit(rc);
  }

  private static int diff(Dataset<Row> reference, Dataset<Row> other) {
    if (!reference.schema().equals(other.schema())) {
      System.out.println("schemas differ:\n  reference " + reference.schema().simpleString()
          + "\n  other     " + other.schema().simpleString());
      return 1;
    }
    // One aggregation over both outputs: for each distinct row (arrays compared element by element), how many times
    // each side holds it. Equal outputs have the same count on both sides for every row, whatever files and order.
    Column[] row = Arrays.stream(reference.columns()).map(functions::col).toArray(Column[]::new);
    Dataset<Row> counts = reference.withColumn(SIDE, lit(1)).unionByName(other.withColumn(SIDE, lit(2)))
        .groupBy(row)
        .agg(sum(when(col(SIDE).equalTo(1), 1L).otherwise(0L)).as(IN_REFERENCE),
            sum(when(col(SIDE).equalTo(2), 1L).otherwise(0L)).as(IN_OTHER))
        .cache();
    Row totals = counts.agg(sum(IN_REFERENCE), sum(IN_OTHER)).first();
    Dataset<Row> differing = counts.filter(col(IN_REFERENCE).notEqual(col(IN_OTHER)));
    long referenceRows = totals.isNullAt(0) ? 0 : totals.getLong(0);
    long otherRows = totals.isNullAt(1) ? 0 : totals.getLong(1);
    long distinctDiffering = differing.count();
    System.out.printf("rows: reference %,d, other %,d; distinct rows whose counts differ %,d%n", referenceRows,
        otherRows, distinctDiffering);
    if (referenceRows == 0) {
      System.out.println("the reference output is empty");
      return 1;
    }
    if (distinctDiffering == 0) {
      return 0;
    }
    System.out.println("rows whose counts differ (up to 3; " + IN_REFERENCE + " and " + IN_OTHER + " at the end):");
    differing.show(3, 200, true);
    return 1;
  }
}
