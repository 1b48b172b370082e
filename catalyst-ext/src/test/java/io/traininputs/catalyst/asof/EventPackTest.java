package io.traininputs.catalyst.asof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The map-side packing: what goes in comes out, once, in packs no larger than the per-key bound. */
class EventPackTest {
  private static final StructType EVENTS = new StructType()
      .add("key", DataTypes.IntegerType)
      .add("time", DataTypes.TimestampType)
      .add("a", DataTypes.IntegerType)
      .add("b", DataTypes.ShortType);

  @Test
  void encodeThenReadGivesTheRecordsBack() {
    Random r = new Random(3);
    for (boolean withNulls : new boolean[] {false, true}) {
      int n = 1 + r.nextInt(200);
      long[] records = new long[n * 3];
      for (int i = 0; i < n; i++) {
        records[i * 3] = r.nextLong();
        records[i * 3 + 1] = withNulls && r.nextInt(5) == 0 ? KeyedEvents.NULL : r.nextInt();
        records[i * 3 + 2] = Integer.MIN_VALUE + r.nextInt(3);
      }
      byte[] out = new byte[EventPack.size(n, 2, true)];
      int written = EventPack.encode(records, n, 2, out);
      assertEquals(EventPack.size(n, 2, withNulls), written);
      EventPack.Reader reader = new EventPack.Reader();
      assertEquals(n, reader.point(out, org.apache.spark.unsafe.Platform.BYTE_ARRAY_OFFSET, 2));
      for (int i = 0; i < n; i++) {
        assertEquals(records[i * 3], reader.time(i));
        assertEquals(records[i * 3 + 1], reader.value(i, 0));
        assertEquals(records[i * 3 + 2], reader.value(i, 1));
      }
    }
  }

  @Test
  void everyEventComesOutOnceInBoundedPacks() {
    check(true);
    check(false);
  }

  /** @param projected through the projection, or read by input position (plain columns) */
  private static void check(boolean projected) {
    Random r = new Random(5);
    List<InternalRow> rows = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      Integer key = r.nextInt(30) == 0 ? null : (r.nextInt(4) == 0 ? 7 : r.nextInt(40) - 20);
      Long time = r.nextInt(40) == 0 ? null : r.nextLong() >> 8;
      Integer a = r.nextInt(9) == 0 ? null : r.nextInt();
      short b = (short) r.nextInt();
      rows.add(new GenericInternalRow(new Object[] {key, time, a, b}));
      if (key != null && time != null) {
        expected.add(Arrays.toString(new long[] {key, time, a == null ? KeyedEvents.NULL : a, b}));
      }
    }
    AsOfEventPackExec.Metrics metrics = new AsOfEventPackExec.Metrics(
        new SQLMetric("sum", 0L), new SQLMetric("sum", 0L), new SQLMetric("size", 0L));
    Iterator<InternalRow> packs = new EventPackIterator(
        rows.iterator(), UnsafeProjection.create(EVENTS), projected ? null : new int[] {0, 1, 2, 3},
        DataTypes.IntegerType, new DataType[] {DataTypes.IntegerType, DataTypes.ShortType}, metrics, 50, 400);
    List<String> actual = new ArrayList<>();
    EventPack.Reader reader = new EventPack.Reader();
    int packCount = 0;
    while (packs.hasNext()) {
      UnsafeRow row = (UnsafeRow) packs.next();
      long offsetAndSize = row.getLong(1);
      int n = reader.point(row.getBaseObject(), row.getBaseOffset() + (offsetAndSize >>> 32), 2);
      assertTrue(n > 0 && n <= 50, "pack of " + n);
      for (int i = 0; i < n; i++) {
        actual.add(Arrays.toString(new long[] {row.getInt(0), reader.time(i), reader.value(i, 0), reader.value(i, 1)}));
      }
      packCount++;
    }
    expected.sort(null);
    actual.sort(null);
    assertEquals(expected, actual);
    assertEquals(rows.size(), metrics.inputRows.value());
    assertEquals(packCount, metrics.packs.value());
    assertTrue(packCount > 41, "the bounds never split a key: " + packCount + " packs");
  }
}
