package io.traininputs.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Fork;

class BenchmarkBaseTest {
  @Test
  void forkArgumentsStartWithTheLauncherJvmOptions() throws IOException {
    List<String> launcher =
        Files.readAllLines(Path.of("..", "bin", "jvm-options")).stream().map(String::trim).filter(l -> !l.isEmpty())
            .toList();
    Fork fork = BenchmarkBase.class.getAnnotation(Fork.class);
    assertNotNull(fork, "BenchmarkBase must carry @Fork");
    List<String> forkArgs = Arrays.asList(fork.jvmArgsAppend());
    assertEquals(launcher, forkArgs.subList(0, Math.min(launcher.size(), forkArgs.size())),
        "BenchmarkBase @Fork(jvmArgsAppend) must start with the lines of bin/jvm-options");
    assertEquals(List.of("-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"), forkArgs.subList(launcher.size(), forkArgs.size()));
  }

  @Test
  void historyStageBenchmarkInheritsTheSharedSettings() {
    assertEquals(
        BenchmarkBase.class.getAnnotation(Fork.class),
        HistoryStageBenchmark.class.getSuperclass().getAnnotation(Fork.class));
  }
}
