package io.traininputs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime jar as a user adds it: a Spark application started by {@code SparkSubmit} with a class path of Spark's
 * jars alone and the runtime jar in {@code spark.jars}, plus what the jar must and must not hold.
 */
class RuntimeJarIT {
  private static final String EXTENSIONS = "io.traininputs.catalyst.TrainingInputsExtensions";
  private static final long MAX_BYTES = 2L * 1024 * 1024;

  private final Path runtimeJar = Paths.get(System.getProperty("runtime.jar"));

  @Test
  void holdsOnlyThisProjectsClassesAndTheFormatsServiceFile() throws IOException {
    long size = Files.size(runtimeJar);
    assertTrue(size < MAX_BYTES, runtimeJar + " is " + size + " bytes, over 2 MiB");
    try (JarFile jar = new JarFile(runtimeJar.toFile())) {
      List<String> foreign = Collections.list(jar.entries()).stream().map(JarEntry::getName)
          .filter(n -> n.endsWith(".class") && !n.startsWith("io/traininputs/")).collect(Collectors.toList());
      assertEquals(List.of(), foreign, "classes that are not this project's");
      assertTrue(jar.getJarEntry("io/traininputs/catalyst/TrainingInputsExtensions.class") != null);
      assertTrue(jar.getJarEntry("io/traininputs/connector/TrainingInputsTable.class") != null);
      assertEquals(List.of("io.traininputs.connector.TrainingInputsSource"),
          serviceLines(jar, "META-INF/services/org.apache.spark.sql.sources.DataSourceRegister"));
      assertEquals(null, jar.getJarEntry("META-INF/services/org.apache.spark.sql.SparkSessionExtensionsProvider"),
          "the extension is turned on by spark.sql.extensions only");
    }
  }

  @Test
  void aSparkApplicationWithOnlyTheRuntimeJarAddedGetsTheOperatorsAndTheFormat(@TempDir Path dir) throws Exception {
    Path appJar = applicationJar(dir.resolve("user-app.jar"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(System.getProperty("spark.jvm.opens").trim().split("\\s+")));
    cmd.addAll(List.of("-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", sparkClassPath(),
        "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]",
        "--conf", "spark.jars=" + runtimeJar.toAbsolutePath(),
        "--conf", "spark.sql.extensions=" + EXTENSIONS,
        "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.sql.shuffle.partitions=4",
        "--class", RuntimeJarApplication.class.getName(), appJar.toString(), dir.resolve("out").toString()));
    Path log = dir.resolve("app.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the application did not finish in 5 minutes");
    String output = Files.readString(log, StandardCharsets.UTF_8);
    List<String> checks = output.lines().filter(l -> l.startsWith("CHECK ")).collect(Collectors.toList());
    checks.forEach(System.out::println);
    String tail = output.substring(Math.max(0, output.length() - 6000));
    assertEquals(0, p.exitValue(), tail);
    assertEquals(5, checks.size(), tail);
    assertTrue(checks.stream().allMatch(l -> l.contains(" ok (")), String.join("\n", checks));
  }

  /** The test's class path less this project's modules and test classes: what a Spark distribution's jars/ holds. */
  private static String sparkClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !new File(e).getName().startsWith("training-inputs-"))
        .filter(e -> !e.contains(File.separator + "target" + File.separator) && !e.contains("junit")
            && !e.contains("opentest4j") && !e.contains("apiguardian") && !e.contains("surefire"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** The user's application jar: the one class, which refers to this project by names only. */
  private static Path applicationJar(Path jar) throws IOException {
    String prefix = RuntimeJarApplication.class.getName().replace('.', '/');
    Path classes = Paths.get(System.getProperty("basedir", "."), "target", "test-classes");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        var files = Files.walk(classes)) {
      List<Path> app = files.filter(f -> classes.relativize(f).toString().startsWith(prefix))
          .collect(Collectors.toList());
      for (Path f : app) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
    }
    return jar;
  }

  private static List<String> serviceLines(JarFile jar, String name) throws IOException {
    JarEntry entry = jar.getJarEntry(name);
    assertTrue(entry != null, name + " is missing");
    try (InputStream in = jar.getInputStream(entry)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
    }
  }
}
