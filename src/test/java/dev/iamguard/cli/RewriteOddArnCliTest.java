package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code iamguard rewrite} (stdout, --diff, --in-place) with a registry ARN whose path holds a
 * quote, a backslash or a dollar sign: the script is denied (exit 1), no output carries the ARN
 * and an --in-place file keeps its bytes. Without the fix each run printed (or wrote) the ARN raw
 * between quotes, so path {@code /';select/**}{@code /1;--/} gave a script holding a second
 * statement nobody decided. Decision-level variants: policy.RewriteOddArnTest.
 */
class RewriteOddArnCliTest {
  static final String ACCOUNT = "111122223333";

  @TempDir
  Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String path : List.of("/';select/**/1;--/", "/a'b/", "/a\\b/", "/$$/", "/x$y/")) {
      for (String value : List.of("'odd'", "'ODD'  ", "default")) {
        for (String mode : List.of("stdout", "--diff", "--in-place")) {
          cases.add(Arguments.of(path, value, mode));
        }
      }
    }
    return cases.stream();
  }

  static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void anUnsafeArnIsNeitherPrintedNorWritten(String path, String value, String mode) throws IOException {
    String odd = "arn:aws:iam::" + ACCOUNT + ":role" + path + "Odd";
    Path registry = dir.resolve("registry.yaml");
    Files.writeString(registry, "version: 1\nclusters:\n  - id: west\n    account: \"" + ACCOUNT + "\"\n"
        + "    region: us-west-2\n    attached_roles: [" + quoted(odd) + "]\n    default_role: " + quoted(odd) + "\n"
        + "roles:\n  - arn: " + quoted(odd) + "\n    alias: odd\n    trust:\n      regions: [\"*\"]\n"
        + "    allow:\n      s3_read: [\"s3://data/in/\"]\n"
        + "policy:\n  rewrite_aliases: true\n  rewrite_default_role: true\n");
    String script = "-- load, café\r\nselect 1;\ncopy t from 's3://data/in/x'\tiam_role " + value + " csv;\n";
    Path file = dir.resolve("load.sql");
    Files.writeString(file, script);

    List<String> args = new ArrayList<>(List.of("rewrite", "--registry", registry.toString(), "--user", "user1"));
    if (!mode.equals("stdout")) {
      args.add(mode);
    }
    args.add(file.toString());
    CliRun run = CliRun.of(args.toArray(String[]::new));

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.DENIED);
    assertThat(run.err()).contains("ARN_MALFORMED");
    assertThat(run.out()).doesNotContain(odd);
    assertThat(Files.readString(file)).isEqualTo(script);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("registry.yaml", "load.sql");
    }
  }
}
