package dev.iamguard.policy;

import dev.iamguard.policy.registry.GrantChanges;
import dev.iamguard.policy.registry.Names;
import java.util.List;
import java.util.Objects;

/**
 * Who runs the statements, and what the statements already run on the same connection or in the
 * same script changed: the database user, its groups and Redshift roles, whether it is a
 * superuser, the cluster, where that identity comes from, and the ASSUMEROLE grants and revokes
 * sent so far.
 *
 * @param user the database user as the server names it, folded to lower case as Redshift folds
 *     unquoted names; null when unknown
 * @param groups the user's groups
 * @param roles the user's Redshift roles (for {@code role:} grants)
 * @param cluster the cluster or serverless workgroup id; null when the registry has one cluster
 * @param loginUser the user the connection logged in as; {@code user} differs from it after
 *     {@code SET SESSION AUTHORIZATION}, and the login groups and roles then no longer apply
 * @param superuser the server reports the user as a superuser (who always holds ASSUMEROLE)
 * @param origin where the identity comes from
 * @param note for {@link Origin#UNKNOWN}, why; for {@link Origin#CHANGED}, the statement that changed it
 * @param grants the GRANT/REVOKE ASSUMEROLE statements run so far, applied over the registry's grants
 * @param externalCatalog the external schemas and tables created through the guard on this
 *     connection (or earlier in this script), whose roles and locations later statements use
 * @param changedByText a declared identity ({@link Origin#GIVEN}) that SET SESSION AUTHORIZATION
 *     changed on this connection or earlier in this script, even when it went back to the login
 *     user afterwards ({@code DEFAULT}, {@code RESET}): a later transaction end or savepoint
 *     rollback may then bring back a user the text no longer names (PostgreSQL, as Redshift,
 *     restores the session authorization a transaction began with), so the guard stops following
 *     the text there. It stays set for the connection: which transaction is open is not tracked
 * @param procedures the procedures created earlier in this script (or run) of a declared identity
 *     ({@link Origin#GIVEN}), whose bodies a later CALL runs as its caller or their owner: no
 *     catalog can be asked about them
 */
