package io.traininputs.benchmarks;

import java.util.Map;
import java.util.Objects;

/**
 * One configuration of the job to time: a name and the runtime session confs that select it (for example the
 * extension's kill-switch). Static confs such as {@code spark.sql.extensions} cannot be toggled per variant; pass
 * them to the session with {@code --conf} so every variant runs in the same session.
 */
public record Variant(String name, Map<String, String> sessionConfs) {
  public Variant {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
      throw new IllegalArgumentException("variant name must match [a-z0-9][a-z0-9_-]*, got '" + name + "'");
    }
    sessionConfs = Map.copyOf(sessionConfs);
  }
}
