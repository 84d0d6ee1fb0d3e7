package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles that may all assume one another make K!/(K-L)! chains of L roles: the access report's
 * chain search asked about every one and never ended on an account whose roles hold
 * sts:AssumeRole on {@code role/*} and trust the account (1,000 roles: 6 GB and no end after a
 * minute). It now asks about a bounded number of chains per cluster and principal, breadth first,
 * and says where it stopped: what it lists is what the uncut search lists, every chain up to the
 * length it names included, and validate then reports the cut instead of roles and chains unusable.
 */
class AccessSearchCutTest {
  private static final String ACCOUNT = "123456789012";

  /** K short-form roles, the first {@code attached} attached, each of which may assume and trusts every other. */
  static Registry clique(int k, int attached) throws Exception {
    return RegistryLoader.parse(Cliques.yaml(k, attached) + "users:\n  user1: { groups: [etl] }\n", "clique.yaml",
        Path.of("."));
  }

  /** Whose path it is and which chain: what two reports are compared by. */
  private static Set<String> paths(AccessReport report) {
    return report.paths().stream().map(p -> p.cluster() + " " + p.principal().label() + " " + p.auth())
        .collect(Collectors.toSet());
  }

  @Property(tries = 200)
  void aCutSearchListsWhatTheWholeOneListsUpToTheLengthItNames(@ForAll @IntRange(min = 2, max = 5) int k,
      @ForAll @IntRange(min = 1, max = 5) int attached, @ForAll @IntRange(min = 1, max = 400) int limit)
      throws Exception {
    Registry registry = clique(k, Math.min(k, attached));
    AccessReport whole = AccessReport.of(registry, List.of(), false, Integer.MAX_VALUE);
    AccessReport cut = AccessReport.of(registry, List.of(), false, limit);

    assertThat(whole.cuts()).isEmpty();
    assertThat(paths(whole)).containsAll(paths(cut));
    assertThat(whole.entries()).containsAll(cut.entries());
    Statistics.label("search").collect(cut.cuts().isEmpty() ? "whole" : "cut");
    Statistics.label("search").coverage(c -> {
      c.check("whole").percentage(p -> p > 10);
      c.check("cut").percentage(p -> p > 20);
    });
    if (cut.cuts().isEmpty()) {
      assertThat(paths(cut)).isEqualTo(paths(whole));
      assertThat(cut.entries()).isEqualTo(whole.entries());
      return;
    }
    for (AccessReport.Cut at : cut.cuts()) {
      assertThat(at.chainsAsked()).isEqualTo(limit);
      List<UsablePath> principal = cut.paths().stream().filter(p -> p.principal().equals(at.principal())).toList();
      assertThat(principal.size()).as("usable paths, each asked about").isLessThanOrEqualTo(Math.max(limit, attached));
      Set<String> listed = paths(cut);
      for (UsablePath path : whole.paths()) {
        if (path.principal().equals(at.principal()) && path.roles().size() <= at.completeUpTo()) {
          assertThat(listed).as("a chain of %d roles, up to %d", path.roles().size(), at.completeUpTo())
              .contains(path.cluster() + " " + path.principal().label() + " " + path.auth());
        }
      }
      assertThat(whole.paths().stream().filter(p -> p.principal().equals(at.principal()))
          .anyMatch(p -> p.roles().size() > at.completeUpTo() && !listed.contains(p.cluster() + " "
              + p.principal().label() + " " + p.auth()))).as("something longer is not listed").isTrue();
    }
  }

  @Test
  void validateReportsTheCutInsteadOfRolesAndChainsUnusable() throws Exception {
    Registry registry = clique(5, 1);

    List<RegistryIssue> whole = RegistryValidator.validate(registry, AccessReport.of(registry, List.of(), false,
        Integer.MAX_VALUE));
    List<RegistryIssue> cut = RegistryValidator.validate(registry, AccessReport.of(registry, List.of(), false, 20));

    assertThat(whole).extracting(RegistryIssue::code).doesNotContain("CHAIN_SEARCH_CUT");
    assertThat(cut).extracting(RegistryIssue::code).containsOnlyOnce("CHAIN_SEARCH_CUT")
        .doesNotContain("ROLE_UNUSABLE", "CHAIN_UNUSABLE", "GRANT_UNUSABLE");
    // C0 is attached: asked about C0, the 4 chains of 2 roles and the 12 of 3 (17), then 3 of the 24 of 4 roles
    assertThat(cut).filteredOn(i -> i.code().equals("CHAIN_SEARCH_CUT")).singleElement().satisfies(issue -> {
      assertThat(issue.path()).isEqualTo("policy.max_chain");
      assertThat(issue.message()).contains("on cluster my-cluster", "the 20 asked about for",
          "every chain of up to 3 roles is listed");
    });
  }

  /**
   * The account that never ended: 1,000 roles described by IAM documents, each allowed
   * sts:AssumeRole on {@code role/*} and trusting the account root, one attached. The timeout is a
   * hang guard (a few seconds here).
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aThousandRolesThatMayAllAssumeOneAnotherAreReportedInPart(@TempDir Path folder) throws Exception {
    int roles = 1_000;
    String trust = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": "
        + "\"redshift.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}, {\"Effect\": \"Allow\", \"Principal\": "
        + "{\"AWS\": \"arn:aws:iam::" + ACCOUNT + ":root\"}, \"Action\": \"sts:AssumeRole\"}]}";
    Files.writeString(folder.resolve("trust.json"), trust);
    List<String> yaml = new ArrayList<>(List.of("version: 1", "clusters:", "  - id: my-cluster",
        "    account: \"" + ACCOUNT + "\"", "    region: us-west-2", "    attached_roles: [" + Cliques.arn(0) + "]", "roles:"));
    for (int i = 0; i < roles; i++) {
      Files.writeString(folder.resolve("C" + i + ".json"), "{\"Version\": \"2012-10-17\", \"Statement\": ["
          + "{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Resource\": \"arn:aws:iam::" + ACCOUNT + ":role/*\"}, "
          + "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket" + i + "/data/*\"}]}");
      yaml.addAll(List.of("  - arn: " + Cliques.arn(i), "    policy_files:", "      trust: trust.json",
          "      permissions: [C" + i + ".json]"));
    }
    Path file = Files.writeString(folder.resolve("registry.yaml"), String.join("\n", yaml) + "\n");
    Registry registry = RegistryLoader.load(file);

    AccessReport report = AccessReport.of(registry);

    // C0 alone, then C0 followed by each of the 999 others: every chain of 2 roles, then 3 roles in part
    assertThat(report.cuts()).singleElement().satisfies(cut -> {
      assertThat(cut.chainsAsked()).isEqualTo(10_000);
      assertThat(cut.completeUpTo()).isEqualTo(2);
    });
    assertThat(report.paths()).hasSize(10_000);
    assertThat(report.paths().stream().filter(p -> p.roles().size() == 2)).hasSize(roles - 1);
    assertThat(RegistryValidator.validate(registry, report)).extracting(RegistryIssue::code).contains("CHAIN_SEARCH_CUT");
  }
}
