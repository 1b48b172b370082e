package io.traininputs.synthetic;

import java.util.Locale;

/** The file formats raw inputs can be written in (and read from). */
public enum InputFormat {
  JSON,
  PARQUET;

  /** The Spark data source name, which is also how users spell it on the command line. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
