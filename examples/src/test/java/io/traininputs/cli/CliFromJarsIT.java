package io.traininputs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI where a Spark distribution is installed: {@code spark-submit --jars <runtime jar> --class
 * io.traininputs.cli.TrainingInputsCli <CLI jar> demo ...}, i.e. SparkSubmit on a class path of Spark's jars alone.
 */
class CliFromJarsIT {
  private static final int TRAIN_DAYS = 14;

  @Test
  void theCliRunsFromItsTwoJarsOnSparksClassPath(@TempDir Path dir) throws Exception {
    Path runtimeJar = existing("runtime.jar");
    Path cliJar = existing("cli.jar");
    Path out = dir.resolve("out");
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(System.getProperty("spark.jvm.opens").trim().split("\\s+")));
    cmd.addAll(List.of("-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", sparkClassPath(),
        "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]", "--jars", runtimeJar.toString(),
        "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--class", TrainingInputsCli.class.getName(), cliJar.toString(),
        "demo", "--customers", "20", "--out", out.toString()));
    Path log = dir.resolve("cli.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the CLI did not finish in 5 minutes");
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("history plan      TopNHistory / as-of extension"), output);
    assertTrue(Files.exists(out.resolve("_SUCCESS")), output);
    try (Stream<Path> partitions = Files.list(out)) {
      assertEquals(TRAIN_DAYS, partitions.filter(d -> d.getFileName().toString().startsWith("as_of_date="))
          .count(), output);
    }
  }

  private static Path existing(String property) {
    Path jar = Paths.get(System.getProperty(property));
    assertTrue(Files.isRegularFile(jar), jar + " is missing: build it first (mvn -B -pl runtime,examples -am verify)");
    return jar;
  }

  /** The test's class path less this project's jars, classes and test tools: what Spark's jars/ holds. */
  private static String sparkClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> {
          String name = new File(e).getName();
          return !name.startsWith("training-inputs-") && !name.startsWith("picocli-")
              && !e.contains(File.separator + "target" + File.separator) && !e.contains("junit")
              && !e.contains("opentest4j") && !e.contains("apiguardian") && !e.contains("surefire");
        })
        .collect(Collectors.joining(File.pathSeparator));
  }
}
