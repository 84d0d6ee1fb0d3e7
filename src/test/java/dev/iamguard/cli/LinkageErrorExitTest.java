package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.StandInDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A class that cannot be loaded or linked (a {@link LinkageError}) ends a command with exit 2 and one
 * line saying which class and what to do, never the JVM's stack trace and exit 1. Found by the red
 * team with {@code run --url jdbc:iamguard:redshift:iam://...}: the Redshift driver's IAM login needs
 * the AWS SDK, which the CLI jar (and this test's classpath) does not carry. Each kind of
 * LinkageError a target driver may throw while connecting is thrown here by a stand-in driver.
 */
class LinkageErrorExitTest {
  private static final String REGISTRY = "samples/registry.yaml";

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"jdbc:iamguard:redshift:iam://127.0.0.1:1/db", "jdbc:redshift:iam://127.0.0.1:1/db",
      "jdbc:iamguard:redshift:iam://my-cluster:us-west-2/dev?AutoCreate=true"})
  void redshiftIamWithoutTheAwsSdkSaysWhatToDo(String url) throws Exception {
    Path script = Files.writeString(dir.resolve("s.sql"), "select 1;\n");
    CliRun run = CliRun.of("run", "--url", url, "--registry", REGISTRY, "--user", "user1", script.toString());
    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err()).contains("AWS SDK").contains("software/amazon/awssdk").contains("--password-env")
        .contains("java -cp").doesNotContain("\tat ").doesNotContain("Exception in thread");
    assertThat(run.err().lines().count()).isEqualTo(1);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("NoClassDefFoundError", (Supplier<LinkageError>) () -> new NoClassDefFoundError("org/example/Missing"),
            "org/example/Missing"),
        Arguments.of("NoSuchMethodError", (Supplier<LinkageError>) () -> new NoSuchMethodError("'void org.example.A.b()'"),
            "org.example.A.b()"),
        Arguments.of("ExceptionInInitializerError",
            (Supplier<LinkageError>) () -> new ExceptionInInitializerError("static init of org.example.C"),
            "org.example.C"),
        Arguments.of("AbstractMethodError", (Supplier<LinkageError>) () -> new AbstractMethodError("org.example.D.e()"),
            "org.example.D.e()"),
        Arguments.of("an AWS SDK v1 class", (Supplier<LinkageError>) () -> new NoClassDefFoundError(
            "com/amazonaws/auth/AWSCredentialsProvider"), "AWS SDK"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void aLinkageErrorWhileConnectingIsOneLineAndExit2(String name, Supplier<LinkageError> error, String named)
      throws Exception {
    Path script = Files.writeString(dir.resolve("s.sql"), "select 1;\n");
    BrokenDriver driver = new BrokenDriver(error);
    DriverManager.registerDriver(driver);
    try {
      CliRun run = CliRun.of("run", "--url", "jdbc:iamguard:linkagebroken://host:5439/dev", "--registry", REGISTRY,
          "--user", "user1", script.toString());
      assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.ERROR);
      assertThat(run.err()).startsWith("iamguard: ").contains(named).doesNotContain("\tat ");
      assertThat(run.err().lines().count()).isEqualTo(1);
      assertThat(driver.connects).as("the stand-in driver was reached").isPositive();
    } finally {
      DriverManager.deregisterDriver(driver);
    }
  }

  /** A target driver whose every connect fails with a LinkageError. */
  private static final class BrokenDriver extends StandInDriver {
    private final Supplier<LinkageError> error;
    int connects;

    BrokenDriver(Supplier<LinkageError> error) {
      super("jdbc:linkagebroken:");
      this.error = error;
    }

    @Override
    protected Connection connectAccepted(String url, Properties info) {
      connects++;
      throw error.get();
    }
  }
}
