package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A managed policy has one default version, the one IAM evaluates. An export that names two
 * (two versions flagged {@code IsDefaultVersion}, or a flag and a {@code DefaultVersionId} that
 * disagree) cannot say which document IAM uses: taking whichever comes last could import a
 * permissive old version in place of the restrictive default. The import names the policy.
 *
 * <p>Generated: 6 contradictory shapes x 2 orders of the versions (a DefaultVersionId naming a version
 * the list does not hold, beside a flagged one, took the flagged one); 3 consistent shapes as controls.
 */
class ManagedPolicyDefaultVersionTest {
  private static final String A = "{\"VersionId\": \"v1\", \"IsDefaultVersion\": %s, \"Document\": {\"Statement\": \"a\"}}";
  private static final String B = "{\"VersionId\": \"v2\", \"IsDefaultVersion\": %s, \"Document\": {\"Statement\": \"b\"}}";

  private static List<String> read(String defaultId, String v1, String v2, boolean reversed) throws Exception {
    List<String> versions = new ArrayList<>(List.of(A.formatted(v1), B.formatted(v2)));
    if (reversed) {
      java.util.Collections.reverse(versions);
    }
    String json = "{\"Policies\": [{\"Arn\": \"arn:aws:iam::123456789012:policy/P\", \"PolicyName\": \"P\""
        + (defaultId == null ? "" : ", \"DefaultVersionId\": \"" + defaultId + "\"")
        + ", \"PolicyVersionList\": [" + String.join(", ", versions) + "]}]}";
    List<String> problems = new ArrayList<>();
    IamAccountReader reader = new IamAccountReader(problems);
    for (AwsJson.Document d : AwsJson.read(json, "x.json")) {
      reader.read(d, "x.json");
    }
    if (problems.isEmpty()) {
      return List.of("document " + reader.policies().get("arn:aws:iam::123456789012:policy/P").document());
    }
    return problems;
  }

  static Stream<Arguments> contradictory() {
    List<Arguments> all = new ArrayList<>();
    for (String[] shape : List.of(new String[] {null, "true", "true"}, new String[] {"v2", "true", "false"},
        new String[] {"v1", "false", "true"}, new String[] {"v2", "true", "true"},
        // DefaultVersionId names a version the list does not hold: the flagged one is not the default either
        new String[] {"v3", "true", "false"}, new String[] {"v3", "false", "true"})) {
      for (boolean reversed : List.of(false, true)) {
        all.add(Arguments.of(shape[0], shape[1], shape[2], reversed));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "DefaultVersionId {0}, v1 {1}, v2 {2}, reversed {3}")
  @MethodSource("contradictory")
  void twoDefaultVersionsAreNamed(String defaultId, String v1, String v2, boolean reversed) throws Exception {
    assertThat(read(defaultId, v1, v2, reversed)).singleElement().asString()
        .startsWith("x.json: Policies[0].PolicyVersionList: ").contains("default");
  }

  static Stream<Arguments> consistent() {
    return Stream.of(Arguments.of(null, "false", "true", "b"), Arguments.of("v1", "true", "false", "a"),
        Arguments.of("v2", "false", "false", "b"));
  }

  @ParameterizedTest(name = "DefaultVersionId {0}, v1 {1}, v2 {2}")
  @MethodSource("consistent")
  void oneDefaultVersionIsTaken(String defaultId, String v1, String v2, String statement) throws Exception {
    for (boolean reversed : List.of(false, true)) {
      assertThat(read(defaultId, v1, v2, reversed)).containsExactly("document {Statement=" + statement + "}");
    }
  }
}
