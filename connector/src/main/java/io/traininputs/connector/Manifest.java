package io.traininputs.connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * {@code _manifest.json}: the committed state of a dataset. Readers see exactly the files it lists. It records
 * the schema, the shape and dtype of every stored column, the files with their rows, sizes and checksums, the rows
 * per {@code as_of_date} and the writer version; and what writers asked to keep with it: a {@code metadata} object
 * for the dataset (null when none) and a {@code dateMetadata} value per {@code as_of_date}.
 */
record Manifest(
    String writerVersion,
    String jobId,
    StorageFormat format,
    Layout layout,
    String compression,
    int historyLength,
    List<ManifestFile> files,
    JsonNode metadata,
    Map<String, JsonNode> dateMetadata) {

  static final String FILE_NAME = "_manifest.json";
  static final String SUCCESS = "_SUCCESS";
  static final int FORMAT_VERSION = 1;
  static final String WRITER_VERSION = "training-inputs-connector/0.1.0";

  private static final ObjectMapper JSON = new ObjectMapper();

  static Manifest readIfExists(FileSystem fs, Path root) throws IOException {
    Path p = new Path(root, FILE_NAME);
    if (!fs.exists(p)) {
      return null;
    }
    try (FSDataInputStream in = fs.open(p)) {
      return parse(in);
    }
  }

  static Manifest parse(InputStream in) throws IOException {
    JsonNode n = JSON.readTree(in);
    int version = n.path("formatVersion").asInt();
    if (version != FORMAT_VERSION) {
      throw new IOException("Unsupported training-inputs manifest formatVersion " + version + " (this reader "
          + "supports " + FORMAT_VERSION + ")");
    }
    List<ManifestFile> files = new ArrayList<>();
    for (JsonNode f : n.path("files")) {
      files.add(new ManifestFile(f.path("path").asText(), f.path("as_of_date").asText(),
          FileKind.valueOf(f.path("kind").asText().toUpperCase(Locale.ROOT)), f.path("shard").asText(),
          f.path("rows").asLong(), f.path("bytes").asLong(), f.path("checksum").asText()));
    }
    Map<String, JsonNode> perDate = new TreeMap<>();
    n.path("dateMetadata").fields().forEachRemaining(e -> perDate.put(e.getKey(), e.getValue()));
    JsonNode metadata = n.get("metadata");
    return new Manifest(n.path("writerVersion").asText(), n.path("jobId").asText(),
        StorageFormat.valueOf(n.path("fileFormat").asText().toUpperCase(Locale.ROOT)),
        Layout.valueOf(n.path("layout").asText().toUpperCase(Locale.ROOT)), n.path("compression").asText(),
        n.path("historyLength").asInt(), files, metadata == null || metadata.isNull() ? null : metadata, perDate);
  }

  String toJson() throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("formatVersion", FORMAT_VERSION);
    n.put("writerVersion", writerVersion);
    n.put("jobId", jobId);
    n.put("committedAt", Instant.now().toString());
    n.put("fileFormat", format.optionValue());
    n.put("layout", layout.optionValue());
    n.put("compression", compression);
    n.put("historyLength", historyLength);
    n.put("partitionColumn", Columns.AS_OF_DATE);
    n.set("schema", JSON.readTree(StoredSchemas.sparkRead(layout).json()));
    ObjectNode kinds = n.putObject("fileKinds");
    for (FileKind kind : layout.fileKinds()) {
      ArrayNode cols = kinds.putArray(kind.name().toLowerCase(Locale.ROOT));
      for (StoredColumn c : kind.columns()) {
        ObjectNode col = cols.addObject();
        col.put("name", c.name());
        col.put("dtype", dtype(c.kind()));
        ArrayNode shape = col.putArray("shape");
        shape.add("rows");
        if (c.kind() == StoredColumn.Kind.INT_HISTORY || c.kind() == StoredColumn.Kind.BYTE_HISTORY) {
          shape.add(historyLength);
        }
        col.put("nullable", c.nullable());
      }
    }
    Map<String, Long> rowsPerDate = new TreeMap<>();
    FileKind counted = layout == Layout.NORMALIZED ? FileKind.EXAMPLES : layout.fileKinds().get(0);
    for (ManifestFile f : files) {
      if (f.kind() == counted) {
        rowsPerDate.merge(f.asOfDate(), f.rows(), Long::sum);
      }
    }
    ObjectNode perDate = n.putObject("rowsPerDate");
    rowsPerDate.forEach(perDate::put);
    if (metadata != null) {
      n.set("metadata", metadata);
    }
    if (!dateMetadata.isEmpty()) {
      ObjectNode dates = n.putObject("dateMetadata");
      new TreeMap<>(dateMetadata).forEach(dates::set);
    }
    ArrayNode list = n.putArray("files");
    for (ManifestFile f : files) {
      ObjectNode o = list.addObject();
      o.put("path", f.path());
      o.put("as_of_date", f.asOfDate());
      o.put("kind", f.kind().name().toLowerCase(Locale.ROOT));
      o.put("shard", f.shard());
      o.put("rows", f.rows());
      o.put("bytes", f.bytes());
      o.put("checksum", f.checksum());
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
  }

  private static String dtype(StoredColumn.Kind kind) {
    return switch (kind) {
      case STRING -> "utf8";
      case LONG -> "int64";
      case INT, INT_HISTORY -> "int32";
      case BOOLEAN -> "bool";
      case BYTE_HISTORY -> "int8";
      case IMPRESSIONS -> "list<struct<item_id:int32,is_order:bool>>";
    };
  }

  /** Writes the manifest to a temporary name and renames it into place, replacing the previous one atomically. */
  void commit(FileSystem fs, Path root) throws IOException {
    Path tmp = temporary(root, jobId);
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(toJson().getBytes(StandardCharsets.UTF_8));
    }
    Path target = new Path(root, FILE_NAME);
    if (!fs.rename(tmp, target)) {
      // HDFS's FileSystem.rename does not replace; FileContext's OVERWRITE rename does, atomically on HDFS (where
      // it is one call to the NameNode), as a delete and a rename elsewhere (Recovery completes a killed one).
      FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(tmp, target, Options.Rename.OVERWRITE);
    }
  }

  static Path temporary(Path root, String jobId) {
    return new Path(root, FILE_NAME + "." + jobId + ".tmp");
  }
}
