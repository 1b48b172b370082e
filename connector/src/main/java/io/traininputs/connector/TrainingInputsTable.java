package io.traininputs.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * A training-inputs dataset on a path, read through its manifest. It declares no batch-write capability on
 * purpose: {@code DataFrameWriter.save()} then takes the V1 fallback, {@link TrainingInputsSource#createRelation},
 * which supports all four save modes.
 */
final class TrainingInputsTable implements SupportsRead {
  private final String path;
  private final StructType schema;
  private final Configuration conf;

  TrainingInputsTable(String path, StructType schema, Configuration conf) {
    this.path = path;
    this.schema = schema;
    this.conf = conf;
  }

  @Override
  public String name() {
    return "training-inputs:" + path;
  }

  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    try {
      Path root = new Path(path);
      FileSystem fs = Storage.fileSystem(root, conf);
      root = Storage.resolveLink(fs, fs.makeQualified(root));
      return new TrainingInputsScanBuilder(root, TrainingInputsSource.manifest(fs, root), new SerializableConf(conf));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
