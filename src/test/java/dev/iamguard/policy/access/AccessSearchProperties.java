package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The access report's search for usable chains extends a path only by the roles its last role may
 * assume when that role is described by {@code allow}: the report is the one asking about every
 * role after every usable path gives (a registry of 1,000 roles took longer than 5 minutes to
 * validate, asking about each of them after each path). Registries are generated with roles of two
 * accounts, assume lists (cycles included), trusts, attached and default roles, aliases, chains and
 * grants, and the sample registries (one described by IAM documents) are compared too.
 */
class AccessSearchProperties {
  private static final String[] ACCOUNTS = {"111111111111", "222222222222"};

  @Test
  void theSampleRegistriesGetTheSameReport() throws Exception {
    for (String file : new String[] {"samples/registry.yaml", "samples/registry-iam.yaml"}) {
      Registry registry = RegistryLoader.load(Path.of(file));
      assertThat(assertSameReport(registry, file)).as(file).isGreaterThan(1);
    }
  }

  @Property(tries = 300) // enough that the share with chains (about 15%) stays above the coverage check's 10%
  void generatedRegistriesGetTheSameReport(@ForAll("registries") String yaml) throws Exception {
    Registry registry = RegistryLoader.parse(yaml, "generated.yaml", Path.of("."));
    int longest = assertSameReport(registry, yaml);
    Statistics.label("chains").collect(longest > 1);
    Statistics.label("chains").coverage(coverage -> coverage.check(true).percentage(p -> p >= 10));
  }

  /**
   * 40,000 attached roles that assume none: after each usable path every role of the registry was
   * asked whether it may follow (1.6 billion questions; 8,000 roles took 2.0 s to validate, 0.7 s
   * now); the roles an {@code allow} role may assume are now found by their place in the registry.
   * The timeout is a hang guard against that growth, not a time budget.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 30, unit = java.util.concurrent.TimeUnit.SECONDS,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aRegistryOfManyRolesIsSearchedOnceForEach() throws Exception {
    int n = 40_000;
    StringBuilder attached = new StringBuilder();
    StringBuilder roles = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String arn = "arn:aws:iam::" + ACCOUNTS[0] + ":role/R" + i;
      attached.append(i == 0 ? "" : ", ").append(arn);
      roles.append("  - arn: ").append(arn).append("\n    allow: { s3_read: [\"s3://lake/k").append(i).append("/\"] }\n");
    }
    Registry registry = RegistryLoader.parse("version: 1\nclusters:\n  - id: c1\n    account: \"" + ACCOUNTS[0]
        + "\"\n    region: us-east-1\n    attached_roles: [" + attached + "]\nroles:\n" + roles, "many.yaml", Path.of("."));

    AccessReport report = AccessReport.forValidation(registry);

    assertThat(report.paths()).hasSize(n);
    assertThat(report.paths()).allSatisfy(path -> assertThat(path.roles()).hasSize(1));
  }

  /** Returns the length of the longest usable chain. */
  private static int assertSameReport(Registry registry, String what) {
    AccessReport searched = AccessReport.of(registry, List.of(), false);
    AccessReport everyRole = AccessReport.of(registry, List.of(), true);
    assertThat(searched.paths()).as(what).isEqualTo(everyRole.paths());
    assertThat(searched.entries()).as(what).isEqualTo(everyRole.entries());
    // the report kept for validation holds less, and the validator finds the same issues in it
    assertThat(RegistryValidator.validate(registry, AccessReport.forValidation(registry))).as(what)
        .isEqualTo(RegistryValidator.validate(registry, searched));
    return searched.paths().stream().mapToInt(path -> path.roles().size()).max().orElse(0);
  }

  /** A role: its account, the roles it may assume, whether it trusts the other account, is attached, is the default. */
  private record Role(int account, List<Integer> assumes, boolean trustsOther, boolean attached, boolean hasAllow) {}

  @Provide
  Arbitrary<String> registries() {
    Arbitrary<Role> role = Combinators.combine(Arbitraries.integers().between(0, 1),
        Arbitraries.integers().between(0, 5).list().ofMaxSize(3), Arbitraries.integers().between(0, 3).map(n -> n > 0),
        Arbitraries.of(true, false), Arbitraries.integers().between(0, 4).map(n -> n > 0)).as(Role::new);
    return Combinators.combine(role.list().ofMinSize(2).ofMaxSize(6), Arbitraries.integers().between(-1, 5),
        Arbitraries.of(true, false), Arbitraries.integers().between(2, 4)).as(AccessSearchProperties::yaml);
  }

  private static String arn(List<Role> roles, int i) {
    return "arn:aws:iam::" + ACCOUNTS[roles.get(i).account()] + ":role/R" + i;
  }

  private static String yaml(List<Role> roles, int defaultRole, boolean grants, int maxChain) {
    List<String> out = new ArrayList<>(List.of("version: 1", "policy:", "  max_chain: " + maxChain, "clusters:",
        "  - id: c1", "    account: \"" + ACCOUNTS[0] + "\"", "    region: us-east-1", "    attached_roles:"));
    for (int i = 0; i < roles.size(); i++) {
      if (roles.get(i).attached() || i == 0) {
        out.add("      - " + arn(roles, i));
      }
    }
    if (defaultRole >= 0 && defaultRole < roles.size() && (roles.get(defaultRole).attached() || defaultRole == 0)) {
      out.add("    default_role: " + arn(roles, defaultRole));
    }
    out.add("roles:");
    for (int i = 0; i < roles.size(); i++) {
      Role role = roles.get(i);
      out.add("  - arn: " + arn(roles, i));
      out.add("    alias: r" + i);
      if (role.trustsOther()) {
        out.add("    trust:");
        out.add("      principals: [arn:aws:iam::" + ACCOUNTS[1 - role.account()] + ":root, arn:aws:iam::"
            + ACCOUNTS[role.account()] + ":root]");
      }
      if (role.hasAllow()) {
        out.add("    allow:");
        out.add("      s3_read: [\"s3://bucket-" + i + "/data/\"]");
        String assumes = role.assumes().stream().filter(k -> k < roles.size())
            .distinct().map(k -> arn(roles, k)).collect(Collectors.joining(", "));
        if (!assumes.isEmpty()) {
          out.add("      assume: [" + assumes + "]");
        }
      }
    }
    if (grants) {
      out.add("grants:");
      out.add("  - on: [" + arn(roles, 0) + "]");
      out.add("    to: [user1, \"group:etl\"]");
      out.add("    for: [COPY, UNLOAD]");
      if (roles.size() > 1) {
        out.add("  - on: [\"" + arn(roles, 0) + "," + arn(roles, 1) + "\"]");
        out.add("    to: [PUBLIC]");
        out.add("    for: [ALL]");
      }
      out.add("users:");
      out.add("  etl_bot: { groups: [etl] }");
    }
    return String.join("\n", out) + "\n";
  }
}
