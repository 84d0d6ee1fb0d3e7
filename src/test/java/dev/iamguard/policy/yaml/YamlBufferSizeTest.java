package dev.iamguard.policy.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The YAML reader's buffer holds a registry whole (up to a million characters): with the library's
 * default of 1,024 a token or comment longer than the buffer cost time quadratic in its length
 * (probe 24c F3: a 20 MB comment line loaded in 153 s and 2.1 GB, 6.7 s after). Timing itself is
 * not asserted here; what is: the buffer chosen for texts around the bounds, and that a document
 * with a line far longer than the old buffer still composes to the same tree.
 */
class YamlBufferSizeTest {
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1023, 1024, 1025, 70_000, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 5 << 20})
  void theBufferHoldsTheTextUpToAMillionCharacters(int length) {
    int size = YamlTree.bufferSize("x".repeat(length));

    assertThat(size).isBetween(1024, 1 << 20);
    assertThat(size).isEqualTo(Math.max(1024, Math.min(length + 1, 1 << 20)));
  }

  @ParameterizedTest
  @ValueSource(ints = {10, 5_000, 300_000, 2_000_000})
  void aLongCommentOrValueLineComposesAsAShortOne(int length) throws Exception {
    String value = "v".repeat(length);
    Optional<Node> tree = YamlTree.compose("# " + "c".repeat(length) + "\nkey: " + value + "\nother: 1\n", "t.yaml");

    assertThat(tree).get().isInstanceOf(MappingNode.class);
    MappingNode mapping = (MappingNode) tree.get();
    assertThat(mapping.getValue()).hasSize(2);
    assertThat(((org.snakeyaml.engine.v2.nodes.ScalarNode) mapping.getValue().get(0).getValueNode()).getValue())
        .isEqualTo(value);
  }
}
