package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.GrantChanges;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the session moves through a script: a given identity follows SET SESSION AUTHORIZATION, a
 * reported one becomes "changed" only for the statements after the change, external schemas are
 * remembered only with a role, and the small value types say what they are.
 */
class SessionFlowTest {
  private static final Guard GUARD = new Guard(Fixture.registry());
  private static final Session GIVEN = Session.of("user1", null);
  private static final Session REPORTED = GIVEN.reported("user1", List.of("etl"), List.of(), true);

  @Test
  void theGuardEnforcesItsRegistry() {
    dev.iamguard.policy.registry.Registry registry = Fixture.registry();
    assertThat(new Guard(registry).registry()).isSameAs(registry);
  }

  @Test
  void aGivenIdentityFollowsSetSessionAuthorizationAndReturnsOnReset() {
    Session superuser = new Session("admin", List.of("g"), List.of(), null, null, true, Session.Origin.GIVEN, null, null, null);
    Session other = superuser.withUser("bob");
    assertThat(other.user()).isEqualTo("bob");
    assertThat(other.loginUser()).isEqualTo("admin");
    assertThat(other.superuser()).isFalse();
    Session back = other.withUser(null);
    assertThat(back.user()).isEqualTo("admin");
    assertThat(back.superuser()).isFalse(); // only the login session itself carries the reported flag
    assertThat(superuser.withUser(null).superuser()).isTrue();
    Decision decision = GUARD.inspect("SET SESSION AUTHORIZATION 'user2'", GIVEN);
    assertThat(decision.sessionAfter().user()).isEqualTo("user2");
    assertThat(decision.sessionAfter().origin()).isEqualTo(Session.Origin.GIVEN);
  }

  @Test
  void aReportedIdentityIsChangedOnlyAfterTheStatementThatChangesIt() {
    Decision alone = GUARD.inspect("SET SESSION AUTHORIZATION 'user2'", REPORTED);
    assertThat(alone.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(alone.sessionAfter().origin()).isEqualTo(Session.Origin.SERVER);
    assertThat(alone.sessionAfter().user()).isEqualTo("user1");
    Decision then = GUARD.inspect("SELECT 1; SET SESSION AUTHORIZATION 'user2'; "
        + "COPY t FROM 's3://amzn-s3-demo-bucket/x' IAM_ROLE default", REPORTED);
    assertThat(then.sessionAfter().origin()).isEqualTo(Session.Origin.CHANGED);
    assertThat(Fixture.rules(then)).containsExactly(RuleId.IDENTITY_CHANGED_IN_TEXT);
  }

  @Test
  void anUnknownIdentityKeepsGrantsAndCatalogAndSaysWhy() {
    Session withGrant = GUARD.inspect("REVOKE ASSUMEROLE ON default FROM public FOR ALL", GIVEN).sessionAfter();
    assertThat(withGrant.grants().isEmpty()).isFalse();
    Session unknown = withGrant.unknown("no connection");
    assertThat(unknown.user()).isNull();
    assertThat(unknown.origin()).isEqualTo(Session.Origin.UNKNOWN);
    assertThat(unknown.note()).isEqualTo("no connection");
    assertThat(unknown.grants()).isSameAs(withGrant.grants());
    assertThat(unknown.groups()).isEmpty();
  }

  @Test
  void withGrantsReplacesTheGrantChanges() {
    Session withGrant = GUARD.inspect("REVOKE ASSUMEROLE ON default FROM public FOR ALL", GIVEN).sessionAfter();
    assertThat(withGrant.withGrants(withGrant.grants())).isEqualTo(withGrant);
    Session none = withGrant.withGrants(GrantChanges.NONE);
    assertThat(none.grants().isEmpty()).isTrue();
    assertThat(none.user()).isEqualTo("user1");
  }

  @Test
  void externalSchemasAreRememberedOnlyWithARole() {
    Decision withRole = GUARD.inspect("ALTER EXTERNAL SCHEMA spectrum SET IAM_ROLE default", GIVEN);
    assertThat(withRole.sessionAfter().externalCatalog().schema("spectrum")).isPresent();
    Decision withoutRole = GUARD.inspect("ALTER EXTERNAL SCHEMA spectrum SET URI 'x'", GIVEN);
    assertThat(withoutRole.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(withoutRole.sessionAfter()).isEqualTo(GIVEN);
    // a table without a LOCATION (Redshift refuses it) is denied as unreadable, and remembered by no one
    Decision noLocation = GUARD.inspect("CREATE EXTERNAL TABLE spectrum.t (a int) STORED AS PARQUET", GIVEN);
    assertThat(noLocation.verdict()).isEqualTo(Verdict.DENY);
    assertThat(noLocation.errors()).singleElement().satisfies(f -> assertThat(f.ruleId()).isEqualTo("AUTH_UNPARSEABLE"));
    assertThat(noLocation.sessionAfter()).isEqualTo(GIVEN);
    ExternalCatalog catalog = ExternalCatalog.NONE.withSchema("spectrum",
        List.of(RoleArn.of("arn:aws:iam::111122223333:role/Loader")));
    assertThat(GIVEN.withExternalCatalog(catalog).externalCatalog()).isEqualTo(catalog);
  }

  @Test
  void decisionsSayWhatTheyHold() {
    Decision decision = GUARD.inspect("SELECT 1; GRANT ASSUMEROLE ON 'notarn' TO user2 FOR COPY", GIVEN);
    assertThat(decision.inspectedStatements()).hasSize(1);
    assertThat(decision.statements()).hasSize(2);
    assertThat(decision).hasToString("Decision[DENY, 1 findings]");
    assertThat(decision.inspectedStatements().get(0).toString()).startsWith("StatementDecision[")
        .endsWith(", DENY, 1 findings]");
    assertThat(GUARD.inspect("SELECT 1", GIVEN)).hasToString("Decision[ALLOW, 0 findings]");
  }

  @Test
  void severitiesAndRulesAreWordedForPeople() {
    assertThat(Severity.ERROR.label()).isEqualTo("error");
    assertThat(Severity.WARNING.label()).isEqualTo("warning");
    for (RuleId rule : RuleId.values()) {
      assertThat(rule.description()).as(rule.name()).isNotBlank();
      assertThat(rule.remedy()).as(rule.name()).isNotBlank().isNotEqualTo(rule.description());
    }
  }

  @Test
  void theWorstVerdictWins() {
    for (Verdict a : Verdict.values()) {
      for (Verdict b : Verdict.values()) {
        Verdict worst = a.ordinal() >= b.ordinal() ? a : b;
        assertThat(a.worst(b)).isEqualTo(worst).isEqualTo(b.worst(a));
      }
    }
    assertThat(Verdict.ALLOW.worst(Verdict.DENY)).isEqualTo(Verdict.DENY);
    assertThat(Verdict.REWRITE.worst(Verdict.ALLOW)).isEqualTo(Verdict.REWRITE);
  }
}
