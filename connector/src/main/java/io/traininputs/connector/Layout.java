package io.traininputs.connector;

import java.util.List;
import java.util.Locale;

/** How rows are laid out in files: which file kinds one shard of one date consists of. */
enum Layout {
  /** One row per impression row, the history inline. */
  ROWS(List.of(FileKind.ROWS)),
  /** One row per impressed item, the history repeated. */
  EXPLODED(List.of(FileKind.EXPLODED)),
  /** Each history once per (customer, as_of_date), and one example per impressed item pointing at it. */
  NORMALIZED(List.of(FileKind.HISTORIES, FileKind.EXAMPLES));

  private final List<FileKind> fileKinds;

  Layout(List<FileKind> fileKinds) {
    this.fileKinds = fileKinds;
  }

  List<FileKind> fileKinds() {
    return fileKinds;
  }

  String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
