package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --cluster}: with a registry of several clusters and a URL that does not tell which
 * (H2), the statements are decided for the cluster named (red-team review: run had no such option,
 * and its denials' remedy named "--cluster for the CLI").
 */
class RunClusterOptionTest {
  private static final String UNLOAD = "unload ('select 1') to 's3://acmedata/redshift/unload/u_' "
      + "iam_role 'arn:aws:iam::123456789012:role/RedshiftCopyUnload' allowoverwrite;\n";

  @TempDir
  Path dir;

  /** The sample registry with a second cluster listed first, to which only RoleA is attached. */
  private Path twoClusters() throws Exception {
    String sample = Files.readString(Path.of("samples/registry.yaml"));
    String other = "clusters:\n  - id: other-cluster\n    account: \"123456789012\"\n    region: us-west-2\n"
        + "    attached_roles:\n      - arn:aws:iam::123456789012:role/RoleA\n";
    assertThat(sample).contains("clusters:\n");
    return Files.writeString(dir.resolve("two.yaml"), sample.replace("clusters:\n", other));
  }

  private CliRun run(Path registry, String... cluster) throws Exception {
    Path script = Files.writeString(dir.resolve("u.sql"), UNLOAD);
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--url", RunCommandTest.h2(),
        "--registry", registry.toString(), "--user", "user1", "--local-s3", dir.resolve("s3").toString()));
    args.addAll(java.util.List.of(cluster));
    args.add(script.toString());
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void theClusterNamedDecides() throws Exception {
    Path registry = twoClusters();
    CliRun mine = run(registry, "--cluster", "my-cluster");
    assertThat(mine.code()).as(mine.err()).isZero();
    assertThat(mine.out()).contains("[1] UNLOAD ALLOW");
    CliRun other = run(registry, "--cluster", "other-cluster");
    assertThat(other.code()).isEqualTo(1);
    assertThat(other.err()).contains("ROLE_NOT_ATTACHED");
    CliRun none = run(registry);
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).contains("ROLE_NOT_ATTACHED").contains("--cluster for the CLI");
  }

  @Test
  void anEmptyClusterIsRefusedBeforeAnythingRuns() throws Exception {
    for (String empty : new String[] {"", " "}) {
      CliRun run = run(Path.of("samples/registry.yaml"), "--cluster", empty);
      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains("--cluster is empty");
      assertThat(run.out()).doesNotContain("UNLOAD");
    }
  }
}
