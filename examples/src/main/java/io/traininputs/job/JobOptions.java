package io.traininputs.job;

/** TEMPORARY stub of the lead's class (JOB_API.md); replaced by main's version at merge. */
public final class JobOptions {
  public static JobOptions defaults() {
    return new JobOptions();
  }

  public int maxActions() {
    return 1000;
  }

  public int lookbackDays() {
    return 365;
  }

  public int trainDays() {
    return 14;
  }

  public boolean explode() {
    return false;
  }
}
