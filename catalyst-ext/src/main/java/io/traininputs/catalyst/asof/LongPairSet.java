package io.traininputs.catalyst.asof;

/** An open-addressing set of (long, long) pairs. */
final class LongPairSet {
  private long[] firsts;
  private long[] seconds;
  private boolean[] used;
  private int mask;
  private int size;

  LongPairSet(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    allocate(capacity);
  }

  private void allocate(int capacity) {
    firsts = new long[capacity];
    seconds = new long[capacity];
    used = new boolean[capacity];
    mask = capacity - 1;
  }

  void add(long first, long second) {
    int i = index(first, second);
    while (used[i]) {
      if (firsts[i] == first && seconds[i] == second) {
        return;
      }
      i = (i + 1) & mask;
    }
    used[i] = true;
    firsts[i] = first;
    seconds[i] = second;
    if (++size * 2 > used.length) {
      grow();
    }
  }

  boolean contains(long first, long second) {
    int i = index(first, second);
    while (used[i]) {
      if (firsts[i] == first && seconds[i] == second) {
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }

  private int index(long first, long second) {
    long h = (first * 0x9E3779B97F4A7C15L) ^ (second * 0xC2B2AE3D27D4EB4FL);
    h ^= h >>> 31;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void grow() {
    long[] f = firsts;
    long[] s = seconds;
    boolean[] u = used;
    allocate(u.length * 2);
    size = 0;
    for (int j = 0; j < u.length; j++) {
      if (u[j]) {
        add(f[j], s[j]);
      }
    }
  }
}
