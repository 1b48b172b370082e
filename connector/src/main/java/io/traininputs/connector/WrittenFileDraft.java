package io.traininputs.connector;

/** A file being written: everything about it but its final size, row count and checksum. */
record WrittenFileDraft(String stagedPath, String relativePath, int asOfDate, FileKind kind, String shard) {

  WrittenFile done(long rows, long bytes, String checksum) {
    return new WrittenFile(stagedPath, relativePath, asOfDate, kind, shard, rows, bytes, checksum);
  }
}
