package io.traininputs.connector;

import java.time.LocalDate;
import java.util.Arrays;

import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.IsNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;

/** Evaluates filters on {@code as_of_date} against a shard's date: false means the shard cannot match. */
final class DatePruning {
  private DatePruning() {
  }

  static boolean onDateOnly(Filter f) {
    return f.references().length > 0
        && Arrays.stream(f.references()).allMatch(Columns.AS_OF_DATE::equals);
  }

  static boolean mayMatch(Filter[] filters, int day) {
    for (Filter f : filters) {
      if (Boolean.FALSE.equals(eval(f, day))) {
        return false;
      }
    }
    return true;
  }

  /** TRUE, FALSE, or null when unknown. */
  private static Boolean eval(Filter f, int day) {
    if (f instanceof EqualTo e) {
      return compare(e.value(), day, c -> c == 0);
    } else if (f instanceof EqualNullSafe e) {
      return compare(e.value(), day, c -> c == 0);
    } else if (f instanceof GreaterThan g) {
      return compare(g.value(), day, c -> c > 0);
    } else if (f instanceof GreaterThanOrEqual g) {
      return compare(g.value(), day, c -> c >= 0);
    } else if (f instanceof LessThan l) {
      return compare(l.value(), day, c -> c < 0);
    } else if (f instanceof LessThanOrEqual l) {
      return compare(l.value(), day, c -> c <= 0);
    } else if (f instanceof In in) {
      boolean unknown = false;
      for (Object v : in.values()) {
        Boolean b = compare(v, day, c -> c == 0);
        if (Boolean.TRUE.equals(b)) {
          return true;
        }
        unknown |= b == null;
      }
      return unknown ? null : false;
    } else if (f instanceof IsNull) {
      return false;
    } else if (f instanceof IsNotNull) {
      return true;
    } else if (f instanceof And a) {
      Boolean l = eval(a.left(), day);
      Boolean r = eval(a.right(), day);
      if (Boolean.FALSE.equals(l) || Boolean.FALSE.equals(r)) {
        return false;
      }
      return l != null && r != null ? Boolean.TRUE : null;
    } else if (f instanceof Or o) {
      Boolean l = eval(o.left(), day);
      Boolean r = eval(o.right(), day);
      if (Boolean.TRUE.equals(l) || Boolean.TRUE.equals(r)) {
        return true;
      }
      return l != null && r != null ? Boolean.FALSE : null;
    } else if (f instanceof Not n) {
      Boolean c = eval(n.child(), day);
      return c == null ? null : !c;
    }
    return null;
  }

  private static Boolean compare(Object value, int day, java.util.function.IntPredicate test) {
    Long v = epochDay(value);
    return v == null ? null : test.test(Long.compare(day, v));
  }

  private static Long epochDay(Object value) {
    if (value instanceof LocalDate d) {
      return d.toEpochDay();
    } else if (value instanceof java.sql.Date d) {
      return d.toLocalDate().toEpochDay();
    } else if (value instanceof String s) {
      try {
        return LocalDate.parse(s).toEpochDay();
      } catch (RuntimeException e) {
        return null;
      }
    }
    return null;
  }
}
