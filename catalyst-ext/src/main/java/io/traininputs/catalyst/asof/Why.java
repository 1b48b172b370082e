package io.traininputs.catalyst.asof;

/** The first reason a matcher gave for declining a plan; matchers return {@code why.no("...")} (null). */
final class Why {
  private String reason;

  <T> T no(String text) {
    if (reason == null) {
      reason = text;
    }
    return null;
  }

  String reason() {
    return reason;
  }
}
