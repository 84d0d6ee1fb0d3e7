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
 * Condition key names are not case-sensitive, so one {@code request_context} naming a key in two
 * spellings names it twice: refused, naming both, as a Condition block's keys are. The last spelling
 * silently won before (red-team review: {@code aws:SourceVpce: vpce-bad} then {@code AWS:SOURCEVPCE:
 * vpce-good} turned a Deny into an Allow).
 *
 * <p>Generated: key pairs (global, service, tag keys; upper, lower, mixed case; the spellings either way
 * round) x values (text, list, null for an absent key, in either order) x the cluster's and a role's
 * {@code request_context}, in YAML and JSON.
 */
class RequestContextKeyCaseTest {
  @TempDir
  Path dir;

  private static final List<List<String>> PAIRS = List.of(
      List.of("aws:SourceVpce", "AWS:SOURCEVPCE"), List.of("AWS:SOURCEVPCE", "aws:SourceVpce"),
      List.of("aws:sourcevpce", "aws:SourceVpce"), List.of("aws:PrincipalTag/team", "aws:principaltag/TEAM"),
      List.of("s3:ExistingObjectTag/x", "S3:existingobjecttag/X"), List.of("aws:PrincipalOrgID", "aws:principalOrgId"));
  private static final List<List<String>> VALUES = List.of(List.of("vpce-bad", "vpce-good"),
      List.of("[vpce-a, vpce-b]", "vpce-c"), List.of("null", "vpce-good"), List.of("vpce-good", "null"));

  static Stream<Arguments> spellings() {
    List<Arguments> all = new ArrayList<>();
    for (List<String> pair : PAIRS) {
      for (List<String> values : VALUES) {
        for (String where : List.of("cluster", "role")) {
          all.add(Arguments.of(pair.get(0), pair.get(1), values.get(0), values.get(1), where, false));
        }
      }
      all.add(Arguments.of(pair.get(0), pair.get(1), "vpce-bad", "vpce-good", "role", true));
    }
    return all.stream();
  }

  private static String registry(String first, String second, String value1, String value2, String where, boolean json) {
    if (json) {
      String context = "\"request_context\": {\"" + first + "\": \"" + value1 + "\", \"" + second + "\": \"" + value2 + "\"}";
      return "{\"version\": 1, \"clusters\": [{\"id\": \"c1\", \"account\": \"123456789012\", \"region\": \"us-west-2\","
          + " \"attached_roles\": [\"arn:aws:iam::123456789012:role/R\"]" + (where.equals("cluster") ? ", " + context : "")
          + "}], \"roles\": [{\"arn\": \"arn:aws:iam::123456789012:role/R\"" + (where.equals("role") ? ", " + context : "")
          + "}]}";
    }
    String context = "request_context:\n      " + first + ": " + value1 + "\n      " + second + ": " + value2 + "\n";
    return "version: 1\nclusters:\n  - id: c1\n    account: \"123456789012\"\n    region: us-west-2\n"
        + "    attached_roles: [arn:aws:iam::123456789012:role/R]\n" + (where.equals("cluster") ? "    " + context : "")
        + "roles:\n  - arn: arn:aws:iam::123456789012:role/R\n" + (where.equals("role") ? "    " + context : "");
  }

  @ParameterizedTest(name = "{4}: {0}: {2}, {1}: {3} (JSON {5})")
  @MethodSource("spellings")
  void twoSpellingsOfOneKeyAreRefusedNamingBoth(String first, String second, String value1, String value2,
      String where, boolean json) {
    RegistryException e = assertThrows(RegistryException.class,
        () -> RegistryLoader.parse(registry(first, second, value1, value2, where, json), "r.yaml", dir));

    assertThat(e.problems()).singleElement().asString()
        .contains((where.equals("cluster") ? "clusters[0]" : "roles[0]") + ".request_context." + second)
        .contains("\"" + second + "\" and \"" + first + "\"").contains("not case-sensitive");
  }
}
