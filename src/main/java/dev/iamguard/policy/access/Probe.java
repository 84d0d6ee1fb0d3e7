package dev.iamguard.policy.access;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.RuleId;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Severity;
import dev.iamguard.policy.Verdict;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.TextCache;
import java.util.Set;

/**
 * Puts one statement to the guard and reads its decision: the access report's only source of
 * truth. The statements are the plainest forms of each command; their table, schema and function
 * names are iamguard's own.
 */
final class Probe {
  /** The findings about a resource, and about the grant: everything else says the role or chain cannot be used. */
  private static final Set<RuleId> NOT_ABOUT_THE_PATH = Set.of(RuleId.ASSUMEROLE_NOT_GRANTED, RuleId.S3_NOT_PERMITTED,
      RuleId.SOURCE_NOT_PERMITTED, RuleId.LAMBDA_NOT_PERMITTED, RuleId.CATALOG_NOT_PERMITTED);
  /** A location no one names, for asking about a role or chain alone. */
  static final String NOWHERE = "s3://" + Candidates.ANY + "/" + Candidates.ANY + "/";

  private final Guard guard;
  /**
   * The statements asked about, parsed once: each is asked again for every principal (a registry of
   * 1,000 users parsed the same few hundred texts a thousand times each). Bounded as the driver's
   * caches are: the texts are as many as the roles' candidate locations.
   */
  private final TextCache<SqlScript> parsed = new TextCache<>(4096, 1024 * 1024, 4096);

  Probe(Guard guard) {
    this.guard = guard;
  }

  /** How the guard decided on one statement. */
  record Outcome(boolean allowed, boolean pathUsable, boolean granted) {}

  Outcome ask(AccessCommand command, String auth, Candidates.Candidate resource, Session session) {
    String text = sql(command, auth, resource);
    SqlScript script = parsed.get(text);
    if (script == null) {
      script = SqlScript.parse(text);
      parsed.put(text, script);
    }
    Decision decision = guard.inspect(script, session);
    boolean pathUsable = true;
    boolean granted = true;
    for (Finding finding : decision.findings()) {
      if (finding.severity() != Severity.ERROR) {
        continue;
      }
      if (finding.rule() == RuleId.ASSUMEROLE_NOT_GRANTED) {
        granted = false;
      } else if (!NOT_ABOUT_THE_PATH.contains(finding.rule())) {
        pathUsable = false;
      }
    }
    return new Outcome(decision.verdict() != Verdict.DENY, pathUsable, granted);
  }

  /** The statement that asks for {@code resource} with {@code auth} ({@code default} or a role string). */
  static String sql(AccessCommand command, String auth, Candidates.Candidate resource) {
    String role = auth.equals("default") ? "iam_role default" : "iam_role " + quote(auth);
    return switch (command) {
      case COPY -> "copy iamguard_probe from " + quote(resource.value()) + " " + role
          + (resource.exact() ? " manifest" : ""); // a manifest is read by its exact key
      case UNLOAD -> "unload ('select 1') to " + quote(resource.value()) + " " + role;
      case EXTERNAL_FUNCTION -> "create external function iamguard_probe(int) returns int volatile lambda "
          + quote(resource.value()) + " " + role;
      case EXTERNAL_SCHEMA -> "create external schema iamguard_probe from data catalog database " + quote(resource.value())
          + (resource.region() == null ? "" : " region " + quote(resource.region()))
          + (resource.account() == null ? "" : " catalog_id " + quote(resource.account())) + " " + role;
      case COPY_DYNAMODB -> "copy iamguard_probe from " + quote("dynamodb://" + resource.value()) + " " + role
          + " readratio 50";
      case COPY_EMR -> "copy iamguard_probe from " + quote("emr://" + resource.value() + "/part-*") + " " + role;
    };
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
