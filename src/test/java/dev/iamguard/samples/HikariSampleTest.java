package dev.iamguard.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps samples/hikari-app runnable: compiles it against the test classpath and runs it. */
class HikariSampleTest {
  @TempDir
  Path classes;

  @Test
  void theHikariSampleRunsAndShowsAllowedRewrittenAndDenied() throws Exception {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    Path source = Path.of("samples/hikari-app/src/main/java/example/GuardedPoolApp.java");
    int status = compiler.run(null, null, null, "-d", classes.toString(),
        "-cp", System.getProperty("java.class.path"), source.toString());
    assertThat(status).as("javac exit status").isZero();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
      Method main = loader.loadClass("example.GuardedPoolApp").getMethod("main", String[].class);
      main.invoke(null, (Object) new String[] {"samples/registry.yaml"});
    } finally {
      System.setOut(saved);
    }
    assertThat(output.toString(StandardCharsets.UTF_8).lines()).satisfiesExactly(
        line -> assertThat(line).startsWith("UNLOAD allowed: 2 rows written under "),
        line -> assertThat(line).isEqualTo("COPY rewritten and allowed: 2 rows loaded"),
        line -> assertThat(line).startsWith("UNLOAD denied (SQLState 42501): iamguard: S3_NOT_PERMITTED"));
  }
}
