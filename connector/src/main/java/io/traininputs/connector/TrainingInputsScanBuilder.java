package io.traininputs.connector;

import java.util.Arrays;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.sources.Filter;

/** Takes filters on {@code as_of_date} for shard pruning; Spark still evaluates every filter on the rows. */
final class TrainingInputsScanBuilder implements ScanBuilder, SupportsPushDownFilters {
  private final Path root;
  private final Manifest manifest;
  private final SerializableConf conf;
  private Filter[] dateFilters = new Filter[0];

  TrainingInputsScanBuilder(Path root, Manifest manifest, SerializableConf conf) {
    this.root = root;
    this.manifest = manifest;
    this.conf = conf;
  }

  @Override
  public Filter[] pushFilters(Filter[] filters) {
    dateFilters = Arrays.stream(filters).filter(DatePruning::onDateOnly).toArray(Filter[]::new);
    return filters;
  }

  @Override
  public Filter[] pushedFilters() {
    return dateFilters;
  }

  @Override
  public Scan build() {
    return new TrainingInputsScan(root, manifest, dateFilters, conf);
  }
}
