package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.yaml.YamlTree;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Registries, IAM documents and AWS CLI JSON with a char outside the BMP wherever it stands, at the
 * edges of the YAML library's buffer above all (1,024 chars by default; the registry's buffer holds
 * up to a million): the library read the second half of the pair past the end of its buffer and
 * threw IndexOutOfBoundsException out of loading (found with a 4 MB value of emoji in a registry).
 * Each text loads, with the value written.
 */
class AstralCharAtYamlBufferEdgeTest {
  private static final String[] ASTRAL = {"\uD83D\uDE00", "\uD834\uDD1E"};

  @Test
  void documentsLoadWhereverACharOutsideTheBmpStands() throws Exception {
    for (String astral : ASTRAL) {
      for (int pad = 990; pad < 1060; pad++) {
        String value = "a".repeat(pad) + astral + "b";
        String at = astral + " at " + pad;
        assertThat(YamlTree.compose("note: \"" + value + "\"\n", "t").orElseThrow().toString()).as(at).contains("b");
        IamPolicy policy = IamPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
            + " \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/" + value + "\"}]}", "p.json");
        assertThat(policy.kind()).as(at).isEqualTo(IamPolicy.Kind.PERMISSIONS);
        var documents = AwsJson.read("{\"Roles\": [{\"RoleName\": \"" + value + "\"}]}", "cli.json");
        assertThat(documents).as(at).hasSize(1);
        assertThat(((Map<?, ?>) documents.get(0).value()).toString()).as(at).contains(value);
        assertThat(RegistryLoader.parse("# " + value + "\nversion: 1\n", "r.yaml", null)).as(at).isNotNull();
      }
    }
    // past the registry's own buffer of a million chars: the pair split by the library's extra read
    for (int shift = 0; shift < 2; shift++) {
      String comment = "# " + "a".repeat((1 << 20) - 2 + shift) + ASTRAL[0].repeat(4) + "\n";
      assertThat(RegistryLoader.parse(comment + "version: 1\n", "r.yaml", null)).as("shift " + shift).isNotNull();
    }
  }
}
