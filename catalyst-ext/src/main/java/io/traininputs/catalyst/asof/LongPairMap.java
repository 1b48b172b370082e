package io.traininputs.catalyst.asof;

import java.util.Arrays;

/** An open-addressing map from (long, long) pairs to dense ordinals 0, 1, 2, ... in insertion order. */
final class LongPairMap {
  private static final int EMPTY = -1;

  private long[] firsts;
  private long[] seconds;
  private int[] ordinals;
  private int mask;
  private int size;

  LongPairMap(int expected) {
    allocate(Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1);
  }

  private void allocate(int capacity) {
    firsts = new long[capacity];
    seconds = new long[capacity];
    ordinals = new int[capacity];
    Arrays.fill(ordinals, EMPTY);
    mask = capacity - 1;
  }

  int size() {
    return size;
  }

  /** The ordinal of the pair, assigning the next one when the pair is new. */
  int getOrAdd(long first, long second) {
    int i = index(first, second);
    while (ordinals[i] != EMPTY) {
      if (firsts[i] == first && seconds[i] == second) {
        return ordinals[i];
      }
      i = (i + 1) & mask;
    }
    ordinals[i] = size;
    firsts[i] = first;
    seconds[i] = second;
    int ordinal = size++;
    if (size * 2 > ordinals.length) {
      grow();
    }
    return ordinal;
  }

  /** Bytes of the arrays, by capacity. */
  long bytes() {
    return ordinals.length * 20L;
  }

  /** Something that takes the pairs of the map. */
  interface PairVisitor {
    void visit(long first, long second);
  }

  /** Every pair, in no particular order. */
  void forEach(PairVisitor visitor) {
    for (int i = 0; i < ordinals.length; i++) {
      if (ordinals[i] != EMPTY) {
        visitor.visit(firsts[i], seconds[i]);
      }
    }
  }

  /** The ordinal of the pair, or -1. */
  int get(long first, long second) {
    int i = index(first, second);
    while (ordinals[i] != EMPTY) {
      if (firsts[i] == first && seconds[i] == second) {
        return ordinals[i];
      }
      i = (i + 1) & mask;
    }
    return EMPTY;
  }

  private int index(long first, long second) {
    long h = (first * 0x9E3779B97F4A7C15L) ^ (second * 0xC2B2AE3D27D4EB4FL);
    h ^= h >>> 31;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void grow() {
    long[] f = firsts;
    long[] s = seconds;
    int[] o = ordinals;
    allocate(o.length * 2);
    for (int j = 0; j < o.length; j++) {
      if (o[j] != EMPTY) {
        int i = index(f[j], s[j]);
        while (ordinals[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        firsts[i] = f[j];
        seconds[i] = s[j];
        ordinals[i] = o[j];
      }
    }
  }
}
