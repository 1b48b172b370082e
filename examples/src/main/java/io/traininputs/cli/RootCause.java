package io.traininputs.cli;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkThrowable;

/**
 * The one line the CLI prints for a failure: the innermost cause that has a message (Spark wraps the exception that
 * names the file, the column or the value in several of its own), preceded by what this project's code was doing
 * when it wrapped it, if it did. A cause raised outside this project keeps its class name ({@code
 * ChecksumException: Checksum error: file:/…}), since the class often is half the message.
 */
final class RootCause {
  static final int MAX_LENGTH = 500;
  private static final String OURS = "io.traininputs.";

  private RootCause() {}

  static String line(Throwable failure) {
    List<Throwable> chain = chain(failure);
    Throwable root = null;
    for (Throwable t : chain) {
      if (firstLine(t) != null) {
        root = t;
      }
    }
    if (root == null) {
      return failure.getClass().getSimpleName();
    }
    String cause = (thrownByUs(root) || root instanceof SparkThrowable ? "" : root.getClass().getSimpleName() + ": ")
        + firstLine(root);
    String context = null;
    for (Throwable t : chain) {
      if (t != root && thrownByUs(t) && firstLine(t) != null && !cause.contains(firstLine(t))) {
        context = firstLine(t);
        break;
      }
    }
    String line = context == null ? cause : context + ": " + cause;
    return line.length() > MAX_LENGTH ? line.substring(0, MAX_LENGTH - 1) + "…" : line;
  }

  private static List<Throwable> chain(Throwable failure) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static String firstLine(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return null;
    }
    return message.strip().lines().findFirst().orElse("").strip();
  }

  private static boolean thrownByUs(Throwable t) {
    StackTraceElement[] frames = t.getStackTrace();
    return t.getClass().getName().startsWith(OURS)
        || frames.length > 0 && frames[0].getClassName().startsWith(OURS);
  }
}
