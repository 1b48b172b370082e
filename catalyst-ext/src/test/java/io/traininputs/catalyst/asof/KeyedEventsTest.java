package io.traininputs.catalyst.asof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyedEvents} against a brute-force history per context, with its invariants checked after every event:
 * ties broken by two columns in random directions and null orderings (nulls included), boundary times, keys with
 * many more events than their contexts need (compaction), and time spans too wide for the packed sort.
 */
class KeyedEventsTest {
  private static final long DAY = 86_400_000_000L;

  @Test
  void windowsEqualBruteForceWithCompactionAndTies() {
    for (long seed = 1; seed <= 6; seed++) {
      check(seed, seed % 3 == 0 ? 1L << 40 : DAY);
    }
  }

  @Test
  void timeSpansTooWideForThePackedSortFallBackToTheComparisonSort() {
    check(7, Long.MAX_VALUE / 64);
  }

  private static void check(long seed, long unit) {
    Random r = new Random(seed);
    int limit = 1 + r.nextInt(4);
    int lookback = 2 + r.nextInt(6);
    boolean[] ascending = {r.nextBoolean(), r.nextBoolean()};
    boolean[] nullsSmallest = {r.nextBoolean(), r.nextBoolean()};
    ContextHistorySpec spec = spec(ascending, nullsSmallest, limit);

    long[] keys = {Long.MIN_VALUE, -1, 0, 5, Long.MAX_VALUE};
    LongSlotMap slots = new LongSlotMap(4);
    int contexts = 12;
    long[] contextKey = new long[contexts];
    int[] contextSlot = new int[contexts];
    long[] upper = new long[contexts];
    long[] lower = new long[contexts];
    for (int c = 0; c < contexts; c++) {
      contextKey[c] = keys[r.nextInt(keys.length - 1)];
      contextSlot[c] = slots.getOrAdd(contextKey[c]);
      upper[c] = (10 + r.nextInt(10)) * unit;
      lower[c] = upper[c] - lookback * unit;
    }
    KeyedEvents events = new KeyedEvents(spec, slots, contextSlot, upper, lower);
    List<long[]> all = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      long key = keys[r.nextInt(keys.length)];
      long time = r.nextInt(4) == 0 ? (r.nextInt(25)) * unit : r.nextInt(25) * unit + r.nextInt(3) - 1;
      long[] columns = {value(r), value(r)};
      events.add(key, time, columns);
      all.add(new long[] {key, time, columns[0], columns[1]});
      events.verifyIntegrity();
    }
    Comparator<long[]> order = historyOrder(ascending, nullsSmallest);
    boolean compacted = false;
    for (int c = 0; c < contexts; c++) {
      List<long[]> expected = new ArrayList<>();
      for (long[] e : all) {
        if (e[0] == contextKey[c] && e[1] < upper[c] && e[1] >= lower[c]) {
          expected.add(e);
        }
      }
      expected.sort(order);
      expected = expected.subList(0, Math.min(limit, expected.size()));
      int start = events.windowStart(c, contextSlot[c]);
      int length = start < 0 ? 0 : events.windowLength(c, contextSlot[c], start);
      List<String> actual = new ArrayList<>();
      for (int i = 0; i < length; i++) {
        actual.add(Arrays.toString(new long[] {
          contextKey[c], events.time(contextSlot[c], start + i), events.value(contextSlot[c], start + i, 0),
          events.value(contextSlot[c], start + i, 1)
        }));
      }
      List<String> wanted = new ArrayList<>();
      for (long[] e : expected) {
        wanted.add(Arrays.toString(e));
      }
      assertEquals(wanted, actual, "seed " + seed + ", context " + c);
      events.verifyIntegrity();
      compacted |= events.compactions() > 0;
    }
    assertTrue(compacted, "seed " + seed + " never compacted");
  }

  private static long value(Random r) {
    return r.nextInt(10) == 0 ? KeyedEvents.NULL : r.nextInt(4) - 2 + (r.nextInt(20) == 0 ? Integer.MIN_VALUE : 0);
  }

  private static Comparator<long[]> historyOrder(boolean[] ascending, boolean[] nullsSmallest) {
    Comparator<long[]> order = Comparator.comparingLong((long[] e) -> e[1]).reversed();
    for (int t = 0; t < 2; t++) {
      int column = 2 + t;
      boolean small = nullsSmallest[t];
      Comparator<long[]> tie = Comparator.comparingLong(
          e -> e[column] == KeyedEvents.NULL ? (small ? Long.MIN_VALUE : Long.MAX_VALUE) : e[column]);
      order = order.thenComparing(ascending[t] ? tie : tie.reversed());
    }
    return order;
  }

  private static ContextHistorySpec spec(boolean[] ascending, boolean[] nullsSmallest, int limit) {
    List<Expression> fields = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      fields.add(Literal.create(0L, org.apache.spark.sql.types.DataTypes.LongType));
    }
    return new ContextHistorySpec(
        ScalaInterop.toSeq(List.of()), ScalaInterop.toSeq(List.of()), ScalaInterop.toSeq(List.of()),
        ScalaInterop.toSeq(List.of()), ScalaInterop.toSeq(List.of()), ScalaInterop.toSeq(List.of()),
        ScalaInterop.toSeq(fields), 2, ascending, nullsSmallest, new int[0],
        new int[0], new int[0], new int[0], ScalaInterop.toSeq(List.of()), false, true, true, limit,
        ScalaInterop.toSeq(List.of()), false, false);
  }
}
