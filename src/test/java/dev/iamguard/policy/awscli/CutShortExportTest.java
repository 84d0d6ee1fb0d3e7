package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code get-account-authorization-details} printed page by page ({@code --no-paginate}: each page
 * {@code "IsTruncated": true} and a {@code Marker} but the last, {@code "IsTruncated": false};
 * {@code --max-items}: each page a {@code NextToken} but the last). Given without its last page, the
 * export misses roles and policies, and the import went on without a word: a role of a chain on the
 * missing page was left out of the registry (statements using it denied as ROLE_UNKNOWN, the note
 * blaming another account's export), and a role attached to a cluster was said to be "not in the IAM
 * exports given ... until its account's get-account-authorization-details is imported too".
 *
 * <p>Every non-empty choice of the three pages, in every order, in both styles, in one file or one
 * file per page: the import is refused naming the export as cut short exactly when every page given
 * says another follows; with the last page it imports.
 */
class CutShortExportTest {
  private static final String TRUST = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
      + " \"Principal\": {\"Service\": \"redshift.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";

  private static String role(String name) {
    return "{\"RoleName\": \"" + name + "\", \"Arn\": \"arn:aws:iam::123456789012:role/" + name + "\","
        + " \"AssumeRolePolicyDocument\": " + TRUST + ", \"RolePolicyList\": [], \"AttachedManagedPolicies\": []}";
  }

  /** Page {@code n} (0, 1, 2) of 3, holding role R{n}; the last one says no page follows. */
  private static String page(int n, boolean nextToken) {
    boolean last = n == 2;
    String paging = nextToken ? (last ? "" : ", \"NextToken\": \"token" + n + "\"")
        : ", \"IsTruncated\": " + !last + (last ? "" : ", \"Marker\": \"marker" + n + "\"");
    return "{\"RoleDetailList\": [" + role("R" + n) + "], \"Policies\": []" + paging + "}";
  }

  @Test
  void anExportWithoutItsLastPageIsRefusedNamingIt() {
    List<String> wrong = new ArrayList<>();
    for (boolean nextToken : List.of(false, true)) {
      for (List<Integer> pages : orderings(List.of(0, 1, 2))) {
        for (boolean oneFile : List.of(true, false)) {
          List<RegistryImport.Input> inputs = new ArrayList<>();
          StringBuilder concatenated = new StringBuilder();
          for (int p : pages) {
            concatenated.append(page(p, nextToken)).append('\n');
            inputs.add(ImportFixtures.text("page" + p + ".json", page(p, nextToken)));
          }
          if (oneFile) {
            inputs = List.of(ImportFixtures.text("iam.json", concatenated.toString()));
          }
          boolean cutShort = !pages.contains(2);
          String what = (nextToken ? "NextToken" : "IsTruncated") + " pages " + pages + (oneFile ? " in one file" : "");
          List<String> problems = problems(inputs);
          boolean named = problems.stream().anyMatch(p -> p.contains("cut short") && p.contains("last page"));
          if (cutShort && !named) {
            wrong.add(what + ": imported without naming the missing last page: " + problems);
          } else if (!cutShort && !problems.isEmpty()) {
            wrong.add(what + ": refused with its last page: " + problems);
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** Every non-empty ordered choice of {@code items}. */
  private static List<List<Integer>> orderings(List<Integer> items) {
    List<List<Integer>> all = new ArrayList<>();
    for (Integer first : items) {
      List<Integer> rest = new ArrayList<>(items);
      rest.remove(first);
      all.add(List.of(first));
      for (List<Integer> tail : orderings(rest)) {
        List<Integer> one = new ArrayList<>(List.of(first));
        one.addAll(tail);
        all.add(one);
      }
    }
    return all;
  }

  private static List<String> problems(List<RegistryImport.Input> iam) {
    String clusters = "{\"Clusters\": [{\"ClusterIdentifier\": \"c1\", \"ClusterNamespaceArn\":"
        + " \"arn:aws:redshift:us-west-2:123456789012:namespace:x\", \"IamRoles\": [{\"IamRoleArn\":"
        + " \"arn:aws:iam::123456789012:role/R0\", \"ApplyStatus\": \"in-sync\"}]}]}";
    try {
      RegistryImport.run(new RegistryImport.Request(iam, List.of(ImportFixtures.text("d.json", clusters)), List.of(),
          Optional.empty(), Optional.empty(), false, RegistryImport.Layout.EMBEDDED));
      return List.of();
    } catch (ImportException e) {
      return e.problems();
    }
  }
}
