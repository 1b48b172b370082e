package io.traininputs.cli;

import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Turns the validation of the library types (JobOptions, SyntheticConfig, RunFlags), which own the allowed ranges,
 * into picocli usage errors that name the command-line option.
 */
final class OptionChecks {
  private OptionChecks() {}

  static <T> T valid(CommandSpec spec, String option, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '" + option + "': " + e.getMessage());
    }
  }
}
