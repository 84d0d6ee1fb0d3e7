package dev.iamguard.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Severity;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rule book: every {@link RuleId} is reported by exactly one rule, each rule has the shape of
 * the style guide, and the phases stop where a phase denies. That every finding a rule emits
 * carries the rule's own id is checked by {@link RuleBook#run} itself on every statement of every
 * test (Surefire enables assertions): the rule tests and the evasion suite exercise it, and the
 * last two tests here prove the check is live.
 */
class RuleBookTest {
  static final String REGISTRY = """
      version: 1
      clusters:
        - {id: west, account: "111122223333", region: us-west-2,
           attached_roles: ["arn:aws:iam::111122223333:role/Loader"]}
      roles:
        - arn: arn:aws:iam::111122223333:role/Loader
          allow: {s3_read: ["s3://data/in/"]}
      """;

  static List<Rule> rules() {
    return RuleBook.ALL.stages().stream().flatMap(stage -> stage.rules().stream()).toList();
  }

  @Test
  void everyRuleIdIsReportedByExactlyOneRule() {
    Map<RuleId, List<String>> owners = new EnumMap<>(RuleId.class);
    for (Rule rule : rules()) {
      owners.computeIfAbsent(rule.id(), id -> new ArrayList<>()).add(rule.getClass().getSimpleName());
    }

    assertThat(owners.keySet()).containsExactlyInAnyOrder(RuleId.values());
    owners.forEach((id, classes) -> assertThat(classes).as("rules reporting " + id).hasSize(1));
  }

  @Test
  void eachRuleIsAFinalClassWithOneEvaluateMethodNamedForWhatItDenies() {
    for (Rule rule : rules()) {
      Class<?> type = rule.getClass();
      List<String> methods = Arrays.stream(type.getDeclaredMethods())
          .filter(m -> !m.isSynthetic() && !Modifier.isPrivate(m.getModifiers()))
          .map(Method::getName).toList();

      assertThat(Modifier.isFinal(type.getModifiers())).as(type + " is final").isTrue();
      assertThat(type.getSimpleName()).startsWith("Deny");
      assertThat(methods).as(type + " methods besides private helpers").containsExactly("evaluate");
      assertThat(rule.commands()).as(type + " judges some command").isNotEmpty();
    }
  }

  @Test
  void eachRuleIsListedOnce() {
    assertThat(rules().stream().map(Object::getClass).distinct()).hasSameSizeAs(rules());
  }

  @Test
  void aPhaseThatDeniesEndsTheInspectionAndAWarningDoesNot() {
    Rule warns = fixed(RuleId.AUTH_DYNAMIC, Severity.WARNING);
    Rule denies = fixed(RuleId.AUTH_CONFLICT, Severity.ERROR);
    Rule later = fixed(RuleId.ROLE_UNKNOWN, Severity.ERROR);
    RuleBook book = new RuleBook(List.of(new RuleBook.Stage(RuleBook.Phase.SHAPE, List.of(warns)),
        new RuleBook.Stage(RuleBook.Phase.CREDENTIALS, List.of(denies, fixed(RuleId.STATIC_KEYS, Severity.ERROR))),
        new RuleBook.Stage(RuleBook.Phase.ACCESS, List.of(later))));

    RuleBook.Outcome outcome = book.run(inspection("copy t from 's3://data/in/x' iam_role default"));

    assertThat(outcome.findings()).extracting(Finding::rule)
        .containsExactly(RuleId.AUTH_DYNAMIC, RuleId.AUTH_CONFLICT, RuleId.STATIC_KEYS);
    assertThat(outcome.deniedIn()).isEqualTo(RuleBook.Phase.CREDENTIALS);
    assertThat(outcome.passed(RuleBook.Phase.SHAPE)).isTrue();
    assertThat(outcome.passed(RuleBook.Phase.CREDENTIALS)).isFalse();
  }

