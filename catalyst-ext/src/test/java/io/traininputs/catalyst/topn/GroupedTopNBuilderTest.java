package io.traininputs.catalyst.topn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.internal.MemoryBudget;
import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Descending$;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.codegen.LazilyGeneratedOrdering;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/**
 * The accumulator alone: invariants ({@link GroupedTopNBuilder#verifyIntegrity()}) after every mutation, exact
 * memory accounting against the budget, the per-group result against a plain sort, and the refused-memory path.
 */
class GroupedTopNBuilderTest {

  private static final StructType SCHEMA = new StructType()
      .add("g", DataTypes.IntegerType, true)
      .add("o", DataTypes.LongType, true)
      .add("payload", DataTypes.StringType, true);

  private final UnsafeProjection toUnsafe = UnsafeProjection.create(SCHEMA);
  private final UnsafeProjection keyOf = UnsafeProjection.create(
      ScalaInterop.seqOf((Expression) new BoundReference(0, DataTypes.IntegerType, true)));
  private final Comparator<InternalRow> ordering = new LazilyGeneratedOrdering(ScalaInterop.seqOf(
      new SortOrder(new BoundReference(1, DataTypes.LongType, true), Descending$.MODULE$,
          Descending$.MODULE$.defaultNullOrdering(), ScalaInterop.seqOf())));

  /** A budget that counts, so the builder's own report can be checked against it. */
  private static final class CountingBudget implements MemoryBudget {
    private final long limit;
    private long reserved;

    CountingBudget(long limit) {
      this.limit = limit;
    }

    @Override
    public boolean reserve(long bytes) {
      if (reserved + bytes > limit) {
        return false;
      }
      reserved += bytes;
      return true;
    }

    @Override
    public void release(long bytes) {
      reserved -= bytes;
      assertTrue(reserved >= 0, "released more than reserved");
    }
  }

  private UnsafeRow row(Integer group, Long order, String payload) {
    return toUnsafe.apply(new GenericInternalRow(new Object[] {
        group, order, payload == null ? null : UTF8String.fromString(payload)}));
  }

  private static String payload(Random random) {
    return "p".repeat(random.nextInt(40));
  }

  @Test
  void invariantsHoldAfterEveryAddAndResultMatchesPlainSort() {
    for (int limit : new int[] {1, 3, 17}) {
      Random random = new Random(limit);
      CountingBudget budget = new CountingBudget(Long.MAX_VALUE);
      GroupedTopNBuilder builder = new GroupedTopNBuilder(limit, ordering, SCHEMA.size(), budget, 256);
      Map<Integer, List<Long>> expected = new HashMap<>();
      for (int i = 0; i < 1500; i++) {
        Integer group = random.nextInt(25) == 0 ? null : random.nextInt(30);
        Long order = random.nextInt(10) == 0 ? null : (long) random.nextInt(200);
        UnsafeRow row = row(group, order, payload(random));
        assertTrue(builder.add(row, keyOf.apply(row)));
        builder.verifyIntegrity();
        assertEquals(budget.reserved, builder.memoryBytes(), "memory report after add " + i);
        expected.computeIfAbsent(group == null ? Integer.MIN_VALUE : group, g -> new ArrayList<>()).add(order);
      }
      builder.sortGroups();
      builder.verifyIntegrity();
      assertEquals(expected.size(), builder.groupCount());
      UnsafeRow view = new UnsafeRow(SCHEMA.size());
      UnsafeRow key = new UnsafeRow(1);
      for (int g = 0; g < builder.groupCount(); g++) {
        builder.pointToKey(g, key);
        List<Long> orders = expected.get(key.isNullAt(0) ? Integer.MIN_VALUE : key.getInt(0));
        orders.sort(Comparator.nullsLast(Comparator.<Long>reverseOrder()));
        List<Long> actual = new ArrayList<>();
        for (int r = 0; r < builder.groupSize(g); r++) {
          builder.pointToRow(builder.rowIdAt(g, r), view);
          assertEquals(key.isNullAt(0) ? null : key.getInt(0), view.isNullAt(0) ? null : view.getInt(0));
          actual.add(view.isNullAt(1) ? null : view.getLong(1));
        }
        assertEquals(orders.subList(0, Math.min(limit, orders.size())), actual, "group " + g);
      }
      builder.reset();
      builder.verifyIntegrity();
      assertEquals(0, budget.reserved);
      assertEquals(0, builder.memoryBytes());
    }
  }

