package io.traininputs.job;

/** Records read from one input and how many of them were quarantined; the rest were used. */
public record InputCounts(long read, long quarantined) {

  public long used() {
    return read - quarantined;
  }
}
