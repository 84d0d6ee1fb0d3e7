package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.Wildcards;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The roles an import keeps are found by looking up the ARNs a policy names (a Resource without a
 * wildcard is one ARN) instead of comparing every role with every document: the same roles as that
 * comparison, over generated accounts whose policies name roles exactly, in other case (no match:
 * a Resource is case-sensitive), with {@code *} and {@code ?}, through NotResource and NotAction,
 * in Deny statements, in managed policies, with a Statement or Resource written as one item.
 */
class RoleSelectionProperties {
  private static final List<String> ARNS = List.of("arn:aws:iam::123456789012:role/R0",
      "arn:aws:iam::123456789012:role/R1", "arn:aws:iam::123456789012:role/etl/R2", "arn:aws:iam::210987654321:role/R3",
      "arn:aws:iam::210987654321:role/R10", "arn:aws:iam::123456789012:role/Loader");

  @Property(tries = 1000)
  void keepsTheRolesComparingEveryRoleWithEveryDocumentKeeps(@ForAll("accounts") Account account) {
    Set<String> found = RoleSelection.select(account.roles(), account.managed(), account.named());
    Set<String> expected = everyRoleAgainstEveryDocument(account.roles(), account.managed(), account.named());
    assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
    Statistics.label("roles kept beyond those named").collect(found.size() > account.named().size());
  }

  record Account(Map<String, ImportedRole> roles, Map<String, ManagedPolicy> managed, Set<String> named) {}

  /** The selection read plainly: every role against every document of each role kept. */
  private static Set<String> everyRoleAgainstEveryDocument(Map<String, ImportedRole> roles,
      Map<String, ManagedPolicy> managed, Set<String> named) {
    Set<String> kept = new LinkedHashSet<>();
    Deque<String> next = new ArrayDeque<>();
    named.forEach(arn -> next.add(arn.toLowerCase(Locale.ROOT)));
    while (!next.isEmpty()) {
      String arn = next.poll();
      if (!kept.add(arn) || roles.get(arn) == null) {
        continue;
      }
      ImportedRole role = roles.get(arn);
      List<Object> documents = new ArrayList<>();
      role.inline().forEach(p -> documents.add(p.document()));
      role.managed().stream().map(managed::get).filter(p -> p != null).forEach(p -> documents.add(p.document()));
      for (ImportedRole other : roles.values()) {
        if (documents.stream().anyMatch(d -> mayAssume(d, other.arn()))) {
          next.add(other.arn().toLowerCase(Locale.ROOT));
        }
      }
    }
    return kept;
  }

  private static boolean mayAssume(Object document, String roleArn) {
    Object statements = ((Map<?, ?>) document).get("Statement");
    for (Object item : statements instanceof List<?> l ? l : List.of(statements)) {
      Map<?, ?> statement = (Map<?, ?>) item;
      if ("Allow".equals(statement.get("Effect"))
          && (statement.containsKey("NotAction") || matches(statement.get("Action"), "sts:AssumeRole", true))
          && (statement.containsKey("NotResource") || matches(statement.get("Resource"), roleArn, false))) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(Object patterns, String value, boolean ignoreCase) {
    for (Object pattern : patterns instanceof List<?> l ? l : List.of(patterns)) {
      if (ignoreCase ? Wildcards.matchesIgnoringCase((String) pattern, value) : Wildcards.matches((String) pattern, value)) {
        return true;
      }
    }
    return false;
  }

  @Provide
  Arbitrary<Account> accounts() {
    Arbitrary<String> resource = Arbitraries.oneOf(Arbitraries.of(ARNS),
        Arbitraries.of(ARNS).map(a -> a.toUpperCase(Locale.ROOT)), // another case: no match
        Arbitraries.of("*", "arn:aws:iam::*:role/R1*", "arn:aws:iam::123456789012:role/R?",
            "arn:aws:iam::210987654321:role/*", "arn:aws:iam::123456789012:role/etl/*", "arn:aws:s3:::bucket/*"));
    Arbitrary<Object> action = Arbitraries.of("sts:AssumeRole", "STS:assumerole", "sts:*", "sts:Assume*", "s3:GetObject",
        "sts:TagSession").list().ofMinSize(1).ofMaxSize(2).map(list -> list.size() == 1 ? list.get(0) : list);
    Arbitrary<Map<String, Object>> statement = Combinators.combine(Arbitraries.of("Allow", "Allow", "Deny"), action,
        resource.list().ofMinSize(1).ofMaxSize(3), Arbitraries.integers().between(0, 9)).as((effect, a, r, form) -> {
          Map<String, Object> s = new LinkedHashMap<>();
          s.put("Effect", effect);
          s.put(form == 0 ? "NotAction" : "Action", a);
          s.put(form == 1 ? "NotResource" : "Resource", r.size() == 1 && form % 2 == 0 ? r.get(0) : r);
          return s;
        });
    Arbitrary<Object> document = statement.list().ofMinSize(1).ofMaxSize(3)
        .map(list -> Map.of("Version", "2012-10-17", "Statement", list.size() == 1 ? list.get(0) : list));
    Arbitrary<List<Object>> documents = document.list().ofMaxSize(2);
    Arbitrary<List<Boolean>> attaches = Arbitraries.of(true, false).list().ofSize(ARNS.size());
    return Combinators.combine(documents.list().ofSize(ARNS.size()), document.list().ofSize(2), attaches,
        Arbitraries.of(ARNS).set().ofMinSize(1).ofMaxSize(2), Arbitraries.of(ARNS).set().ofMaxSize(ARNS.size() - 1))
        .as((inline, managedDocuments, attach, named, absent) -> {
          Map<String, ManagedPolicy> managed = new LinkedHashMap<>();
          for (int i = 0; i < managedDocuments.size(); i++) {
            String arn = "arn:aws:iam::123456789012:policy/P" + i;
            managed.put(arn, new ManagedPolicy(arn, "P" + i, managedDocuments.get(i)));
          }
          Map<String, ImportedRole> roles = new LinkedHashMap<>();
          for (int i = 0; i < ARNS.size(); i++) {
            String arn = ARNS.get(i);
            if (absent.contains(arn) && !named.contains(arn)) {
              continue; // a role the exports do not hold
            }
            List<ImportedRole.InlinePolicy> policies = new ArrayList<>();
            for (Object d : inline.get(i)) {
              policies.add(new ImportedRole.InlinePolicy("p" + policies.size(), d));
            }
            List<String> attached = attach.get(i) ? List.of("arn:aws:iam::123456789012:policy/P" + (i % 2)) : List.of();
            roles.put(RegistryImport.key(arn), new ImportedRole(arn, arn.substring(arn.lastIndexOf('/') + 1), Map.of(),
                policies, attached, Optional.empty(), "iam.json"));
          }
          return new Account(roles, managed, new HashSet<>(named));
        });
  }
}