public record Session(String user, List<String> groups, List<String> roles, String cluster, String loginUser,
    boolean superuser, Origin origin, String note, GrantChanges grants, ExternalCatalog externalCatalog,
    boolean changedByText, ScriptProcedures procedures) {

  /** Where a session's identity comes from. */
  public enum Origin {
    /** Declared: the CLI's {@code --user}, or the login of a target that cannot report its user (H2). */
    GIVEN,
    /** Reported by the server ({@code session_user}, {@code current_user}, memberships). */
    SERVER,
    /** Not known: the server could not be asked, or no user was given ({@link #note} says why). */
    UNKNOWN,
    /**
     * Reported by the server, but an earlier statement of the same execution may have changed it
     * ({@link #note} names that statement): who runs what follows cannot be known before it is sent.
     */
    CHANGED
  }

  public Session {
    loginUser = loginUser == null ? user : loginUser;
    groups = List.copyOf(groups);
    roles = List.copyOf(roles);
    Objects.requireNonNull(origin, "origin");
    grants = grants == null ? GrantChanges.NONE : grants;
    externalCatalog = externalCatalog == null ? ExternalCatalog.NONE : externalCatalog;
    procedures = procedures == null ? ScriptProcedures.NONE : procedures;
  }

  /** A session that created no procedure through the text. */
  public Session(String user, List<String> groups, List<String> roles, String cluster, String loginUser,
      boolean superuser, Origin origin, String note, GrantChanges grants, ExternalCatalog externalCatalog,
      boolean changedByText) {
    this(user, groups, roles, cluster, loginUser, superuser, origin, note, grants, externalCatalog, changedByText,
        ScriptProcedures.NONE);
  }

  /** A session whose identity no SET SESSION AUTHORIZATION sent through the guard has changed. */
  public Session(String user, List<String> groups, List<String> roles, String cluster, String loginUser,
      boolean superuser, Origin origin, String note, GrantChanges grants, ExternalCatalog externalCatalog) {
    this(user, groups, roles, cluster, loginUser, superuser, origin, note, grants, externalCatalog, false);
  }

  /**
   * A session of {@code user} (given by a person, not reported) with login groups and roles and a
   * login user: names written by a person fold as Redshift folds an unquoted name ({@link
   * Names#folded}). A name the SQL text writes ({@code SET SESSION AUTHORIZATION "USER2"}, {@code
   * OWNER TO "USER2"}) is kept as the parser read it: Redshift keeps a quoted user name's case
   * whatever enable_case_sensitive_identifier says, so "USER2" is another user than user2 (every
   * copy of the session folded it once, and judged USER2's COPY for user2).
   */
  public Session(String user, List<String> groups, List<String> roles, String cluster, String loginUser) {
    this(Names.folded(user), groups, roles, cluster, Names.folded(loginUser), false, Origin.GIVEN, null,
        GrantChanges.NONE, ExternalCatalog.NONE);
  }

  /** A session of {@code user} (given, not reported) on {@code cluster} with the given login groups and roles. */
  public Session(String user, List<String> groups, List<String> roles, String cluster) {
    this(user, groups, roles, cluster, null);
  }

  /** A session of {@code user} on {@code cluster} with no groups or roles. */
  public static Session of(String user, String cluster) {
    return new Session(user, List.of(), List.of(), cluster, null);
  }

  /**
   * The same connection acting as {@code otherUser} ({@code SET SESSION AUTHORIZATION}); null
   * returns to the login user ({@code DEFAULT}, {@code RESET}).
   */
  public Session withUser(String otherUser) {
    return new Session(otherUser == null ? loginUser : otherUser, groups, roles, cluster, loginUser, superuser
        && otherUser == null, origin, note, grants, externalCatalog, true, procedures);
  }

  /**
   * The identity the server reports, for this cluster and these grant changes: {@code user} with
   * its own groups, roles and superuser flag.
   */
  public Session reported(String reportedUser, List<String> reportedGroups, List<String> reportedRoles,
      boolean reportedSuperuser) {
    return new Session(reportedUser, reportedGroups, reportedRoles, cluster, reportedUser, reportedSuperuser,
        Origin.SERVER, null, grants, externalCatalog);
  }

  /** The same session whose identity is not known, saying why. */
  public Session unknown(String why) {
    return new Session(null, List.of(), List.of(), cluster, null, false, Origin.UNKNOWN, why, grants, externalCatalog,
        changedByText, procedures);
  }

  /**
   * What names the script in a {@link #note} of a change made by an earlier script of the same run
   * ({@code statement 2 of script a.sql}): findings in a later script then say so.
   */
  public static final String OF_SCRIPT = " of script ";

  /**
   * What names, in a {@link #note}, a change made by an earlier execution of a connection whose
   * user is declared (a target that cannot report it) in a way the guard cannot follow (set_config,
   * SET ROLE, CALL, ...): findings then say that only a connection that sent no such change can be
   * checked, not that the statements should be sent apart, which they were.
   */
  public static final String ON_CONNECTION = "an earlier execution on this connection";

  /**
   * What ends a {@link #note} naming a statement (or batch entry) that changes the ASSUMEROLE grants
   * or the group and role memberships later statements are decided by, not who runs them: findings
   * then say so rather than name an identity change.
   */
  public static final String CHANGES_GRANTS = " (a change of grants or memberships)";

  /** A reported identity that {@code statement} (as messages name it) may have changed. */
  public Session changedBy(String statement) {
    return new Session(user, groups, roles, cluster, loginUser, superuser, Origin.CHANGED, statement, grants, externalCatalog,
        changedByText, procedures);
  }

  /**
   * The same session after a GRANT or REVOKE ASSUMEROLE ran; in a read-only transaction it fails
   * and aborts the transaction instead.
   */
  Session with(GrantChanges.Change change) {
    return grants.readOnly() ? withGrants(grants.abortTransaction())
        : new Session(user, groups, roles, cluster, loginUser, superuser, origin, note, grants.plus(change),
            externalCatalog, changedByText, procedures);
  }

  /** The same session with other grant changes (a rollback takes some back). */
  public Session withGrants(GrantChanges changes) {
    return changes == grants ? this
        : new Session(user, groups, roles, cluster, loginUser, superuser, origin, note, changes, externalCatalog,
            changedByText, procedures);
  }

  /** The same connection after it created external schemas or tables. */
  public Session withExternalCatalog(ExternalCatalog catalog) {
    return new Session(user, groups, roles, cluster, loginUser, superuser, origin, note, grants, catalog, changedByText,
        procedures);
  }

  /** The same connection once the text created or changed procedures ({@link ScriptProcedures}). */
  public Session withProcedures(ScriptProcedures changed) {
    return changed == procedures ? this : new Session(user, groups, roles, cluster, loginUser, superuser, origin, note,
        grants, externalCatalog, changedByText, changed);
  }

  /**
   * Who runs the body of a SECURITY DEFINER procedure {@code owner} owns, whatever this session's
   * user: that owner as declared, with the login groups and roles only when the owner is the login
   * user; a session whose identity is unknown when {@code owner} is null (the text does not name it).
   */
  public Session ownedBy(String owner, String procedure) {
    if (owner == null) {
      return unknown("the owner of procedure " + procedure + " is not named by the script, and its body runs as its"
          + " owner");
    }
    return new Session(owner, groups, roles, cluster, loginUser, false, Origin.GIVEN, null, grants, externalCatalog,
        changedByText, procedures);
  }

  /** True when the user is known (given or reported, and not changed since). */
  public boolean identityKnown() {
    return user != null && (origin == Origin.GIVEN || origin == Origin.SERVER);
  }

  /** The login groups when acting as the login user; none after a switch to another user. */
  public List<String> effectiveGroups() {
    return Objects.equals(user, loginUser) ? groups : List.of();
  }

  /** The login roles when acting as the login user; none after a switch to another user. */
  public List<String> effectiveRoles() {
    return Objects.equals(user, loginUser) ? roles : List.of();
  }
}
