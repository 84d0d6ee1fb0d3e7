package dev.iamguard.policy.iam;

import java.util.Optional;
import java.util.regex.Matcher;

/**
 * An AWS principal a trust policy (or the registry's {@code trust.principals}) may name: every
 * principal ({@code *}), an account (its root ARN or its bare 12-digit id), or one role; in an
 * IAM document also a user, an assumed-role session or another IAM or STS principal
 * ({@link #parseInDocument}), which Redshift and the roles of a chain never are.
 */
public sealed interface AwsPrincipal {

  /** {@code *}: any AWS principal. */
  record Anyone() implements AwsPrincipal {
    @Override
    public boolean matches(RoleArn caller) {
      return true;
    }

    @Override
    public String toString() {
      return "*";
    }
  }

  /**
   * An account: {@code arn:{partition}:iam::{account}:root}, or a bare id, which leaves the
   * partition empty: the account in the trusting role's own partition. Chains never cross
   * partitions (the guard refuses such a hop, CHAIN_NOT_PERMITTED, before trust is asked), so the
   * caller is always in that partition when this is consulted.
   */
  record Account(Optional<String> partition, String account) implements AwsPrincipal {
    @Override
    public boolean matches(RoleArn caller) {
      return caller.account().equals(account)
          && (partition.isEmpty() || partition.get().equals(caller.partition()));
    }

    @Override
    public String toString() {
      return partition.map(p -> RoleArn.accountRoot(p, account)).orElse(account);
    }
  }

  /** One role, compared with {@link RoleArn#equals} (role name ignoring case). */
  record Role(RoleArn arn) implements AwsPrincipal {
    @Override
    public boolean matches(RoleArn caller) {
      return arn.equals(caller);
    }

    @Override
    public String toString() {
      return arn.toString();
    }
  }

  /**
   * One assumed-role session, {@code arn:aws:sts::<account>:assumed-role/<role>/<session>}: a
   * session of the calling role whose name (chosen by Redshift, unknown to the guard) may or may
   * not be this one.
   */
  record Session(String sessionPartition, String account, String role, String session) implements AwsPrincipal {
    @Override
    public boolean matches(RoleArn caller) {
      return false; // the session name is never known to match
    }

    /** Whether it is a session of {@code caller}: then it names the caller perhaps. */
    public boolean ofRole(RoleArn caller) {
      return caller.account().equals(account) && caller.partition().equals(sessionPartition)
          && caller.name().equalsIgnoreCase(role);
    }

    @Override
    public String toString() {
      return "arn:" + sessionPartition + ":sts::" + account + ":assumed-role/" + role + "/" + session;
    }
  }

  /**
   * Another IAM or STS principal: a user ({@code arn:aws:iam::<account>:user/<name>}), a federated
   * user, or any other principal ARN; never a role session of a chain nor Redshift.
   */
  record Other(String arn) implements AwsPrincipal {
    @Override
    public boolean matches(RoleArn caller) {
      return false;
    }

    @Override
    public String toString() {
      return arn;
    }
  }

  /**
   * A role or user IAM shows by its unique id ({@code AROA...}, {@code AIDA...}) instead of its ARN.
   * IAM stores a principal's ARN as that id and shows the ARN again while the role or user exists;
   * it shows the id when the role or user was deleted, and the statement then names no one: not
   * even a role re-created under the same name, which gets a new id. So it matches no caller.
   */
  record UniqueId(String id) implements AwsPrincipal {
    @Override
    public boolean matches(RoleArn caller) {
      return false;
    }

    @Override
    public String toString() {
      return id;
    }
  }

  /** Whether a role calling {@code sts:AssumeRole} is this principal or belongs to it. */
  boolean matches(RoleArn caller);

  /**
   * The partition it names; empty for {@code *} and a bare account id (the trusting role's own).
   * {@link Account}'s record component overrides this.
   */
  default Optional<String> partition() {
    return this instanceof Role role ? Optional.of(role.arn().partition()) : Optional.empty();
  }

  /** The outcome of {@link #parse}: the principal or why the text is not one. */
  record Parsed(Optional<AwsPrincipal> principal, Optional<String> problem) {}

  /**
   * Parses {@code *}, a 12-digit account id, an account root ARN or a role ARN. The problem of
   * a failure is the reason alone, e.g. {@code account id missing}, for the caller to frame.
   */
  static Parsed parse(String text) {
    if (text.equals("*")) {
      return ok(new Anyone());
    }
    if (RoleArn.isAccountId(text)) {
      return ok(new Account(Optional.empty(), text));
    }
    Matcher root = RoleArn.ACCOUNT_ROOT.matcher(text);
    if (root.matches()) {
      String problem = RoleArn.partitionProblem(root.group(1));
      if (problem == null) {
        problem = RoleArn.accountProblem(root.group(2));
      }
      return problem == null ? ok(new Account(Optional.of(root.group(1)), root.group(2)))
          : new Parsed(Optional.empty(), Optional.of(problem));
    }
    if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return new Parsed(Optional.empty(), Optional.of(RoleArn.accountProblem(text)));
    }
    RoleArn.Parsed role = RoleArn.parse(text);
    return new Parsed(role.arn().map(Role::new), role.problem());
  }

  /**
   * Like {@link #parse}, and also the other principals an IAM document may name in {@code AWS}:
   * an assumed-role session ARN, other IAM or STS ARNs (users, federated users), and the unique
   * id of a deleted role or user ({@link UniqueId}). A wildcard inside an ARN is not a principal
   * (IAM accepts {@code *} alone).
   */
  static Parsed parseInDocument(String text) {
    Parsed plain = parse(text);
    if (plain.principal().isPresent()) {
      return plain;
    }
    if (UNIQUE_ID.matcher(text).matches()) {
      return ok(new UniqueId(text));
    }
    Matcher session = SESSION.matcher(text);
    if (session.matches() && RoleArn.partitionProblem(session.group(1)) == null
        && RoleArn.accountProblem(session.group(2)) == null) {
      return ok(new Session(session.group(1), session.group(2), session.group(3), session.group(4)));
    }
    Matcher other = OTHER.matcher(text);
    if (other.matches() && !text.contains("*") && !text.contains("?") && RoleArn.partitionProblem(other.group(1)) == null
        && RoleArn.accountProblem(other.group(3)) == null && !other.group(4).startsWith("role/")) {
      return ok(new Other(text));
    }
    return plain;
  }

  /**
   * The unique id of a role ({@code AROA}) or user ({@code AIDA}): the prefix, then upper-case
   * letters and digits (21 characters in all as IAM prints them; the length is not pinned).
   */
  java.util.regex.Pattern UNIQUE_ID = java.util.regex.Pattern.compile("A(RO|ID)A[A-Z0-9]{8,124}");
  /** {@code arn:<partition>:sts::<account>:assumed-role/<role>/<session>}. */
  java.util.regex.Pattern SESSION =
      java.util.regex.Pattern.compile("arn:([^:]+):sts::([^:]+):assumed-role/([^/]+)/([^/]+)");
  /** {@code arn:<partition>:iam|sts::<account>:<resource>}. */
  java.util.regex.Pattern OTHER = java.util.regex.Pattern.compile("arn:([^:]+):(iam|sts)::([^:]+):(.+)");

  private static Parsed ok(AwsPrincipal principal) {
    return new Parsed(Optional.of(principal), Optional.empty());
  }
}
