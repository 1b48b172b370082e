package io.traininputs.connector;

/** What the job commit does with the files already published. */
enum CommitMode {
  /** No earlier output: publish the new files only. */
  CREATE,
  /** Keep every earlier file. */
  APPEND,
  /** Replace everything. */
  OVERWRITE,
  /** Replace only the as_of_dates being written. */
  OVERWRITE_DATES
}
