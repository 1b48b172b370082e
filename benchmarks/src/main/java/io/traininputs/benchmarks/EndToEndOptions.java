package io.traininputs.benchmarks;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@link EndToEndBenchmark}, parsed and validated. {@code --smoke} sets small defaults
 * (100 customers, maxActions 100, 1 warm-up and 1 measured round, slowdown gate 2.0) that later flags still override.
 */
record EndToEndOptions(
    int customers,
    int warmups,
    int iterations,
    List<Variant> variants,
    int maxActions,
    double maxSlowdown,
    String master,
    int shufflePartitions,
    Map<String, String> sparkConfs,
    Path dataDir,
    Path jsonOut,
    boolean inMemory,
    boolean explain,
    boolean smoke) {

  static final String USAGE =
      String.join(
          "\n",
          "usage: EndToEndBenchmark [--help] [--smoke] [--customers N] [--warmups N] [--iterations N]",
          "         [--variants stock,NAME,...] [--max-actions N] [--max-slowdown F] [--master local[K]]",
          "         [--shuffle-partitions N] [--conf key=value]... [--data-dir DIR] [--json FILE] [--in-memory]",
          "         [--explain]",
          "  --help            print this and exit",
          "  --smoke           CI mode: 100 customers, max-actions 100, 1 warm-up + 1 measured round, max-slowdown 2",
          "  --variants        compared with stock in the same JVM; known: " + knownVariants(),
          "  --max-slowdown F  exit 1 when a variant's history stage median is more than F times stock's",
          "  --conf key=value  static session conf (e.g. spark.sql.extensions), repeatable",
          "  --data-dir DIR    where the generated inputs are written as Parquet (default: a temp dir, deleted)",
          "  --in-memory       skip Parquet: time the stages on the lazily generated inputs (default with --smoke)",
          "  --explain         print each variant's physical plans of both stages instead of timing them");

  EndToEndOptions {
    sparkConfs = Map.copyOf(sparkConfs);
    variants = List.copyOf(variants);
  }

  static EndToEndOptions parse(String... args) {
    boolean smoke = List.of(args).contains("--smoke");
    boolean inMemory = smoke || List.of(args).contains("--in-memory");
    boolean explain = List.of(args).contains("--explain");
    int customers = smoke ? 100 : 5_000;
    int warmups = 1;
    int iterations = smoke ? 1 : 3;
    String variants = String.join(",", Variants.names());
    int maxActions = smoke ? 100 : 1000;
    double maxSlowdown = smoke ? 2.0 : Double.POSITIVE_INFINITY;
    String master = "local[2]";
    int shufflePartitions = 4;
    Map<String, String> confs = new LinkedHashMap<>();
    Path dataDir = null;
    Path jsonOut = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--smoke") || flag.equals("--in-memory") || flag.equals("--explain")) {
        continue;
      }
      String value;
      int eq = flag.indexOf('=');
      if (flag.startsWith("--") && eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      switch (flag) {
        case "--customers" -> customers = positiveInt(flag, value);
        case "--warmups" -> warmups = nonNegativeInt(flag, value);
        case "--iterations" -> iterations = positiveInt(flag, value);
        case "--variants" -> variants = value;
        case "--max-actions" -> maxActions = positiveInt(flag, value);
        case "--max-slowdown" -> maxSlowdown = slowdown(value);
        case "--master" -> master = value;
        case "--shuffle-partitions" -> shufflePartitions = positiveInt(flag, value);
        case "--conf" -> {
          int sep = value.indexOf('=');
          if (sep < 1) {
            throw new IllegalArgumentException("--conf must be key=value, got '" + value + "'");
          }
          confs.put(value.substring(0, sep), value.substring(sep + 1));
        }
        case "--data-dir" -> dataDir = Path.of(value);
        case "--json" -> jsonOut = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    return new EndToEndOptions(
        customers,
        warmups,
        iterations,
        Variants.parse(variants),
        maxActions,
        maxSlowdown,
        master,
        shufflePartitions,
        confs,
        dataDir,
        jsonOut,
        inMemory,
        explain,
        smoke);
  }

  private static String knownVariants() {
    StringBuilder names = new StringBuilder();
    for (Variant v : Variants.all()) {
      names.append(names.length() == 0 ? "" : ",").append(v.name());
    }
    return names.toString();
  }

  private static int positiveInt(String flag, String value) {
    int n = integer(flag, value);
    if (n < 1) {
      throw new IllegalArgumentException(flag + " must be at least 1, got " + value);
    }
    return n;
  }

  private static int nonNegativeInt(String flag, String value) {
    int n = integer(flag, value);
    if (n < 0) {
      throw new IllegalArgumentException(flag + " must be 0 or more, got " + value);
    }
    return n;
  }

  private static int integer(String flag, String value) {
    try {
      return Integer.parseInt(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be an integer, got '" + value + "'", e);
    }
  }

  private static double slowdown(String value) {
    double f;
    try {
      f = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--max-slowdown must be a number, got '" + value + "'", e);
    }
    if (!(f >= 1.0)) {
      throw new IllegalArgumentException("--max-slowdown must be at least 1.0, got " + value);
    }
    return f;
  }
}
