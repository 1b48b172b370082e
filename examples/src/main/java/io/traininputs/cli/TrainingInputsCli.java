package io.traininputs.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code training-inputs}: generate synthetic inputs, run the reference job, look at its output.
 *
 * <p>Exit codes: 0 success, 1 the run failed (bad input path or schema, I/O or Spark error), 2 bad command line,
 * 3 a same-day leak with {@code --fail-on-same-day-leak}, 4 a suspicious train window with
 * {@code --fail-on-suspicious-window}. Errors are one line on stderr, the root cause ({@link RootCause}); Spark's
 * executor and scheduler error logs are off. Set {@code TRAINING_INPUTS_DEBUG=1} for those logs and the stack trace.
 */
@Command(
    name = "training-inputs",
    mixinStandardHelpOptions = true,
    versionProvider = TrainingInputsCli.Version.class,
    description = "Builds GPU-ready training inputs: each customer's last actions before each impression day.",
    subcommands = {DemoCommand.class, GenerateCommand.class, RunCommand.class, ShowCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 run failed, 2 bad command line, 3 same-day leak (--fail-on-same-day-leak),",
        "4 suspicious train window (--fail-on-suspicious-window).",
        "Errors are one line on stderr; TRAINING_INPUTS_DEBUG=1 adds Spark's task error logs and the stack trace."})
public final class TrainingInputsCli implements Callable<Integer> {
  static final String LOG_CONFIG = "io/traininputs/cli/log4j2-cli.properties";
  static final String DEBUG_LOG_CONFIG = "io/traininputs/cli/log4j2-cli-debug.properties";
  static final String DEBUG_ENV = "TRAINING_INPUTS_DEBUG";

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", System.getenv(DEBUG_ENV) == null ? LOG_CONFIG : DEBUG_LOG_CONFIG);
    }
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests call {@code execute} on it in-process. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new TrainingInputsCli());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setUsageHelpWidth(OutputPreview.WIDTH);
    cli.setParameterExceptionHandler(TrainingInputsCli::usageError);
    cli.setExecutionExceptionHandler(TrainingInputsCli::failure);
    CommandLine.IExecutionStrategy strategy = cli.getExecutionStrategy();
    cli.setExecutionStrategy(parsed -> {
      try {
        return strategy.execute(parsed);
      } catch (LinkageError e) {
        // a class missing from the class path (say hadoop-aws for s3a://) is an Error, which picocli passes on
        List<CommandLine> commands = parsed.asCommandLineList();
        throw new CommandLine.ExecutionException(commands.get(commands.size() - 1), "", e);
      }
    });
    return cli;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    String command = cli.getCommandSpec().qualifiedName();
    err.println(command + ": " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("See '" + command + " --help'.");
    err.flush();
    return ExitCodes.USAGE;
  }

  private static int failure(Exception e, CommandLine cli, ParseResult parsed) {
    PrintWriter err = cli.getErr();
    int code = ExitCodes.FAILED;
    if (e instanceof CliFailure) {
      code = ((CliFailure) e).exitCode();
    }
    err.println(cli.getCommandSpec().qualifiedName() + ": " + RootCause.line(e) + missingClassHint(e));
    if (System.getenv(DEBUG_ENV) != null) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static String missingClassHint(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ClassNotFoundException || t instanceof NoClassDefFoundError) {
        return " (a jar is missing from the class path: add it with TRAINING_INPUTS_EXTRA_JARS)";
      }
    }
    return "";
  }

  /** The version of the jar, when run from one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = TrainingInputsCli.class.getPackage().getImplementationVersion();
      return new String[] {"training-inputs " + (version == null ? "(development build)" : version)};
    }
  }
}
