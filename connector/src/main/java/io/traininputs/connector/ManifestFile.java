package io.traininputs.connector;

/** One published file as the manifest lists it; the path is relative to the output root. */
record ManifestFile(String path, String asOfDate, FileKind kind, String shard, long rows, long bytes,
    String checksum) {

  static ManifestFile of(WrittenFile f) {
    return new ManifestFile(f.relativePath(), java.time.LocalDate.ofEpochDay(f.asOfDate()).toString(), f.kind(),
        f.shard(), f.rows(), f.bytes(), f.checksum());
  }

  int epochDay() {
    return (int) java.time.LocalDate.parse(asOfDate).toEpochDay();
  }
}
