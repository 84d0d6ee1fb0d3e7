package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.S3Prefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Suggestion#fileStems} names each role's IAM documents so that no two roles share a file,
 * ignoring case (file systems that ignore it keep one file for both), over a class of role sets:
 * every pair, and seeded random sets of up to six, of roles drawn from accounts, partitions, paths and
 * names that differ only in case, that read as another account's qualified stem
 * ({@code role/111111111111-R1}) or that join path segments ({@code role/a/b} and {@code role/a-b}).
 * Roles IAM could not hold both of (one partition, account and name, two paths) are the only ones
 * {@link Suggestion#fileStemClash} names, and a name no other role's reads as stays the stem alone.
 */
class SuggestFileStemsTest {
  private static final List<String> PARTITIONS = List.of("aws", "aws-cn");
  private static final List<String> ACCOUNTS = List.of("111111111111", "222222222222", "333333333333");
  private static final List<String> PATHS = List.of("/", "/a/", "/a/b/", "/A/");
  private static final List<String> NAMES = List.of("R1", "r1", "111111111111-R1", "222222222222-r1",
      "aws-cn-111111111111-R1", "a-b", "A-B", "b", "a", "Loader", "registry", "x.trust");

  private static final List<RoleArn> POOL = pool();

  private static List<RoleArn> pool() {
    List<RoleArn> pool = new ArrayList<>();
    for (String partition : PARTITIONS) {
      for (String account : ACCOUNTS) {
        for (String path : PATHS) {
          for (String name : NAMES) {
            pool.add(RoleArn.of("arn:" + partition + ":iam::" + account + ":role" + path + name));
          }
        }
      }
    }
    return pool;
  }

  @Test
  void everyPairOfRolesGetsFilesOfItsOwnOrIsNamedAsAClash() {
    int checked = 0;
    for (int i = 0; i < POOL.size(); i++) {
      for (int j = i + 1; j < POOL.size(); j++) {
        if (!POOL.get(i).equals(POOL.get(j))) {
          holds(List.of(POOL.get(i), POOL.get(j)));
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(40_000);
  }

  @Test
  void randomSetsOfRolesGetFilesOfTheirOwnOrAreNamedAsAClash() {
    Random random = new Random(20261205);
    int clashes = 0;
    for (int n = 0; n < 20_000; n++) {
      Set<RoleArn> roles = new LinkedHashSet<>();
      int size = 2 + random.nextInt(5);
      while (roles.size() < size) {
        roles.add(POOL.get(random.nextInt(POOL.size())));
      }
      clashes += holds(new ArrayList<>(roles)) ? 1 : 0;
    }
    assertThat(clashes).as("some sets hold roles IAM cannot hold both of").isPositive().isLessThan(20_000);
  }

  @Test
  void theDefectsExamplesGetThreeFiles() {
    Suggestion s = suggestion(List.of(RoleArn.of("arn:aws:iam::111111111111:role/R1"),
        RoleArn.of("arn:aws:iam::222222222222:role/R1"), RoleArn.of("arn:aws:iam::333333333333:role/111111111111-R1")));
    assertThat(s.fileStems().values()).containsExactly("111111111111-R1", "222222222222-R1",
        "333333333333-111111111111-R1");
    assertThat(s.fileStemClash()).isEmpty();
  }

  /**
   * Checks one set of roles; true when it holds two that IAM cannot hold both of (then the clash names
   * them). Otherwise each stem belongs to one role ignoring case, and a name no other role shares
   * (ignoring case) and that does not read as a qualified stem is its stem alone.
   */
  private static boolean holds(List<RoleArn> roles) {
    Suggestion s = suggestion(roles);
    Map<String, String> stems = s.fileStems();
    assertThat(stems).as("%s", roles).hasSize(roles.size());
    Map<String, RoleArn> byIdentity = new HashMap<>();
    RoleArn[] twins = null;
    for (RoleArn arn : roles) {
      RoleArn other = byIdentity.putIfAbsent(arn.partition() + ":" + arn.account() + ":"
          + arn.name().toLowerCase(Locale.ROOT), arn);
      if (other != null && twins == null) {
        twins = new RoleArn[] {other, arn};
      }
    }
    if (twins != null) {
      assertThat(s.fileStemClash()).as("%s", roles).hasValueSatisfying(m -> assertThat(m)
          .contains("would be written to the same files"));
      return true;
    }
    assertThat(s.fileStemClash()).as("%s", roles).isEmpty();
    Map<String, RoleArn> owners = new HashMap<>();
    for (RoleArn arn : roles) {
      String stem = stems.get(arn.toString());
      RoleArn owner = owners.putIfAbsent(stem.toLowerCase(Locale.ROOT), arn);
      assertThat(owner).as("%s and %s share the stem %s", owner, arn, stem).isNull();
      assertThat(stem).as("%s", arn).doesNotContain("/").endsWith(arn.name());
      boolean shared = roles.stream().filter(r -> r.name().equalsIgnoreCase(arn.name())).count() > 1;
      if (!shared && !arn.name().matches("(?i)(aws(-[a-z]+)*-)?[0-9]{12}-.+")) {
        assertThat(stem).as("a name no other role shares stays the stem (%s)", roles).isEqualTo(arn.name());
      }
    }
    return false;
  }

  /** A suggestion of {@code roles}, each reading a location of its own. */
  private static Suggestion suggestion(List<RoleArn> roles) {
    ClusterConfig cluster = new ClusterConfig("c1", "111111111111", "us-west-2", List.of(), Optional.empty(), false, 0);
    List<SuggestedRole> suggested = new ArrayList<>();
    for (int i = 0; i < roles.size(); i++) {
      suggested.add(new SuggestedRole(roles.get(i), Optional.empty(), List.of("us-west-2"), Optional.empty(), List.of(),
          List.of(new S3Prefix("bucket" + i, "in/")), List.of(), Map.of(), Map.of(),
          List.of(), Map.of(), Map.of()));
    }
    return new Suggestion(Optional.empty(), cluster, suggested, List.of(), List.of(), false, List.of(), List.of(),
        List.of(), List.of(), List.of(), roles.size(), roles.size());
  }
}
