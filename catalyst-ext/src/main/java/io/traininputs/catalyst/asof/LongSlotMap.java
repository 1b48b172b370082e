package io.traininputs.catalyst.asof;

import java.util.Arrays;

/** An open-addressing map from long keys to dense slot numbers 0, 1, 2, ... in insertion order. */
final class LongSlotMap {
  private static final int EMPTY = -1;

  private long[] keys;
  private int[] slots;
  private int mask;
  private int size;

  LongSlotMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[capacity];
    slots = new int[capacity];
    Arrays.fill(slots, EMPTY);
    mask = capacity - 1;
  }

  int size() {
    return size;
  }

  /** The slot of {@code key}, or -1. */
  int get(long key) {
    int i = index(key);
    while (slots[i] != EMPTY) {
      if (keys[i] == key) {
        return slots[i];
      }
      i = (i + 1) & mask;
    }
    return EMPTY;
  }

  /** The slot of {@code key}, assigning the next one when the key is new. */
  int getOrAdd(long key) {
    int i = index(key);
    while (slots[i] != EMPTY) {
      if (keys[i] == key) {
        return slots[i];
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    slots[i] = size++;
    if (size * 2 > keys.length) {
      grow();
    }
    return size - 1;
  }

  /** The key of each slot, by slot. */
  long[] keysBySlot() {
    long[] out = new long[size];
    for (int i = 0; i < keys.length; i++) {
      if (slots[i] != EMPTY) {
        out[slots[i]] = keys[i];
      }
    }
    return out;
  }

  long bytes() {
    return keys.length * 12L;
  }

  private int index(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldSlots = slots;
    keys = new long[oldKeys.length * 2];
    slots = new int[oldSlots.length * 2];
    Arrays.fill(slots, EMPTY);
    mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldSlots[j] != EMPTY) {
        int i = index(oldKeys[j]);
        while (slots[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        slots[i] = oldSlots[j];
      }
    }
  }
}
