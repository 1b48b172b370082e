package io.traininputs.cli;

import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Turns the validation of the library types (JobOptions, SyntheticConfig, RunFlags), which own the allowed ranges,
 * into picocli usage errors that name the command-line option.
 */
final class OptionChecks {
  /** The library's own name for the value at the start of its message ("maxActions must be ..."). */
  private static final Pattern INTERNAL_NAME = Pattern.compile("^[a-z][A-Za-z]* (?=must )");

  private OptionChecks() {}

  static <T> T valid(CommandSpec spec, String option, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '" + option + "': " + INTERNAL_NAME.matcher(e.getMessage()).replaceFirst(""));
    }
  }
}
