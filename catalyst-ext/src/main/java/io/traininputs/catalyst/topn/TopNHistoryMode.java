package io.traininputs.catalyst.topn;

/** Where a {@link TopNHistoryExec} runs relative to the shuffle on the partition keys. */
public enum TopNHistoryMode {
  /** Before the shuffle: keeps candidates per group, may emit early, emits no row number. */
  PARTIAL,
  /** After the shuffle: exact first N rows per group, with the row number. */
  FINAL
}
