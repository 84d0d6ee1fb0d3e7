package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the access report's chain search stopped (roles that may follow one another in more than
 * 10,000 chains) is said by every command that reads the report: {@code access} in text, JSON and
 * HTML, {@code registry validate} and {@code registry diff}.
 */
class AccessSearchCutCliTest {
  private static final String NOTE = "on cluster my-cluster the roles may follow one another in more chains than the "
      + "10000 asked about for (any other user): every chain of up to 6 roles is listed, longer ones only in part";

  @TempDir
  static Path dir;
  static Path registry;

  /**
   * Seven attached roles, each of which may assume and trusts every other. Breadth first, the search
   * asks about 7 chains of 1 role, 42 of 2, 210 of 3, 840 of 4, 2,520 of 5 and 5,040 of 6 (8,659 in
   * all) and stops among the 5,040 of 7, at 10,000: every chain of up to 6 roles is listed.
   */
  @BeforeAll
  static void clique() throws Exception {
    registry = Files.writeString(dir.resolve("clique.yaml"), dev.iamguard.policy.access.Cliques.yaml(7, 7));
  }

  @Test
  void accessSaysWhereTheSearchStoppedInEveryFormat() {
    CliRun text = CliRun.of("access", "--registry", registry.toString());
    CliRun json = CliRun.of("access", "--registry", registry.toString(), "--format", "json");
    CliRun html = CliRun.of("access", "--registry", registry.toString(), "--format", "html");

    assertThat(text.code()).isZero();
    assertThat(text.out().lines().toList()).last().asString().startsWith("note: " + NOTE);
    List<Map<String, Object>> cuts = CheckCommandTest.at(json.json(), "cuts");
    assertThat(cuts).containsExactly(Map.of("cluster", "my-cluster", "principal", "(any other user)",
        "chains_asked", 10000, "complete_up_to", 6));
    assertThat(html.out()).contains("<strong>Incomplete:</strong> " + NOTE);
  }

  @Test
  void validateAndDiffSayItToo() {
    CliRun validate = CliRun.of("registry", "validate", registry.toString());
    CliRun diff = CliRun.of("registry", "diff", registry.toString(), registry.toString());

    assertThat(validate.out()).contains("warning CHAIN_SEARCH_CUT policy.max_chain: " + NOTE)
        .doesNotContain("warning ROLE_UNUSABLE");
    assertThat(diff.code()).isZero();
    assertThat(diff.out()).isEqualTo("0 gained, 0 lost\nnote: " + NOTE + "; narrow the Resource of the roles' "
        + "sts:AssumeRole permissions (or their trust), or lower policy.max_chain, for a complete report\n");
  }

  /**
   * Two files may differ beyond the cut (probe 21a F8: a role at the end of a long chain reading
   * another bucket diffed as nothing gained, exit 0): the gate fails, saying why, even when the
   * chains asked about show nothing gained.
   */
  @Test
  void aDiffOfTwoFilesWithACutSearchFailsTheGate() throws Exception {
    Path copy = Files.copy(registry, dir.resolve("clique-copy.yaml"));

    CliRun diff = CliRun.of("registry", "diff", registry.toString(), copy.toString());

    assertThat(diff.code()).isEqualTo(1);
    assertThat(diff.out()).startsWith("0 gained, 0 lost\nnote: " + NOTE);
    assertThat(diff.err()).contains("the chain search was cut, so a gain through a longer chain cannot be ruled out");
  }
}
