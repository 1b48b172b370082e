package io.traininputs.connector;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;

/** Plans one input partition per shard the manifest lists, skipping dates the pushed filters rule out. */
final class TrainingInputsScan implements Scan, Batch {
  private final Path root;
  private final Manifest manifest;
  private final Filter[] dateFilters;
  private final SerializableConf conf;
  private final List<ShardPartition> shards = new ArrayList<>();
  private final int datesTotal;
  private final int datesRead;

  TrainingInputsScan(Path root, Manifest manifest, Filter[] dateFilters, SerializableConf conf) {
    this.root = root;
    this.manifest = manifest;
    this.dateFilters = dateFilters;
    this.conf = conf;
    Map<String, Map<FileKind, String>> byShard = new LinkedHashMap<>();
    Map<String, Integer> dates = new LinkedHashMap<>();
    TreeSet<Integer> all = new TreeSet<>();
    TreeSet<Integer> read = new TreeSet<>();
    for (ManifestFile f : manifest.files()) {
      all.add(f.epochDay());
      if (!DatePruning.mayMatch(dateFilters, f.epochDay())) {
        continue;
      }
      read.add(f.epochDay());
      byShard.computeIfAbsent(f.shard(), s -> new EnumMap<>(FileKind.class))
          .put(f.kind(), new Path(root, f.path()).toString());
      dates.put(f.shard(), f.epochDay());
    }
    byShard.forEach((shard, files) -> shards.add(new ShardPartition(dates.get(shard), files)));
    this.datesTotal = all.size();
    this.datesRead = read.size();
  }

  @Override
  public StructType readSchema() {
    return StoredSchemas.sparkRead(manifest.layout());
  }

  @Override
  public String description() {
    return "TrainingInputsScan[" + manifest.format().optionValue() + ", layout=" + manifest.layout().optionValue()
        + ", historyLength=" + manifest.historyLength() + ", dates=" + datesRead + "/" + datesTotal + ", shards="
        + shards.size() + ", root=" + root + "]";
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    return shards.toArray(new InputPartition[0]);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new ShardReaderFactory(manifest.format(), manifest.layout(), manifest.historyLength(), conf);
  }

  Filter[] dateFilters() {
    return dateFilters;
  }
}