  @Test
  void aRuleIsAskedOnlyAboutTheCommandsItJudges() {
    Rule copyOnly = new Rule(RuleId.COPY_JOB_REFUSED, Set.of(CommandKind.COPY)) {
      @Override
      List<Finding> evaluate(Inspection in) {
        return List.of(in.finding(id(), "x", "asked", "none"));
      }
    };
    RuleBook book = new RuleBook(List.of(new RuleBook.Stage(RuleBook.Phase.COMMAND, List.of(copyOnly))));

    assertThat(book.run(inspection("copy t from 's3://data/in/x' iam_role default")).findings()).hasSize(1);
    assertThat(book.run(inspection("unload ('select 1') to 's3://data/in/x' iam_role default")).findings()).isEmpty();
  }

  @Test
  void aRuleIsAskedOnlyAboutStatementsWithTheFactsItRequires() {
    Rule keysOnly = new Rule(RuleId.STATIC_KEYS, Commands.AUTH_CARRYING, Fact.KEYS) {
      @Override
      List<Finding> evaluate(Inspection in) {
        return List.of(in.finding(id(), "x", "asked", "none"));
      }
    };
    RuleBook book = new RuleBook(List.of(new RuleBook.Stage(RuleBook.Phase.RESOLUTION, List.of(keysOnly))));

    assertThat(book.run(inspection("copy t from 's3://data/in/x' access_key_id 'AKIAX' secret_access_key 'S'"))
        .findings()).hasSize(1);
    assertThat(book.run(inspection("copy t from 's3://data/in/x' iam_role default")).findings()).isEmpty();
    assertThat(book.run(inspection("copy t from 's3://data/in/x'")).findings()).isEmpty();
  }

  @Test
  void theFactsOfAStatementSayWhatItsClauseNamesAndWhoRunsIt() {
    assertThat(Fact.of(inspection("copy t from 's3://data/in/x' iam_role default")))
        .isEqualTo(Fact.bit(Fact.ROLES) | Fact.bit(Fact.USER_KNOWN));
    assertThat(Fact.of(inspection("copy t from 's3://data/in/x' credentials 'aws_access_key_id=A;aws_secret_access_key=S'")))
        .isEqualTo(Fact.bit(Fact.KEYS) | Fact.bit(Fact.USER_KNOWN));
    assertThat(Fact.of(inspection("copy t from 's3://data/in/x'"))).isEqualTo(Fact.bit(Fact.USER_KNOWN));
  }

  @Test
  void theCheckThatARuleReportsOnlyItsOwnIdIsLiveInTests() {
    assertThat(RuleBook.class.desiredAssertionStatus()).as("Surefire runs with assertions enabled").isTrue();
  }

  @Test
  void aRuleReportingAnotherRulesIdIsCaught() {
    Rule impostor = new Rule(RuleId.CHAIN_FORMAT, Set.of(CommandKind.COPY)) {
      @Override
      List<Finding> evaluate(Inspection in) {
        return List.of(in.finding(RuleId.ROLE_UNKNOWN, "x", "wrong id", "none"));
      }
    };
    RuleBook book = new RuleBook(List.of(new RuleBook.Stage(RuleBook.Phase.RESOLUTION, List.of(impostor))));

    AssertionError error = assertThrows(AssertionError.class,
        () -> book.run(inspection("copy t from 's3://data/in/x' iam_role default")));
    assertThat(error.getMessage()).contains("ROLE_UNKNOWN");
  }

  static Rule fixed(RuleId id, Severity severity) {
    return new Rule(id, Commands.ALL) {
      @Override
      List<Finding> evaluate(Inspection in) {
        return List.of(in.finding(id(), "x", "a problem", "a remedy", 0, severity));
      }
    };
  }

  static Inspection inspection(String sql) {
    Registry registry;
    try {
      registry = RegistryLoader.parse(REGISTRY, "test.yaml", null);
    } catch (RegistryException e) {
      throw new AssertionError(e);
    }
    SqlStatement statement = SqlScript.parse(sql).statements().get(0);
    Session session = Session.of("user1", null);
    return new Inspection(statement, session, registry, Resolver.resolve(statement, session, registry, null), null,
        null);
  }
}
