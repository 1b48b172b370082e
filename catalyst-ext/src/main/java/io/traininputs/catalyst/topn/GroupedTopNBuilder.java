package io.traininputs.catalyst.topn;

import io.traininputs.catalyst.internal.MemoryBudget;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;

/**
 * The first {@code limit} rows of each group in rank order, kept as one bounded heap per group in flat arrays: a
 * hash table of group ids over the group keys, per group a heap segment of row ids in one shared int array (the
 * root is the worst row kept, so a new row replaces it or is dropped after one comparison), rows copied into a
 * {@link RowStore}. Every allocation is reserved in a {@link MemoryBudget}; {@link #add} returns false when a
 * reservation is refused. {@link #memoryBytes()} is exact after each call; tests call {@link #verifyIntegrity()}.
 * Public for the JMH benchmarks; not thread-safe.
 */
public final class GroupedTopNBuilder {

  private static final int MIN_HEAP_CAPACITY = 4;
  private static final int INITIAL_GROUPS = 16;

  private final int limit;
  private final Comparator<InternalRow> ordering;
  private final MemoryBudget budget;
  private final RowStore rows;
  private final RowStore keys;
  private final UnsafeRow left;
  private final UnsafeRow right;

  private int groupCount;
  private int[] groupKey = new int[0];
  private int[] groupHash = new int[0];
  private int[] heapOffset = new int[0];
  private int[] heapSize = new int[0];
  private int[] heapCapacity = new int[0];
  private int[] heapSlots = new int[0];
  private int heapSlotsUsed;
  /** Open addressing, linear probing: group id + 1, 0 when empty. */
  private int[] buckets = new int[0];
  private long arrayBytes;
  private long droppedRows;
  private boolean sorted;

