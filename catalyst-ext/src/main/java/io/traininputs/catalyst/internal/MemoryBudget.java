package io.traininputs.catalyst.internal;

/**
 * Where the top-N builder and the as-of operators reserve the bytes of their growing structures (flat arrays, row
 * pages, kept rows). Public for the as-of package; not an API.
 */
public interface MemoryBudget {

  /** Reserves {@code bytes}, or reserves nothing and returns false. */
  boolean reserve(long bytes);

  void release(long bytes);

  /** A budget that never refuses, for tests and benchmarks of the builder alone. */
  static MemoryBudget unlimited() {
    return limitedTo(Long.MAX_VALUE);
  }

  /** A budget that refuses once {@code limit} bytes are reserved, for tests of the out-of-memory paths. */
  static MemoryBudget limitedTo(long limit) {
    return new MemoryBudget() {
      private long reserved;

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
      }
    };
  }
}
