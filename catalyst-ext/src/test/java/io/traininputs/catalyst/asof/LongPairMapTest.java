package io.traininputs.catalyst.asof;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LongPairMap} against a HashMap, through many resizes, with colliding and extreme values. */
class LongPairMapTest {
  @Test
  void ordinalsAreDenseInInsertionOrderAndSurviveGrowth() {
    long[] extremes = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
    Random r = new Random(7);
    LongPairMap map = new LongPairMap(1);
    Map<List<Long>, Integer> expected = new HashMap<>();
    for (int i = 0; i < 50_000; i++) {
      long first = r.nextInt(4) == 0 ? extremes[r.nextInt(extremes.length)] : r.nextInt(300);
      long second = r.nextInt(4) == 0 ? extremes[r.nextInt(extremes.length)] : r.nextInt(300) * 86_400L;
      Integer known = expected.putIfAbsent(List.of(first, second), expected.size());
      int ordinal = map.getOrAdd(first, second);
      assertEquals(known == null ? expected.size() - 1 : known, ordinal, first + "," + second);
      assertEquals(expected.size(), map.size());
    }
    for (Map.Entry<List<Long>, Integer> e : expected.entrySet()) {
      assertEquals(e.getValue(), map.get(e.getKey().get(0), e.getKey().get(1)));
    }
    assertEquals(-1, map.get(301, 5));
    assertEquals(-1, map.get(Long.MIN_VALUE, 2));
  }
}
