package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.policy.iam.RoleArn;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A registry of a large organisation: 16,000 roles make a document of about 3.6 MB, over the YAML
 * engine's default limit of 3 MB, which refused it. Its roles are all there, and a duplicate at
 * its end is still found (by lookup now, no longer by comparing every pair).
 */
class RegistryScaleTest {
  private static final int ROLES = 16_000;

  private static String registry(String extra) {
    StringBuilder yaml = new StringBuilder("version: 1\nroles:\n");
    for (int i = 0; i < ROLES; i++) {
      yaml.append("  - arn: arn:aws:iam::123456789012:role/etl/Loader").append(i).append('\n')
          .append("    alias: loader-").append(i).append('\n')
          .append("    allow:\n      s3_read: [\"s3://data-lake-").append(i % 100).append("/team/").append(i)
          .append("/\", \"s3://shared-bucket/exports/").append(i).append("/\"]\n")
          .append("      s3_write: [\"s3://data-lake-").append(i % 100).append("/unload/").append(i).append("/\"]\n");
    }
    return yaml.append(extra).toString();
  }

  @Test
  void aRegistryOverThreeMegabytesLoadsWhole() throws Exception {
    String text = registry("");
    assertThat(text.length()).isGreaterThan(3 * 1024 * 1024); // the engine's default limit, in code points

    Registry registry = RegistryLoader.parse(text, "big.yaml", Path.of("."));

    assertThat(registry.roles()).hasSize(ROLES);
    assertThat(registry.role(RoleArn.of("arn:aws:iam::123456789012:role/etl/Loader15999"))).isPresent();
  }

  @Test
  void aDuplicateAfterThousandsOfRolesNamesTheFirst() {
    String text = registry("  - arn: arn:aws:iam::123456789012:role/LOADER7\n");

    assertThatThrownBy(() -> RegistryLoader.parse(text, "big.yaml", Path.of(".")))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("roles[" + ROLES + "].arn: duplicate role arn:aws:iam::123456789012:role/LOADER7: "
            + "arn:aws:iam::123456789012:role/etl/Loader7 is already defined at line " + (3 + 7 * 5));
  }
}
