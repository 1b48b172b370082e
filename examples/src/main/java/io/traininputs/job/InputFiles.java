package io.traininputs.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The data files of one input, sorted by kind. Paths are expanded on the driver (globs, directories listed
 * recursively, names starting with {@code _} or {@code .} skipped inside directories as Spark does) and every file
 * is sniffed: Parquet by its {@code PAR1} magic, a JSON array file by its first non-blank character {@code [},
 * anything else as JSON lines (many files at once, {@link ParallelIo}). Files with nothing but whitespace are left
 * out: they hold no records. {@code statuses} holds each file's size and modification time, by path.
 */
record InputFiles(List<String> jsonLines, List<String> jsonArrays, List<String> parquet,
                  Map<String, FileStatus> statuses) {

  private static final byte[] PARQUET_MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  private static final int SNIFF_LIMIT = 1 << 16;

  boolean isEmpty() {
    return jsonLines.isEmpty() && jsonArrays.isEmpty() && parquet.isEmpty();
  }

  boolean isJson() {
    return !jsonLines.isEmpty() || !jsonArrays.isEmpty();
  }

  static InputFiles discover(Configuration conf, RawInput input, List<String> paths) {
    List<FileStatus> all = new ArrayList<>();
    CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
    FileSystem fs;
    try {
      for (String pattern : paths) {
        Path path = new Path(pattern);
        fs = path.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(path);
        if (matches == null || matches.length == 0) {
          throw new InputSchemaException(
              "input '" + input.label() + "': no file or directory matches '" + pattern + "'");
        }
        for (FileStatus match : matches) {
          all.addAll(dataFiles(fs, match));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("input '" + input.label() + "': cannot read its files " + paths, e);
    }
    List<Kind> kinds = ParallelIo.map(all, file -> {
      try {
        return sniff(file.getPath().getFileSystem(conf), codecs, file.getPath());
      } catch (IOException e) {
        throw new UncheckedIOException("input '" + input.label() + "': cannot read its files " + paths, e);
      }
    });
    List<String> lines = new ArrayList<>();
    List<String> arrays = new ArrayList<>();
    List<String> parquet = new ArrayList<>();
    Map<String, FileStatus> statuses = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) {
      String file = all.get(i).getPath().toString();
      switch (kinds.get(i)) {
        case PARQUET -> parquet.add(file);
        case JSON_ARRAY -> arrays.add(file);
        case JSON_LINES -> lines.add(file);
        default -> {
          continue;
        }
      }
      statuses.put(file, all.get(i));
    }
    if (!parquet.isEmpty() && (!lines.isEmpty() || !arrays.isEmpty())) {
      throw new InputSchemaException("input '" + input.label() + "' mixes Parquet files (" + parquet.get(0)
          + ") and JSON files (" + (lines.isEmpty() ? arrays : lines).get(0) + "); give one format per input");
    }
    return new InputFiles(lines, arrays, parquet, statuses);
  }

  private static List<FileStatus> dataFiles(FileSystem fs, FileStatus match) throws IOException {
    List<FileStatus> files = new ArrayList<>();
    if (!match.isDirectory()) {
      files.add(match);
      return files;
    }
    // listStatus, not listFiles: a LocatedFileStatus copies the owner and permissions, which the local file system
    // reads by running `ls -ld` once per file without Hadoop's native library (seconds for a thousand daily files).
    collect(fs, match.getPath(), files);
    files.sort((a, b) -> a.getPath().compareTo(b.getPath()));
    return files;
  }

  private static void collect(FileSystem fs, Path dir, List<FileStatus> files) throws IOException {
    for (FileStatus entry : fs.listStatus(dir)) {
      String name = entry.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      if (entry.isDirectory()) {
        collect(fs, entry.getPath(), files);
      } else {
        files.add(entry);
      }
    }
  }

  /** True if any path element below {@code root} starts with {@code _} or {@code .} (_SUCCESS, .crc, _temporary). */
  static boolean isHidden(Path root, Path file) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      String name = p.getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  enum Kind { PARQUET, JSON_ARRAY, JSON_LINES, BLANK }

  private static Kind sniff(FileSystem fs, CompressionCodecFactory codecs, Path file) throws IOException {
    byte[] head = new byte[PARQUET_MAGIC.length];
    int n;
    try (FSDataInputStream in = fs.open(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n == PARQUET_MAGIC.length && Arrays.equals(head, PARQUET_MAGIC)) {
      return Kind.PARQUET;
    }
    CompressionCodec codec = codecs.getCodec(file);
    try (InputStream raw = fs.open(file);
         InputStream in = codec == null ? raw : codec.createInputStream(raw)) {
      for (int i = 0; i < SNIFF_LIMIT; i++) {
        int b = in.read();
        if (b < 0) {
          return Kind.BLANK;
        }
        if (b == '[') {
          return Kind.JSON_ARRAY;
        }
        if (!Character.isWhitespace(b) && b != 0xEF && b != 0xBB && b != 0xBF) {
          return Kind.JSON_LINES;
        }
      }
    }
    return Kind.JSON_LINES;
  }
}
