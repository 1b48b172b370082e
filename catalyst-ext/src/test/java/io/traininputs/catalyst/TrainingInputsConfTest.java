package io.traininputs.catalyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;
import org.junit.jupiter.api.Test;

/** Every extension conf: its default, its values, and the message for a bad one. */
class TrainingInputsConfTest {
  private static final List<String> FLAGS = List.of(TrainingInputsConf.TOPN_ENABLED, TrainingInputsConf.ASOF_ENABLED,
      TrainingInputsConf.PARQUET_PAGES_ENABLED, TrainingInputsConf.EXPLAIN_DECLINED);

  private static Function<SQLConf, Boolean> reader(String key) {
    return switch (key) {
      case TrainingInputsConf.TOPN_ENABLED -> TrainingInputsConf::topnEnabled;
      case TrainingInputsConf.ASOF_ENABLED -> TrainingInputsConf::asofEnabled;
      case TrainingInputsConf.PARQUET_PAGES_ENABLED -> TrainingInputsConf::parquetPagesEnabled;
      case TrainingInputsConf.EXPLAIN_DECLINED -> TrainingInputsConf::explainDeclined;
      default -> throw new IllegalArgumentException(key);
    };
  }

  @Test
  void everyFlagIsOnByDefaultAndReadsTrueOrFalseInAnyCase() {
    for (String key : FLAGS) {
      SQLConf conf = new SQLConf();
      assertTrue(reader(key).apply(conf), key);
      conf.setConfString(key, " FALSE ");
      assertFalse(reader(key).apply(conf), key);
      conf.setConfString(key, "True");
      assertTrue(reader(key).apply(conf), key);
      for (String other : FLAGS) {
        if (!other.equals(key)) {
          conf.setConfString(key, "false");
          assertTrue(reader(other).apply(conf), other + " does not follow " + key);
        }
      }
    }
  }

  @Test
  void aBadFlagNamesTheConfTheValueAndWhatIsAllowed() {
    for (String key : FLAGS) {
      SQLConf conf = new SQLConf();
      conf.setConfString(key, "yes");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reader(key).apply(conf));
      assertEquals("Invalid value for " + key + ": 'yes' (allowed: true, false)", e.getMessage());
    }
  }

  @Test
  void theLimitDefaultsToExecutorMemoryOverTheRowSizeAndTakesAPositiveInteger() {
    SparkConf spark = new SparkConf(false).set("spark.executor.memory", "2g").set("spark.memory.fraction", "0.5");
    SQLConf conf = new SQLConf();
    assertEquals((2L << 30) / 2 / TrainingInputsConf.ASSUMED_ROW_BYTES, TrainingInputsConf.topnMaxLimit(conf, spark));
    assertEquals((1L << 30) * 6 / 10 / TrainingInputsConf.ASSUMED_ROW_BYTES,
        TrainingInputsConf.topnMaxLimit(conf, null), "1g and 0.6 when there is no SparkConf");
    conf.setConfString(TrainingInputsConf.TOPN_MAX_LIMIT, " 100 ");
    assertEquals(100, TrainingInputsConf.topnMaxLimit(conf, spark));
    conf.setConfString(TrainingInputsConf.TOPN_MAX_LIMIT, String.valueOf(Long.MAX_VALUE));
    assertEquals(Integer.MAX_VALUE / 8, TrainingInputsConf.topnMaxLimit(conf, spark), "capped");
    for (String bad : List.of("0", "-3", "ten", "1.5")) {
      conf.setConfString(TrainingInputsConf.TOPN_MAX_LIMIT, bad);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> TrainingInputsConf.topnMaxLimit(conf, spark));
      assertEquals("Invalid value for " + TrainingInputsConf.TOPN_MAX_LIMIT + ": '" + bad
          + "' (allowed: an integer >= 1)", e.getMessage());
    }
  }

  @Test
  void aBadValueInASessionFailsTheQueryWithTheSameMessage() {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("TrainingInputsConfTest")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.extensions", TrainingInputsExtensions.class.getName()).getOrCreate();
    try {
      String query = "SELECT k, v FROM (SELECT id % 3 AS k, id AS v, row_number() OVER (PARTITION BY id % 3 ORDER BY id"
          + " DESC) AS rn FROM range(0, 30)) WHERE rn <= 2";
      spark.conf().set(TrainingInputsConf.TOPN_ENABLED, "maybe");
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> spark.sql(query).collectAsList());
      assertEquals("Invalid value for " + TrainingInputsConf.TOPN_ENABLED + ": 'maybe' (allowed: true, false)",
          e.getMessage());
      spark.conf().set(TrainingInputsConf.TOPN_ENABLED, "true");
      assertEquals(6, spark.sql(query).collectAsList().size(), "a good value in the same session plans again");
    } finally {
      spark.stop();
    }
  }
}
