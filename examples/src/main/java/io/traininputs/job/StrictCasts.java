package io.traininputs.job;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The value of a raw column in a canonical type, or null when it is not exactly representable there (the rules of
 * docs/semantics.md, "Exact values"). The rules look at what a value is, not at where it came from: JSON is read with
 * every leaf as text (Spark's JSON reader gives a number with a fraction or an exponent as the text of a double), and
 * a Parquet string column goes through the same text rules, so a value means the same in both formats.
 */
final class StrictCasts {
  /** The earliest day a time may fall on. */
  static final LocalDate FIRST_DAY = LocalDate.of(1900, 1, 1);
  /** The latest day a time may fall on. */
  static final LocalDate LAST_DAY = LocalDate.of(2200, 12, 31);
  static final Instant FIRST_INSTANT = FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
  /** Exclusive: the first instant after {@link #LAST_DAY}. */
  static final Instant END_INSTANT = LAST_DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();

  private static final String INTEGER_TEXT = "^[+-]?[0-9]+$";
  private static final String DECIMAL_TEXT = "^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$";
  private static final String DATE_TEXT = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
  /** Hours and minutes at least; digits past microseconds only when they are zeros; a UTC offset or none. */
  private static final String TIMESTAMP_TEXT = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}"
      + "(:[0-9]{2}(\\.[0-9]{1,6}0{0,3})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$";
  /** Below these magnitudes every integer is exactly a float / a double, so an integral value was not rounded. */
  private static final double FLOAT_EXACT = 1 << 24;
  private static final double DOUBLE_EXACT = 9_007_199_254_740_992.0;

  private StrictCasts() {}

  /** {@code source}, of type {@code from}, as {@code to} (a canonical leaf type), or null. */
  static Column of(Column source, DataType from, DataType to) {
    if (from instanceof StructType || from instanceof ArrayType || from instanceof MapType) {
      // Analysis fails for a struct, array or map: an error naming the input, not a quarantine.
      return source.try_cast(to);
    }
    if (to instanceof IntegerType || to instanceof LongType) {
      return integer(source, from, to);
    }
    if (to instanceof BooleanType) {
      return bool(source, from);
    }
    if (to instanceof TimestampType) {
      return timestamp(source, from);
    }
    if (to instanceof DateType) {
      return date(source, from);
    }
    return source.try_cast(to);
  }

  /** A day as {@code yyyy-MM-dd} text (the canonical form of the impressions' {@code dt}), or null. */
  static Column dayText(Column source, DataType from) {
    // A date cast to text is yyyy-MM-dd (4-digit years here), without date_format's timestamp formatter.
    return date(source, from).cast(DataTypes.StringType);
  }

  /**
   * An integer of {@code to}'s range: integer columns and integer text as they are; float, double and text with a
   * fraction or an exponent when integral and below 2^24 (float) or 2^53 (double, text) in magnitude; decimals when
   * integral. Booleans, times and anything else are not integers.
   */
  static Column integer(Column source, DataType from, DataType to) {
    if (from instanceof ByteType || from instanceof ShortType || from instanceof IntegerType
        || from instanceof LongType) {
      return source.try_cast(to);
    }
    if (from instanceof DecimalType) {
      return when(source.equalTo(floor(source)), source.try_cast(to));
    }
    if (from instanceof FloatType) {
      return integral(source.cast(DataTypes.DoubleType), FLOAT_EXACT, to);
    }
    if (from instanceof DoubleType) {
      return integral(source, DOUBLE_EXACT, to);
    }
    if (from instanceof StringType) {
      return when(source.rlike(INTEGER_TEXT), source.try_cast(to))
          .when(source.rlike(DECIMAL_TEXT), integral(source.try_cast(DataTypes.DoubleType), DOUBLE_EXACT, to));
    }
    return nothing(to);
  }

  /** A boolean column, or the text {@code true} / {@code false}; nothing else (no 0/1, no "yes"). */
  static Column bool(Column source, DataType from) {
    if (from instanceof BooleanType) {
      return source;
    }
    if (from instanceof StringType) {
      return when(source.equalTo("true"), true).when(source.equalTo("false"), false);
    }
    return nothing(DataTypes.BooleanType);
  }

  /**
   * A timestamp column (one without a time zone is UTC), or ISO-8601 text with at least hours and minutes, in
   * {@link #FIRST_DAY} .. {@link #LAST_DAY}. Numbers (epoch seconds, milliseconds: the unit is not in the data) and
   * dates are not timestamps.
   */
  static Column timestamp(Column source, DataType from) {
    Column ts;
    if (from instanceof TimestampType) {
      ts = source;
    } else if (from instanceof TimestampNTZType) {
      ts = source.try_cast(DataTypes.TimestampType);
    } else if (from instanceof StringType) {
      ts = when(source.rlike(TIMESTAMP_TEXT), source.try_cast(DataTypes.TimestampType));
    } else {
      return nothing(DataTypes.TimestampType);
    }
    return when(ts.geq(lit(FIRST_INSTANT)).and(ts.lt(lit(END_INSTANT))), ts);
  }

  /** A date column, or {@code yyyy-MM-dd} text naming a real day, in {@link #FIRST_DAY} .. {@link #LAST_DAY}. */
  static Column date(Column source, DataType from) {
    Column day;
    if (from instanceof DateType) {
      day = source;
    } else if (from instanceof StringType) {
      day = when(source.rlike(DATE_TEXT), source.try_cast(DataTypes.DateType));
    } else {
      return nothing(DataTypes.DateType);
    }
    return when(day.geq(lit(FIRST_DAY)).and(day.leq(lit(LAST_DAY))), day);
  }

  private static Column integral(Column dbl, double exactBelow, DataType to) {
    return when(abs(dbl).lt(exactBelow).and(dbl.equalTo(floor(dbl))), dbl.try_cast(to));
  }

  private static Column nothing(DataType to) {
    return lit(null).cast(to);
  }
}
