package io.traininputs.connector;

import java.util.Locale;

/** The file format a dataset is stored in. */
enum StorageFormat {
  ARROW("arrow"),
  PARQUET("parquet");

  private final String extension;

  StorageFormat(String extension) {
    this.extension = extension;
  }

  String extension() {
    return extension;
  }

  String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
