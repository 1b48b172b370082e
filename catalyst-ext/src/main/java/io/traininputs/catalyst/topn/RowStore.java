package io.traininputs.catalyst.topn;

import io.traininputs.catalyst.internal.MemoryBudget;
import java.util.Arrays;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.unsafe.Platform;

/**
 * UnsafeRow bytes copied into byte[] pages, addressed by int row ids held in flat arrays (no Java object per row).
 * A freed id is reused; an id whose slot is large enough is overwritten in place (always, for fixed-width rows).
 * Bytes of freed or outgrown slots are reclaimed by compaction. Every page and array is reserved in the budget.
 */
final class RowStore {

  static final int DEFAULT_PAGE_SIZE = 1 << 20;
  private static final int INITIAL_IDS = 64;

  private final MemoryBudget budget;
  private final int pageSize;

  private byte[][] pages = new byte[4][];
  /** Pages allocated (and reserved); after {@link #truncate()} the later ones are reused before allocating. */
  private int pageCount;
  private int currentPage = -1;
  private int pageOffset;
  private long bytesBeforeCurrent;

  private long[] address = new long[0];
  private int[] size = new int[0];
  /** Slot length of a live id; -1 for a free id. */
  private int[] slot = new int[0];
  private int idCount;
  private int[] freeIds = new int[0];
  private int freeCount;

  private long pageBytes;
  private long liveSlotBytes;
  private long arrayBytes;

  RowStore(MemoryBudget budget, int pageSize) {
    this.budget = budget;
    this.pageSize = pageSize;
  }

  /** Makes sure one more row of {@code bytes} can be appended without reserving memory; false if refused. */
  boolean ensureAppend(int bytes) {
    if (freeCount == 0 && idCount == address.length && !growIds()) {
      return false;
    }
    if (currentPage >= 0 && pageOffset + bytes <= pages[currentPage].length) {
      return true;
    }
    if (currentPage + 1 < pageCount && pages[currentPage + 1].length >= bytes) {
      moveToNextPage();
      return true;
    }
    if (garbageBytes() > usedPageBytes() / 2 && garbageBytes() >= bytes) {
      compact();
      if (currentPage >= 0 && pageOffset + bytes <= pages[currentPage].length) {
        return true;
      }
    }
    return addPage(bytes);
  }

  private void moveToNextPage() {
    if (currentPage >= 0) {
      bytesBeforeCurrent += pages[currentPage].length;
    }
    currentPage++;
    pageOffset = 0;
  }

  /** Appends a copy of {@code row}; call {@link #ensureAppend} first. */
  int append(UnsafeRow row) {
    int bytes = row.getSizeInBytes();
    int id = freeCount > 0 ? freeIds[--freeCount] : idCount++;
    byte[] page = pages[currentPage];
    row.writeToMemory(page, Platform.BYTE_ARRAY_OFFSET + pageOffset);
    address[id] = ((long) currentPage << 32) | pageOffset;
    size[id] = bytes;
    slot[id] = bytes;
    pageOffset += bytes;
    liveSlotBytes += bytes;
    return id;
  }

  boolean fitsInPlace(int id, UnsafeRow row) {
    return row.getSizeInBytes() <= slot[id];
  }

  void overwrite(int id, UnsafeRow row) {
    long addr = address[id];
    row.writeToMemory(pages[(int) (addr >>> 32)], Platform.BYTE_ARRAY_OFFSET + (int) addr);
    size[id] = row.getSizeInBytes();
  }

  void free(int id) {
    liveSlotBytes -= slot[id];
    slot[id] = -1;
    freeIds[freeCount++] = id;
  }

  void pointTo(int id, UnsafeRow target) {
    long addr = address[id];
    target.pointTo(pages[(int) (addr >>> 32)], Platform.BYTE_ARRAY_OFFSET + (int) addr, size[id]);
  }

  int sizeOf(int id) {
    return size[id];
  }

  int hashOf(int id) {
    long addr = address[id];
    return org.apache.spark.unsafe.hash.Murmur3_x86_32.hashUnsafeWords(
        pages[(int) (addr >>> 32)], Platform.BYTE_ARRAY_OFFSET + (int) addr, size[id], 42);
  }

  boolean bytesEqual(int id, UnsafeRow row) {
    long addr = address[id];
    return size[id] == row.getSizeInBytes() && org.apache.spark.unsafe.array.ByteArrayMethods.arrayEquals(
        pages[(int) (addr >>> 32)], Platform.BYTE_ARRAY_OFFSET + (int) addr,
        row.getBaseObject(), row.getBaseOffset(), size[id]);
  }

  int liveRows() {
    return idCount - freeCount;
  }

  long garbageBytes() {
    return usedPageBytes() - liveSlotBytes;
  }

  long memoryBytes() {
    return pageBytes + arrayBytes;
  }

  /** Forgets every row but keeps the pages and arrays (and their reservation) for reuse. */
  void truncate() {
    currentPage = pageCount > 0 ? 0 : -1;
    pageOffset = 0;
    bytesBeforeCurrent = 0;
    idCount = 0;
    freeCount = 0;
    liveSlotBytes = 0;
  }

