package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The access report's chain search extends a path by a role described by IAM documents only when
 * an Allow of the last role's permissions may cover sts:AssumeRole on it in some request context;
 * the report is the one asking about every role after every usable path gives. Roles are generated
 * with trust and permission documents: Allow and Deny, sts:AssumeRole, {@code sts:*}, NotAction
 * and other actions, Resources naming a role exactly, in another case, with wildcards, with policy
 * variables (known for a Redshift session or not), NotResource, and conditions the guard can and
 * cannot decide.
 */
class AccessSearchDocumentProperties {
  private static final String[] ACCOUNTS = {"111111111111", "222222222222"};

  /** A role: its account, its permission statements, whom its trust names, whether it is attached. */
  private record Role(int account, List<String> statements, List<Integer> trusted, boolean trustsAccounts,
      boolean attached) {}

  @Property(tries = 60)
  void documentRolesGetTheSameReport(@ForAll("registries") List<Role> roles) throws Exception {
    Path folder = Files.createTempDirectory("iamguard-access");
    try {
      Path file = write(folder, roles);
      Registry registry = RegistryLoader.load(file);
      AccessReport searched = AccessReport.of(registry, List.of(), false);
      AccessReport everyRole = AccessReport.of(registry, List.of(), true);
      assertThat(searched.paths()).isEqualTo(everyRole.paths());
      assertThat(searched.entries()).isEqualTo(everyRole.entries());
      int longest = searched.paths().stream().mapToInt(path -> path.roles().size()).max().orElse(0);
      Statistics.label("chains").collect(longest > 1);
      Statistics.label("chains").coverage(coverage -> coverage.check(true).percentage(p -> p >= 10));
    } finally {
      try (Stream<Path> all = Files.walk(folder)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String arn(int account, int i) {
    return "arn:aws:iam::" + ACCOUNTS[account] + ":role/R" + i;
  }

  @Provide
  Arbitrary<List<Role>> registries() {
    Arbitrary<Integer> target = Arbitraries.integers().between(0, 4);
    Arbitrary<String> resource = Combinators.combine(target, Arbitraries.integers().between(0, 10)).as((k, form) ->
        switch (form) {
          case 0, 1, 2 -> "\"arn:aws:iam::%s:role/R" + k + "\""; // exact (account filled in below)
          case 3 -> "\"arn:aws:iam::%s:role/r" + k + "\""; // the name in another case: no match
          case 4 -> "\"arn:aws:iam::*:role/R" + k + "\"";
          case 5 -> "\"arn:aws:iam::%s:role/*\"";
          case 6 -> "\"*\"";
          case 7 -> "\"arn:aws:iam::%s:role/${aws:PrincipalTag/next}\""; // a variable the guard cannot know
          case 8 -> "\"arn:aws:iam::%s:role/R${aws:SourceAccount}\""; // a variable with a known value
          case 9 -> "\"arn:aws:iam::${aws:PrincipalAccount}:role/R" + k + "\""; // the caller's own account
          default -> "\"arn:aws:iam::%s:role/R?\"";
        });
    Arbitrary<String> statement = Combinators.combine(Arbitraries.of("Allow", "Allow", "Allow", "Deny"),
        Arbitraries.of("\"Action\": \"sts:AssumeRole\"", "\"Action\": [\"sts:*\"]", "\"Action\": \"STS:assumeRole\"",
            "\"NotAction\": \"s3:*\"", "\"Action\": \"s3:GetObject\""),
        resource.list().ofMinSize(1).ofMaxSize(2), Arbitraries.of(true, false, false, false),
        Arbitraries.of("", "", "", ", \"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"111111111111\"}}",
            ", \"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"etl\"}}"))
        .as((effect, action, resources, not, condition) -> "{\"Effect\": \"" + effect + "\", " + action + ", \""
            + (not ? "NotResource" : "Resource") + "\": [" + String.join(", ", resources) + "]" + condition + "}");
    Arbitrary<Role> role = Combinators.combine(Arbitraries.integers().between(0, 1), statement.list().ofMaxSize(3),
        target.list().ofMaxSize(3), Arbitraries.of(true, false), Arbitraries.integers().between(0, 3).map(n -> n == 0))
        .as(Role::new);
    return role.list().ofMinSize(2).ofMaxSize(5);
  }

  private static Path write(Path folder, List<Role> roles) throws IOException {
    List<String> out = new ArrayList<>(List.of("version: 1", "clusters:", "  - id: c1",
        "    account: \"" + ACCOUNTS[0] + "\"", "    region: us-east-1", "    attached_roles:"));
    for (int i = 0; i < roles.size(); i++) {
      if (roles.get(i).attached() || i == 0) {
        out.add("      - " + arn(roles.get(i).account(), i));
      }
    }
    out.add("roles:");
    for (int i = 0; i < roles.size(); i++) {
      Role role = roles.get(i);
      List<String> trust = new ArrayList<>(List.of("{\"Effect\": \"Allow\", \"Principal\": {\"Service\": "
          + "\"redshift.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}"));
      for (int k : role.trusted()) {
        if (k < roles.size()) {
          trust.add("{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"" + arn(roles.get(k).account(), k)
              + "\"}, \"Action\": \"sts:AssumeRole\"}");
        }
      }
      if (role.trustsAccounts()) {
        trust.add("{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": [\"arn:aws:iam::" + ACCOUNTS[0] + ":root\", "
            + "\"arn:aws:iam::" + ACCOUNTS[1] + ":root\"]}, \"Action\": \"sts:AssumeRole\"}");
      }
      List<String> permissions = new ArrayList<>(List.of("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", "
          + "\"Resource\": \"arn:aws:s3:::bucket-" + i + "/data/*\"}"));
      for (String statement : role.statements()) {
        // a resource's account: the other roles' accounts in turn
        permissions.add(statement.replace("%s", ACCOUNTS[(i + permissions.size()) % 2]));
      }
      Files.writeString(folder.resolve("R" + i + ".trust.json"), document(trust));
      Files.writeString(folder.resolve("R" + i + ".permissions.json"), document(permissions));
      out.add("  - arn: " + arn(role.account(), i));
      out.add("    policy_files:");
      out.add("      trust: R" + i + ".trust.json");
      out.add("      permissions: [R" + i + ".permissions.json]");
    }
    Path file = folder.resolve("registry.yaml");
    Files.writeString(file, String.join("\n", out) + "\n");
    return file;
  }

  private static String document(List<String> statements) {
    return "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}";
  }
}
