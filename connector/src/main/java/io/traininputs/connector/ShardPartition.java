package io.traininputs.connector;

import java.util.Map;

import org.apache.spark.sql.connector.read.InputPartition;

/** One shard to read: the files (by kind, absolute paths) one task wrote for one as_of_date. */
record ShardPartition(int asOfDate, Map<FileKind, String> files) implements InputPartition {
}
