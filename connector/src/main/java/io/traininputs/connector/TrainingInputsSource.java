package io.traininputs.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.CreatableRelationProvider;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code training-inputs} format. Reads are DataSource V2 ({@link TableProvider}); writes go through
 * {@link CreatableRelationProvider} because Spark 4.1's {@code DataFrameWriter.save()} supports only append and
 * overwrite for a catalog-less V2 provider, and this format needs all four save modes on a path. The write itself
 * is the V2 protocol ({@code DataWriter} per task attempt, {@code BatchWrite} commit/abort on the driver).
 */
public final class TrainingInputsSource implements TableProvider, CreatableRelationProvider, DataSourceRegister {

  /** The short name for {@code format(...)}. */
  public static final String SHORT_NAME = "training-inputs";

  @Override
  public String shortName() {
    return SHORT_NAME;
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    String path = requirePath(options);
    try {
      Configuration conf = SparkSession.active().sparkContext().hadoopConfiguration();
      Path root = new Path(path);
      FileSystem fs = Storage.fileSystem(root, conf);
      return StoredSchemas.sparkRead(manifest(fs, fs.makeQualified(root)).layout());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    String path = requirePath(new CaseInsensitiveStringMap(properties));
    Configuration conf = ((org.apache.spark.sql.classic.SparkSession) SparkSession.active()).sessionState()
        .newHadoopConf();
    return new TrainingInputsTable(path, schema, conf);
  }

  @Override
  public boolean supportsExternalMetadata() {
    return true;
  }

  @Override
  public BaseRelation createRelation(SQLContext sqlContext, SaveMode mode,
      scala.collection.immutable.Map<String, String> parameters, Dataset<Row> data) {
    try {
      WriteJob.run((org.apache.spark.sql.classic.SparkSession) data.sparkSession(), mode,
          scala.jdk.javaapi.CollectionConverters.asJava(parameters), data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StructType schema = data.schema();
    return new BaseRelation() {
      @Override
      public SQLContext sqlContext() {
        return sqlContext;
      }

      @Override
      public StructType schema() {
        return schema;
      }
    };
  }

  static Manifest manifest(FileSystem fs, Path root) throws IOException {
    Manifest manifest = Manifest.readIfExists(fs, root);
    if (manifest == null) {
      throw new IllegalArgumentException("No " + Manifest.FILE_NAME + " under " + root + ": it is not a "
          + "committed training-inputs dataset (never written, or its write has not committed)");
    }
    return manifest;
  }

  private static String requirePath(CaseInsensitiveStringMap options) {
    String path = options.get("path");
    if (path == null) {
      throw new IllegalArgumentException("The training-inputs format needs a path: load(path)");
    }
    return path;
  }
}
