package io.traininputs.connector;

import java.util.List;

import org.apache.spark.sql.connector.write.WriterCommitMessage;

/** What one successful task attempt staged: its files with row counts, sizes and checksums. */
record TaskCommit(int partitionId, long taskId, List<WrittenFile> files) implements WriterCommitMessage {
}