  GroupedTopNBuilder(int limit, Comparator<InternalRow> ordering, int numFields, MemoryBudget budget, int pageSize) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    this.limit = limit;
    this.ordering = ordering;
    this.budget = budget;
    this.rows = new RowStore(budget, pageSize);
    this.keys = new RowStore(budget, pageSize);
    this.left = new UnsafeRow(numFields);
    this.right = new UnsafeRow(numFields);
  }

  /** A builder without a memory bound (benchmarks, tests); rows are copied into pages of 1 MiB. */
  public static GroupedTopNBuilder unbounded(int limit, Comparator<InternalRow> ordering, int numFields) {
    return new GroupedTopNBuilder(limit, ordering, numFields, MemoryBudget.unlimited(), RowStore.DEFAULT_PAGE_SIZE);
  }

  /**
   * Offers {@code row} (of group {@code key}) to its group's heap. Returns false, keeping the row out, when memory is
   * refused; the builder stays consistent (a new group may remain, empty).
   */
  public boolean add(UnsafeRow row, UnsafeRow key) {
    if (sorted) {
      throw new IllegalStateException("add after sortGroups()");
    }
    int hash = key.hashCode();
    int group = findGroup(key, hash);
    if (group < 0) {
      group = createGroup(key, hash);
      if (group < 0) {
        return false;
      }
    }
    return addToGroup(group, row);
  }

  private boolean addToGroup(int group, UnsafeRow row) {
    int size = heapSize[group];
    if (size < limit) {
      if (size == heapCapacity[group] && !growHeap(group)) {
        return false;
      }
      if (!rows.ensureAppend(row.getSizeInBytes())) {
        return false;
      }
      int offset = heapOffset[group];
      heapSlots[offset + size] = rows.append(row);
      heapSize[group] = size + 1;
      siftUp(offset, size);
      return true;
    }
    int offset = heapOffset[group];
    int worst = heapSlots[offset];
    rows.pointTo(worst, left);
    if (ordering.compare(row, left) >= 0) {
      droppedRows++;
      return true;
    }
    if (rows.fitsInPlace(worst, row)) {
      rows.overwrite(worst, row);
    } else {
      if (!rows.ensureAppend(row.getSizeInBytes())) {
        return false;
      }
      rows.free(worst);
      heapSlots[offset] = rows.append(row);
    }
    droppedRows++;
    siftDown(offset, 0, size);
    return true;
  }

  private int findGroup(UnsafeRow key, int hash) {
    if (buckets.length == 0) {
      return -1;
    }
    int mask = buckets.length - 1;
    int bucket = hash & mask;
    while (true) {
      int entry = buckets[bucket];
      if (entry == 0) {
        return -1;
      }
      int group = entry - 1;
      if (groupHash[group] == hash && keys.bytesEqual(groupKey[group], key)) {
        return group;
      }
      bucket = (bucket + 1) & mask;
    }
  }

  private int createGroup(UnsafeRow key, int hash) {
    if (groupCount == groupKey.length && !growGroups()) {
      return -1;
    }
    if ((groupCount + 1) * 2L > buckets.length && !growBuckets()) {
      return -1;
    }
    if (!keys.ensureAppend(key.getSizeInBytes())) {
      return -1;
    }
    int group = groupCount++;
    groupKey[group] = keys.append(key);
    groupHash[group] = hash;
    heapOffset[group] = 0;
    heapSize[group] = 0;
    heapCapacity[group] = 0;
    insertBucket(group);
    return group;
  }

  private void insertBucket(int group) {
    int mask = buckets.length - 1;
    int bucket = groupHash[group] & mask;
    while (buckets[bucket] != 0) {
      bucket = (bucket + 1) & mask;
    }
    buckets[bucket] = group + 1;
  }

  private boolean growGroups() {
    int newLength = Math.max(INITIAL_GROUPS, groupKey.length * 2);
    if (!reserveArrays((newLength - groupKey.length) * 5L * Integer.BYTES)) {
      return false;
    }
    groupKey = Arrays.copyOf(groupKey, newLength);
    groupHash = Arrays.copyOf(groupHash, newLength);
    heapOffset = Arrays.copyOf(heapOffset, newLength);
    heapSize = Arrays.copyOf(heapSize, newLength);
    heapCapacity = Arrays.copyOf(heapCapacity, newLength);
    return true;
  }

  private boolean growBuckets() {
    int newLength = Math.max(INITIAL_GROUPS * 2, buckets.length * 2);
    if (!reserveArrays((long) newLength * Integer.BYTES)) {
      return false;
    }
    releaseArrays((long) buckets.length * Integer.BYTES);
    buckets = new int[newLength];
    for (int group = 0; group < groupCount; group++) {
      insertBucket(group);
    }
    return true;
  }

  /** Moves the group's heap to a new segment of twice the capacity (at most limit) at the end of heapSlots. */
  private boolean growHeap(int group) {
    int capacity = heapCapacity[group];
    int newCapacity = (int) Math.min(limit, Math.max(MIN_HEAP_CAPACITY, capacity * 2L));
    long needed = (long) heapSlotsUsed + newCapacity;
    if (needed > heapSlots.length) {
      long newLength = Math.max(needed, Math.min(Integer.MAX_VALUE - 16, heapSlots.length * 2L));
      if (newLength > Integer.MAX_VALUE - 16) {
        return false;
      }
      if (!reserveArrays((newLength - heapSlots.length) * Integer.BYTES)) {
        return false;
      }
      heapSlots = Arrays.copyOf(heapSlots, (int) newLength);
    }
    System.arraycopy(heapSlots, heapOffset[group], heapSlots, heapSlotsUsed, heapSize[group]);
    heapOffset[group] = heapSlotsUsed;
    heapCapacity[group] = newCapacity;
    heapSlotsUsed += newCapacity;
    return true;
  }

  private boolean reserveArrays(long bytes) {
    if (!budget.reserve(bytes)) {
      return false;
    }
    arrayBytes += bytes;
    return true;
  }

  private void releaseArrays(long bytes) {
    budget.release(bytes);
    arrayBytes -= bytes;
  }

  private int compareIds(int a, int b) {
    rows.pointTo(a, left);
    rows.pointTo(b, right);
    return ordering.compare(left, right);
  }

  private void siftUp(int offset, int index) {
    int i = index;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (compareIds(heapSlots[offset + i], heapSlots[offset + parent]) <= 0) {
        return;
      }
      swap(offset + i, offset + parent);
      i = parent;
    }
  }

  private void siftDown(int offset, int index, int size) {
    int i = index;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        return;
      }
      if (child + 1 < size && compareIds(heapSlots[offset + child + 1], heapSlots[offset + child]) > 0) {
        child++;
      }
      if (compareIds(heapSlots[offset + child], heapSlots[offset + i]) <= 0) {
        return;
      }
      swap(offset + i, offset + child);
      i = child;
    }
  }

  private void swap(int a, int b) {
    int tmp = heapSlots[a];
    heapSlots[a] = heapSlots[b];
    heapSlots[b] = tmp;
  }

  /** Sorts every heap into rank order (heap sort in place); afterwards rows are read with {@link #rowIdAt}. */
  public void sortGroups() {
    if (sorted) {
      return;
    }
    for (int group = 0; group < groupCount; group++) {
      int offset = heapOffset[group];
      for (int end = heapSize[group] - 1; end > 0; end--) {
        swap(offset, offset + end);
        siftDown(offset, 0, end);
      }
    }
    sorted = true;
  }

  public int groupCount() {
    return groupCount;
  }

  public int groupSize(int group) {
    return heapSize[group];
  }

  /** The row id of the {@code rank}-th (0-based) row of the group; in rank order after {@link #sortGroups()}. */
  public int rowIdAt(int group, int rank) {
    return heapSlots[heapOffset[group] + rank];
  }

  public void pointToRow(int rowId, UnsafeRow target) {
    rows.pointTo(rowId, target);
  }

  void pointToKey(int group, UnsafeRow target) {
    keys.pointTo(groupKey[group], target);
  }

  public int liveRows() {
    return rows.liveRows();
  }

  public long droppedRows() {
    return droppedRows;
  }

  public long memoryBytes() {
    return arrayBytes + rows.memoryBytes() + keys.memoryBytes();
  }

  boolean isEmpty() {
    return groupCount == 0;
  }

  /** Drops every group but keeps the allocated arrays and pages (and their reservation) for the next groups. */
  public void clear() {
    rows.truncate();
    keys.truncate();
    groupCount = 0;
    heapSlotsUsed = 0;
    Arrays.fill(buckets, 0);
    sorted = false;
  }

  /** Drops every group and returns all memory to the budget; the builder can be used again. */
  public void reset() {
    rows.clear();
    keys.clear();
    releaseArrays(arrayBytes);
    groupCount = 0;
    groupKey = new int[0];
    groupHash = new int[0];
    heapOffset = new int[0];
    heapSize = new int[0];
    heapCapacity = new int[0];
    heapSlots = new int[0];
    heapSlotsUsed = 0;
    buckets = new int[0];
    sorted = false;
  }

  public void verifyIntegrity() {
    rows.verifyIntegrity();
    keys.verifyIntegrity();
    check(arrayBytes == (groupKey.length * 5L + heapSlots.length + buckets.length) * Integer.BYTES,
        "array bytes " + arrayBytes + " do not match the arrays");
    check(groupKey.length == groupHash.length && groupKey.length == heapOffset.length
        && groupKey.length == heapSize.length && groupKey.length == heapCapacity.length, "group arrays differ");
    check(groupCount == 0 || buckets.length >= groupCount * 2L, "hash table over half full");
    int occupied = 0;
    for (int bucket : buckets) {
      if (bucket != 0) {
        occupied++;
      }
    }
    check(occupied == groupCount, "hash table holds " + occupied + " groups, not " + groupCount);
    UnsafeRow key = new UnsafeRow(0);
    boolean[] slotUsed = new boolean[heapSlotsUsed];
    java.util.BitSet ids = new java.util.BitSet();
    int heldRows = 0;
    for (int group = 0; group < groupCount; group++) {
      keys.pointTo(groupKey[group], key);
      check(key.hashCode() == groupHash[group], "group " + group + " hash is stale");
      check(findGroup(key, groupHash[group]) == group, "group " + group + " is not found by its key");
      int size = heapSize[group];
      int capacity = heapCapacity[group];
      check(size <= capacity && capacity <= limit, "group " + group + " heap " + size + "/" + capacity);
      check(heapOffset[group] + capacity <= heapSlotsUsed || capacity == 0, "group " + group + " heap overflows");
      for (int i = 0; i < capacity; i++) {
        check(!slotUsed[heapOffset[group] + i], "heap segments overlap at group " + group);
        slotUsed[heapOffset[group] + i] = true;
      }
      for (int i = 0; i < size; i++) {
        int id = heapSlots[heapOffset[group] + i];
        check(!ids.get(id), "row id " + id + " is held twice");
        ids.set(id);
        heldRows++;
        if (!sorted && i > 0) {
          int parent = heapSlots[heapOffset[group] + (i - 1) / 2];
          check(compareIds(id, parent) <= 0, "heap order broken in group " + group + " at " + i);
        }
        if (sorted && i > 0) {
          check(compareIds(heapSlots[heapOffset[group] + i - 1], id) <= 0, "group " + group + " not in rank order");
        }
      }
    }
    check(heldRows == rows.liveRows(), "heaps hold " + heldRows + " rows, store " + rows.liveRows());
    check(keys.liveRows() == groupCount, "keys " + keys.liveRows() + " != groups " + groupCount);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException("GroupedTopNBuilder: " + message);
    }
  }
}
