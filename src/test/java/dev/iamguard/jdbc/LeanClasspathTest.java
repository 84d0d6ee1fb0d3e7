package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that uses only the driver gets neither picocli (the CLI's) nor JSqlParser
 * (reports'): both are optional dependencies. Proven by running {@link LeanClasspathApp} in a new
 * JVM over iamguard's classes and the driver's required dependencies (SLF4J API, SnakeYAML Engine)
 * plus the target driver the application brings (H2): an allowed and a denied statement behave as
 * always, and the tables of an embedded query are unknown instead of failing.
 */
class LeanClasspathTest {
  @TempDir
  Path s3;

  @Test
  void theDriverRunsWithoutTheCliAndReportDependencies() throws Exception {
    List<Path> classpath = List.of(codeSource(Driver.class), codeSource(LeanClasspathApp.class),
        codeSource(org.slf4j.LoggerFactory.class), codeSource(org.snakeyaml.engine.v2.api.LoadSettings.class),
        codeSource(org.h2.Driver.class));
    assertThat(classpath).doesNotContain(codeSource(picocli.CommandLine.class),
        codeSource(net.sf.jsqlparser.parser.CCJSqlParserUtil.class));

    Process app = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
        LeanClasspathApp.class.getName(), TestRegistry.path().toString(), s3.toString())
        .redirectErrorStream(true).start();
    app.getOutputStream().close();
    String output = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(app.waitFor(2, TimeUnit.MINUTES)).as(output).isTrue();

    assertThat(app.exitValue()).as(output).isZero();
    assertThat(output.lines()).as(output).contains("picocli absent", "jsqlparser absent", "allowed select 7",
        "allowed unload 1 file", "denied 42501 true", "reads []");
  }

  private static Path codeSource(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