  @Test
  void ascendingInputReplacesEveryRowAndCompactsOutgrownSlots() {
    CountingBudget budget = new CountingBudget(Long.MAX_VALUE);
    GroupedTopNBuilder builder = new GroupedTopNBuilder(8, ordering, SCHEMA.size(), budget, 512);
    for (int i = 0; i < 3000; i++) {
      // Growing payloads never fit the slot they replace, so the store must reclaim outgrown slots.
      UnsafeRow row = row(i % 3, (long) i, "x".repeat(i / 30));
      assertTrue(builder.add(row, keyOf.apply(row)));
      builder.verifyIntegrity();
      assertEquals(budget.reserved, builder.memoryBytes());
    }
    assertEquals(24, builder.liveRows());
    assertEquals(3000 - 24, builder.droppedRows());
    // Live rows are at most 24 x ~130 bytes; without compaction the store would hold every row ever added.
    assertTrue(builder.memoryBytes() < 64 * 1024, "memory " + builder.memoryBytes());
  }

  @Test
  void refusedMemoryLeavesBuilderConsistentAndWithinBudget() {
    long limitBytes = 16 * 1024;
    CountingBudget budget = new CountingBudget(limitBytes);
    GroupedTopNBuilder builder = new GroupedTopNBuilder(100, ordering, SCHEMA.size(), budget, 1024);
    Random random = new Random(7);
    int accepted = 0;
    boolean refused = false;
    for (int i = 0; i < 5000 && !refused; i++) {
      UnsafeRow row = row(random.nextInt(500), (long) random.nextInt(), payload(random));
      refused = !builder.add(row, keyOf.apply(row));
      builder.verifyIntegrity();
      assertTrue(budget.reserved <= limitBytes);
      assertEquals(budget.reserved, builder.memoryBytes());
      if (!refused) {
        accepted++;
      }
    }
    assertTrue(refused, "a 16 KiB budget must refuse 5000 rows");
    assertEquals(accepted, builder.liveRows());
    builder.reset();
    assertEquals(0, budget.reserved);
    assertFalse(builder.memoryBytes() != 0);
  }

  @Test
  void clearKeepsMemoryForReuseAndForgetsEveryGroup() {
    CountingBudget budget = new CountingBudget(Long.MAX_VALUE);
    GroupedTopNBuilder builder = new GroupedTopNBuilder(4, ordering, SCHEMA.size(), budget, 256);
    Random random = new Random(3);
    for (int segment = 0; segment < 20; segment++) {
      int groups = 1 + random.nextInt(12);
      for (int i = 0; i < 60; i++) {
        UnsafeRow row = row(segment * 100 + random.nextInt(groups), (long) random.nextInt(1000), payload(random));
        assertTrue(builder.add(row, keyOf.apply(row)));
        builder.verifyIntegrity();
      }
      builder.sortGroups();
      builder.verifyIntegrity();
      UnsafeRow key = new UnsafeRow(1);
      for (int g = 0; g < builder.groupCount(); g++) {
        builder.pointToKey(g, key);
        assertEquals(segment, key.getInt(0) / 100, "a group of an earlier segment survived clear()");
      }
      long before = builder.memoryBytes();
      builder.clear();
      builder.verifyIntegrity();
      assertEquals(0, builder.groupCount());
      assertEquals(0, builder.liveRows());
      assertEquals(before, builder.memoryBytes(), "clear() keeps the memory for reuse");
      assertEquals(budget.reserved, builder.memoryBytes());
    }
  }
}
