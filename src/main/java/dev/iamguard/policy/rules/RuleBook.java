package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Severity;
import dev.iamguard.sql.CommandKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Every rule, in the phases it runs in. A phase's rules all run, so a user sees everything wrong
 * at that level at once; a phase that denies ends the inspection, as later phases would reason
 * about what could not be established. Adding a rule: one new {@link Rule} class and one line in
 * its phase below.
 */
final class RuleBook {
  /** The phases, in order. */
  enum Phase {
    /** Can the statement be read at all: unparseable clauses, bind parameters. */
    SHAPE,
    /** The command itself: COPY JOB forms, dynamic SQL in a procedure, GRANT ON ALL TO PUBLIC. */
    COMMAND,
    /** Who runs it: an earlier statement of the same text may have changed the identity. */
    IDENTITY,
    /** Whether the credentials are consistent: one form, each keyword once, key pairs complete. */
    CREDENTIALS,
    /**
     * What the credentials come down to ({@link Resolver}): keys, acceptable or not under
     * {@code policy.credentials}; or the chain read and resolved (format, DEFAULT, ARNs and
     * aliases, SESSION, length); an external table's schema role.
     */
    RESOLUTION,
    /**
     * What the resolved roles (or keys) are and may do: registry, cluster, trust, grants, and the
     * resources the command touches, reported together so a user sees all that is wrong at once.
     */
    ACCESS
  }

  /** The rules of one phase, in the order they run. */
  record Stage(Phase phase, List<Rule> rules) {
    Stage {
      rules = List.copyOf(rules);
    }
  }

  /** The guard's rules. */
  static final RuleBook ALL = new RuleBook(List.of(
      new Stage(Phase.SHAPE, List.of(
          new DenyUnparseableClause(),
          new DenyBindParameter())),
      new Stage(Phase.COMMAND, List.of(
          new DenyRefusedCopyJob(),
          new DenyCopyJobRun(),
          new DenyDynamicAuth(),
          new DenyGrantAllToPublic())),
      new Stage(Phase.IDENTITY, List.of(
          new DenyIdentityChangedInText())),
      new Stage(Phase.CREDENTIALS, List.of(
          new DenyConflictingCredentials())),
      new Stage(Phase.RESOLUTION, List.of(
          new DenyStaticKeys(),
          new DenyLongTermKeys(),
          new DenyBadChainFormat(),
          new DenyMissingDefaultRole(),
          new DenyMalformedArn(),
          new DenySessionRole(),
          new DenyLongChain(),
          new DenyUnknownExternalSchema())),
      new Stage(Phase.ACCESS, List.of(
          new DenyUnknownRole(),
          new DenyUnattachedRole(),
          new DenyUntrustedRegion(),
          new DenyUntrustedChain(),
          new DenyUntrustedDbUser(),
          new DenyUnpermittedChain(),
          new DenyUngrantedAssumeRole(),
          new DenyUnknownIdentity(),
          new DenyS3OutsidePrefixes(),
          new DenyUnpermittedSource(),
          new DenyUnpermittedLambda(),
          new DenyUnpermittedCatalog()))));

  /**
   * The findings on one statement, and the phase that denied it (null when none did).
   */
  record Outcome(List<Finding> findings, Phase deniedIn) {
    boolean denied() {
      return deniedIn != null;
    }

    /** Whether {@code phase} ran and did not deny. */
    boolean passed(Phase phase) {
      return deniedIn == null || deniedIn.compareTo(phase) > 0;
    }
  }

  private final List<Stage> stages;
  /**
   * By command ordinal, the phases that have rules judging that command, and those rules: built
   * once, so no rule is asked about a command it does not judge. Arrays, as every statement walks them.
   */
  private final Phase[][] phases = new Phase[CommandKind.values().length][];
  private final Rule[][][] rules = new Rule[CommandKind.values().length][][];

  RuleBook(List<Stage> stages) {
    this.stages = List.copyOf(stages);
    for (CommandKind kind : CommandKind.values()) {
      List<Stage> judging = new ArrayList<>(stages.size());
      for (Stage stage : stages) {
        List<Rule> subscribed = stage.rules().stream().filter(rule -> rule.commands().contains(kind)).toList();
        if (!subscribed.isEmpty()) {
          judging.add(new Stage(stage.phase(), subscribed));
        }
      }
      phases[kind.ordinal()] = judging.stream().map(Stage::phase).toArray(Phase[]::new);
      rules[kind.ordinal()] = judging.stream().map(stage -> stage.rules().toArray(Rule[]::new)).toArray(Rule[][]::new);
    }
  }

  /** Runs the phases in order: the one place where a denial stops the inspection. */
  Outcome run(Inspection in) {
    List<Finding> findings = List.of();
    int kind = in.command.kind().ordinal();
    int facts = Fact.of(in);
    for (int phase = 0; phase < phases[kind].length; phase++) {
      for (Rule rule : rules[kind][phase]) {
        if (!rule.appliesTo(facts)) {
          continue;
        }
        List<Finding> found = rule.evaluate(in);
        if (!found.isEmpty()) {
          assert reportsOnlyItsOwnId(rule, found) : rule.getClass().getSimpleName() + " reported " + found;
          if (findings.isEmpty()) {
            findings = new ArrayList<>(found.size() + 1);
          }
          findings.addAll(found);
        }
      }
      if (denies(findings)) {
        return new Outcome(ListedFindings.of(findings, in), phases[kind][phase]);
      }
    }
    return new Outcome(ListedFindings.of(findings, in), null);
  }

  /** The phases with all their rules. */
  List<Stage> stages() {
    return stages;
  }

  private static boolean reportsOnlyItsOwnId(Rule rule, List<Finding> found) {
    RuleId id = rule.id();
    return found.stream().allMatch(f -> f.rule() == id);
  }

  private static boolean denies(List<Finding> findings) {
    for (int at = 0; at < findings.size(); at++) {
      Finding finding = findings.get(at);
      if (finding.severity() == Severity.ERROR) {
        return true;
      }
    }
    return false;
  }
}
