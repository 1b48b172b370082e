package io.traininputs.connector;

import java.io.Serializable;

/**
 * A file a task wrote: where it is staged, where it is published (relative to the output root), and what the
 * manifest records about it.
 */
record WrittenFile(
    String stagedPath,
    String relativePath,
    int asOfDate,
    FileKind kind,
    String shard,
    long rows,
    long bytes,
    String checksum) implements Serializable {
}