  /** Frees all pages and arrays and returns their reservation. */
  void clear() {
    budget.release(pageBytes + arrayBytes);
    pages = new byte[4][];
    pageCount = 0;
    currentPage = -1;
    pageOffset = 0;
    bytesBeforeCurrent = 0;
    address = new long[0];
    size = new int[0];
    slot = new int[0];
    freeIds = new int[0];
    idCount = 0;
    freeCount = 0;
    pageBytes = 0;
    liveSlotBytes = 0;
    arrayBytes = 0;
  }

  void verifyIntegrity() {
    long live = 0;
    int liveIds = 0;
    boolean[] isFree = new boolean[idCount];
    for (int i = 0; i < freeCount; i++) {
      check(slot[freeIds[i]] == -1, "free id " + freeIds[i] + " has a slot");
      check(!isFree[freeIds[i]], "id " + freeIds[i] + " is free twice");
      isFree[freeIds[i]] = true;
    }
    for (int id = 0; id < idCount; id++) {
      if (slot[id] >= 0) {
        check(!isFree[id], "live id " + id + " is on the free list");
        check(size[id] <= slot[id], "row " + id + " overflows its slot");
        int page = (int) (address[id] >>> 32);
        int offset = (int) address[id];
        check(page <= currentPage && offset + slot[id] <= pages[page].length, "row " + id + " is outside the pages");
        check(page < currentPage || offset + slot[id] <= pageOffset, "row " + id + " is beyond the fill mark");
        live += slot[id];
        liveIds++;
      }
    }
    check(live == liveSlotBytes, "live bytes " + liveSlotBytes + " != " + live);
    check(liveIds == liveRows(), "live ids " + liveRows() + " != " + liveIds);
    long pagesTotal = 0;
    for (int p = 0; p < pageCount; p++) {
      pagesTotal += pages[p].length;
    }
    check(pagesTotal == pageBytes, "page bytes " + pageBytes + " != " + pagesTotal);
    check(arrayBytes == address.length * 8L + (size.length + slot.length + freeIds.length) * 4L,
        "array bytes do not match the arrays");
  }

  private long usedPageBytes() {
    return currentPage < 0 ? 0 : bytesBeforeCurrent + pageOffset;
  }

  private boolean growIds() {
    int newLength = Math.max(INITIAL_IDS, address.length * 2);
    long delta = (newLength - address.length) * 20L;
    if (!budget.reserve(delta)) {
      return false;
    }
    address = Arrays.copyOf(address, newLength);
    size = Arrays.copyOf(size, newLength);
    slot = Arrays.copyOf(slot, newLength);
    freeIds = Arrays.copyOf(freeIds, newLength);
    arrayBytes += delta;
    return true;
  }

  /** Makes the page after the current one a new page of at least {@code bytes} and moves to it. */
  private boolean addPage(int bytes) {
    int length = Math.max(pageSize, bytes);
    if (!budget.reserve(length)) {
      return false;
    }
    int index = currentPage + 1;
    if (index < pageCount) {
      // An unused page (left by truncate) too small for this row: replace it.
      budget.release(pages[index].length);
      pageBytes -= pages[index].length;
    } else {
      if (pageCount == pages.length) {
        pages = Arrays.copyOf(pages, pageCount * 2);
      }
      pageCount++;
    }
    pages[index] = new byte[length];
    pageBytes += length;
    moveToNextPage();
    return true;
  }

  /** Copies the live rows into fresh pages, each slot shrunk to its row, if the budget allows the copy. */
  private void compact() {
    long needed = Math.max(liveSlotBytes, 1);
    int newPageSize = (int) Math.max(pageSize, Math.min(needed, Integer.MAX_VALUE - 16));
    if (!budget.reserve(newPageSize)) {
      return;
    }
    byte[][] oldPages = pages;
    long oldPageBytes = pageBytes;
    pages = new byte[4][];
    pages[0] = new byte[newPageSize];
    pageCount = 1;
    currentPage = 0;
    pageOffset = 0;
    bytesBeforeCurrent = 0;
    pageBytes = newPageSize;
    liveSlotBytes = 0;
    for (int id = 0; id < idCount; id++) {
      if (slot[id] < 0) {
        continue;
      }
      int bytes = size[id];
      if (pageOffset + bytes > pages[0].length) {
        // Live rows fit in newPageSize by construction; this only guards against rounding.
        throw new IllegalStateException("compaction overflow");
      }
      long addr = address[id];
      Platform.copyMemory(oldPages[(int) (addr >>> 32)], Platform.BYTE_ARRAY_OFFSET + (int) addr,
          pages[0], Platform.BYTE_ARRAY_OFFSET + pageOffset, bytes);
      address[id] = pageOffset;
      slot[id] = bytes;
      pageOffset += bytes;
      liveSlotBytes += bytes;
    }
    budget.release(oldPageBytes);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
