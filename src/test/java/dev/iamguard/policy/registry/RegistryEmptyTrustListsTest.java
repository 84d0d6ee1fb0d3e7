package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An empty list in a short-form trust never loads: {@code regions: []} and {@code db_users: []}
 * would trust nobody, and {@code principals: []} would turn a role meant to be trusted only by
 * the role before it in a chain into one Redshift may assume directly in every region for every
 * user (a trust without principals trusts Redshift). Whatever the author meant, the registry must
 * not silently grant the widest reading.
 *
 * <p>Generated: 3 keys x 6 spellings of an empty list (YAML flow, spaced, split over lines, with a
 * comment, JSON), each beside valid other keys.
 */
class RegistryEmptyTrustListsTest {
  private static final String ROLE_A = "arn:aws:iam::123456789012:role/RoleA";
  private static final String ROLE_B = "arn:aws:iam::123456789012:role/RoleB";

  @TempDir
  Path dir;

  static Stream<Arguments> emptyLists() {
    List<String> spellings = List.of("[]", "[ ]", "[\n        ]", "[]   # none yet", "[  ]\n", "[\n\n  ]");
    List<Arguments> all = new ArrayList<>();
    for (String key : List.of("regions", "db_users", "principals")) {
      for (String empty : spellings) {
        all.add(Arguments.of(key, empty, false));
      }
      all.add(Arguments.of(key, "[]", true));
    }
    return all.stream();
  }

  private static String others(String key, boolean json) {
    List<String> fields = new ArrayList<>();
    if (!key.equals("principals")) {
      fields.add(json ? "\"principals\": [\"" + ROLE_A + "\"]" : "principals: [" + ROLE_A + "]");
    }
    if (!key.equals("regions")) {
      fields.add(json ? "\"regions\": [\"us-west-2\"]" : "regions: [us-west-2]");
    }
    return String.join(json ? ", " : "\n      ", fields);
  }

  @ParameterizedTest(name = "{0}: {1} (JSON {2})")
  @MethodSource("emptyLists")
  void anEmptyTrustListDoesNotLoad(String key, String empty, boolean json) {
    String registry = json
        ? "{\"version\": 1, \"roles\": [{\"arn\": \"" + ROLE_B + "\", \"trust\": {\"" + key + "\": " + empty + ", "
            + others(key, true) + "}}]}"
        : "version: 1\nroles:\n  - arn: " + ROLE_B + "\n    trust:\n      " + key + ": " + empty + "\n      "
            + others(key, false) + "\n";

    RegistryException e = assertThrows(RegistryException.class, () -> RegistryLoader.parse(registry, "r.yaml", dir));

    assertThat(e.problems()).singleElement().asString()
        .contains("roles[0].trust." + key + ": empty list");
  }

  static Stream<Arguments> emptyTrusts() {
    List<Arguments> all = new ArrayList<>();
    for (String empty : List.of("{}", "{ }", "{\n      }", "{}   # none yet", "{\n\n    }")) {
      all.add(Arguments.of(empty, false));
    }
    all.add(Arguments.of("{}", true));
    all.add(Arguments.of("{ }", true));
    return all.stream();
  }

  /**
   * {@code trust: {}} read as written restricts nothing, as a role without trust: Redshift in every
   * region for every user, the widest reading, where the emptied lists above read as "nobody" (red-team
   * review: it loaded with no warning). A role without {@code trust} still loads.
   */
  @ParameterizedTest(name = "trust: {0} (JSON {1})")
  @MethodSource("emptyTrusts")
  void anEmptyTrustMappingDoesNotLoad(String empty, boolean json) throws RegistryException {
    String registry = json
        ? "{\"version\": 1, \"roles\": [{\"arn\": \"" + ROLE_B + "\", \"trust\": " + empty + "}]}"
        : "version: 1\nroles:\n  - arn: " + ROLE_B + "\n    trust: " + empty + "\n";

    RegistryException e = assertThrows(RegistryException.class, () -> RegistryLoader.parse(registry, "r.yaml", dir));

    assertThat(e.problems()).singleElement().asString()
        .contains("roles[0].trust: empty mapping").contains("none of its readings is safe")
        .contains("remove the key").contains("regions, db_users or principals");
    assertThat(RegistryLoader.parse("version: 1\nroles:\n  - arn: " + ROLE_B + "\n", "r.yaml", dir).roles())
        .as("no trust: Redshift in every region, as before").singleElement()
        .satisfies(role -> assertThat(role.trust()).contains(TrustConfig.DEFAULT));
  }
}
