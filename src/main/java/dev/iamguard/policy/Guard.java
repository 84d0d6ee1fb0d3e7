package dev.iamguard.policy;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.ExternalSchemaConfig;
import dev.iamguard.policy.registry.GrantChanges;
import dev.iamguard.policy.registry.Names;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.rules.ProcedureCalls;
import dev.iamguard.policy.rules.StatementInspector;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.MembershipChange;
import dev.iamguard.sql.Memberships;
import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.SessionEffects;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import dev.iamguard.sql.TransactionControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one policy engine behind every face: the JDBC driver, {@code iamguard check},
 * {@code rewrite} and {@code run}. Immutable and thread-safe; a registry change makes a new Guard.
 *
 * <p>A text whose statements carry no auth-related command costs one lexer pass and no rule, unless
 * the session created external tables through the guard: then an INSERT into one of them is
 * checked too, which costs a look at each statement's first words.
 */
public final class Guard {
  private final Registry registry;
  private final StatementInspector inspector;

  /** A guard enforcing {@code registry}. */
  public Guard(Registry registry) {
    this.registry = registry;
    this.inspector = new StatementInspector(registry);
  }

  /** The registry this guard enforces. */
  public Registry registry() {
    return registry;
  }

  /** Decides on {@code sql} for {@code session}. Never throws on any SQL text. */
  public Decision inspect(String sql, Session session) {
    return inspect(SqlScript.parse(sql), session);
  }

  /** Decides on an already parsed script. */
  public Decision inspect(SqlScript script, Session session) {
    return inspect(script, session, script.firstIdentityChange());
  }

  /**
   * Decides on an already parsed script in which statement {@code identityChange} (1-based, 0 for
   * none) is the first after which the server may run statements as another user than
   * {@code session}'s: a connection passes an earlier one than {@link SqlScript#firstIdentityChange()}
   * when a statement that changes nothing by itself may undo an earlier change (a transaction end).
   */
  public Decision inspect(SqlScript script, Session session, int identityChange) {
    return inspect(script, session, identityChange, null);
  }

  /** Is told the session each statement of a script is decided in (the identity it is checked as). */
  @FunctionalInterface
  public interface Observer {
    /** {@code statement} (as decided: an INSERT into a known external table as such) is decided in {@code session}. */
    void deciding(SqlStatement statement, Session session);
  }

  /**
   * As {@link #inspect(SqlScript, Session)}, telling {@code observer} the session every statement
   * of the script is decided in, in order (those that need no decision too): {@code suggest}
   * follows who runs each statement with the guard's own rules.
   */
  public Decision inspect(SqlScript script, Session session, Observer observer) {
    return inspect(script, session, script.firstIdentityChange(), Objects.requireNonNull(observer, "observer"));
  }

  private Decision inspect(SqlScript script, Session session, int textChange, Observer observer) {
    boolean knownTables = !session.externalCatalog().tables().isEmpty();
    int identityChange = textChange;
    String identityNote = null; // how findings name a change of grants or memberships (built only then)
    // the statement bit is set by first words (any GRANT): only a text with a membership change pays more
    boolean membershipBit = SessionEffects.has(script.effects(), SessionEffects.MEMBERSHIP);
    if (session.origin() == Session.Origin.SERVER && membershipBit) {
      // the server says the groups and roles it reported: after a change that may reach them, it is asked again
      String user = session.user();
      int reaching = script.firstMembershipChange(change -> mayReach(change, user));
      if (reaching > 0 && (identityChange == 0 || reaching < identityChange)) {
        identityChange = reaching;
        identityNote = "statement " + reaching + Session.CHANGES_GRANTS;
      }
    }
    // a declared identity follows the memberships the text changes (ALTER GROUP ... DROP USER ...)
    boolean memberships = session.origin() == Session.Origin.GIVEN && membershipBit
        && script.firstMembershipChange() > 0;
    // a declared identity follows SET SESSION AUTHORIZATION; after any other change (set_config,
    // SET ROLE, CALL) only the server could say who runs what follows, in this text or the next
    int unfollowable = session.origin() == Session.Origin.GIVEN ? script.firstUnfollowableIdentityChange() : 0;
    // a declared identity changed by SET SESSION AUTHORIZATION (here: the statement's number; 0:
    // before this text, even when changed back to the login user since, whom a rollback may undo
    // as well; -1: not changed) cannot be followed past a statement that may undo it
    int followed = session.origin() == Session.Origin.GIVEN
        && (session.changedByText() || !Objects.equals(session.user(), session.loginUser())) ? 0 : -1;
    // grant changes a transaction statement of the text may keep or take back
    boolean transactions = session.grants().inTransaction()
        || SessionEffects.has(script.effects(), SessionEffects.TRANSACTION)
        && (session.grants().followsTransactions() || !session.grants().isEmpty() || changesGrants(script)
            || memberships);
    // a schema rename moves the role the guard reads an external schema's tables with (SessionEffects.CATALOG)
    boolean renamesSchemas = SessionEffects.has(script.effects(), SessionEffects.CATALOG);
    // procedures the text (or an earlier one) created on a declared identity, which no catalog
    // knows: a CALL runs their bodies as its caller or their owner, an ALTER PROCEDURE changes those
    boolean procedures = !session.procedures().isEmpty();
    if (observer == null && !script.needsInspection() && !knownTables && !renamesSchemas && !procedures
        && !memberships) {
      Session after = undone(script, transactions ? transactionEnds(script, session) : session, followed,
          Integer.MAX_VALUE);
      return Decision.allowUnchanged(script, unfollowable > 0 ? after.changedBy("statement " + unfollowable) : after);
    }
    Session current = session;
    Verdict verdict = Verdict.ALLOW;
    List<StatementDecision> decisions = new ArrayList<>(script.inspectable().size());
    List<Replacement> replacements = new ArrayList<>(0);
    // only the statements that need a decision: every other one is allowed as written, but for an
    // INSERT into an external table created through the guard, which only the session can tell
    boolean all = knownTables || renamesSchemas || createsExternalTables(script);
    boolean recording = session.origin() != Session.Origin.SERVER;
    boolean procedureCalls = procedures || recording && creates(script, CommandKind.CREATE_PROCEDURE);
    // an observer is told every statement: those the guard does not decide are told the session
    // they would be decided in, which the guard does not keep (so its decisions and the session it
    // leaves are those without an observer)
    List<SqlStatement> statements = all || observer != null || transactions || procedureCalls || memberships
        ? script.statements() : script.inspectable();
    for (int at = 0; at < statements.size(); at++) {
      SqlStatement statement = statements.get(at);
      if (transactions) {
        current = current.withGrants(transactionEnd(statement, current));
      }
      if (memberships && !statement.command().needsInspection()) {
        current = joined(statement, current); // allowed as written; one that needs a decision joins once allowed
      }
      StatementDecision called = null; // a CALL's or DO block's, of procedures the text created
      if (procedureCalls && !current.procedures().isEmpty()) {
        Session runs = marked(script, current, statement.index(), identityChange, identityNote, unfollowable, followed);
        called = ProcedureCalls.decide(inspector, statement, runs, current.procedures());
        if (called == null) {
          current = current.withProcedures(current.procedures().after(statement, runs.identityKnown() ? runs.user()
              : null));
        } else if (called.verdict() == Verdict.ALLOW) {
          called = null; // a CALL that runs nothing denied is reported as before
        } else if (!statement.command().needsInspection()) {
          decisions.add(called);
          verdict = verdict.worst(called.verdict());
          called = null;
        } // else joined to the statement's own decision (a CALL whose arguments hold an auth word)
      }
      if (recording && (!current.procedures().isEmpty() || statement.startsDoBlock())
          && ProcedureCalls.changesRoutines(statement, current.procedures())) {
        // a body that may create or change procedures by dynamic SQL: later CALLs cannot be read from the text
        current = current.withProcedures(current.procedures().changedBy("statement " + statement.index() + " (line "
            + statement.line() + ")"));
      }
      if (!all && !statement.command().needsInspection()) {
        if (observer != null) {
          observer.deciding(statement, marked(script, current, statement.index(), identityChange, identityNote, unfollowable,
              followed));
        }
        continue;
      }
      SqlStatement checked = statement.command().needsInspection() ? statement
          : current.externalCatalog().asExternalInsert(statement);
      if (checked == null) {
        if (observer != null) {
          observer.deciding(statement, marked(script, current, statement.index(), identityChange, identityNote, unfollowable,
              followed));
        }
        current = renamed(statement, current, registry);
        continue;
      }
      current = marked(script, current, checked.index(), identityChange, identityNote, unfollowable, followed);
      if (observer != null) {
        observer.deciding(checked, current);
      }
      StatementDecision decision = inspector.inspect(checked, current, null, replacements);
      if (called != null) {
        List<Finding> findings = new ArrayList<>(decision.findings());
        findings.addAll(called.findings());
        List<StatementDecision> nested = new ArrayList<>(decision.nested());
        nested.addAll(called.nested());
        decision = new StatementDecision(checked, Verdict.DENY, findings, null, nested, decision.chain());
      }
      decisions.add(decision);
      if (recording && checked.command().kind() == CommandKind.CREATE_PROCEDURE) {
        // denied or not: its body is judged again at every CALL, for whoever runs it then
        current = current.withProcedures(current.procedures().after(checked, current.identityKnown() ? current.user()
            : null));
      }
      verdict = verdict.worst(decision.verdict());
      if (decision.verdict() != Verdict.DENY) {
        if (memberships && statement.command().needsInspection()) {
          current = joined(statement, current);
        }
        current = after(current, checked.command(), decision);
        if (checked.command().kind() == CommandKind.SET_SESSION_AUTHORIZATION && current.origin() == Session.Origin.GIVEN) {
          followed = checked.index();
        }
      }
    }
    current = undone(script, current, followed, Integer.MAX_VALUE);
    if (unfollowable > 0 && current.origin() == Session.Origin.GIVEN) {
      current = current.changedBy("statement " + unfollowable); // what follows the text cannot be known either
    }
    return new Decision(verdict, script, decisions, replacements, current);
  }

  /** The session statement {@code index} is decided in: marked changed when an earlier statement may have changed it. */
  private static Session marked(SqlScript script, Session current, int index, int identityChange, String identityNote,
      int unfollowable, int followed) {
    Session session = current;
    if (identityChange > 0 && index > identityChange && session.origin() == Session.Origin.SERVER) {
      // the server knows who runs what follows
      session = session.changedBy(identityNote != null ? identityNote : "statement " + identityChange);
    } else if (unfollowable > 0 && index > unfollowable && session.origin() == Session.Origin.GIVEN) {
      session = session.changedBy("statement " + unfollowable);
    }
    return undone(script, session, followed, index);
  }

  /**
   * {@code session}, or, when it is a declared identity changed by SET SESSION AUTHORIZATION
   * ({@code followed}: that statement's number, 0 before the text, -1 never) and a statement between
   * that change and statement {@code before} may undo it (a rollback restores the user before the
   * transaction, a commit ends SET LOCAL), the same session marked changed by that statement: which
   * user runs what follows the text does not say, so auth-carrying statements are denied.
   */
  private static Session undone(SqlScript script, Session session, int followed, int before) {
    if (followed < 0 || session.origin() != Session.Origin.GIVEN) {
      return session;
    }
    int undo = script.undoingStatementAfter(followed);
    return undo > 0 && undo < before ? session.changedBy("statement " + undo) : session;
  }

  /**
   * The session once an allowed statement has run: a declared identity follows SET SESSION
   * AUTHORIZATION (a reported one is asked again), GRANT/REVOKE ASSUMEROLE change the grants
   * checked later, and the external schemas and tables it created are remembered.
   */
  private Session after(Session session, RedshiftCommand command, StatementDecision decision) {
    ExternalCatalog catalog = session.externalCatalog();
    switch (command.kind()) {
      case SET_SESSION_AUTHORIZATION:
        return session.origin() == Session.Origin.GIVEN ? session.withUser(command.sessionUser()) : session;
      case GRANT_ASSUMEROLE:
      case REVOKE_ASSUMEROLE:
        return GrantChanges.of(command.kind() == CommandKind.GRANT_ASSUMEROLE, command.grant())
            .map(session::with).orElse(session);
      case CREATE_EXTERNAL_SCHEMA:
      case ALTER_EXTERNAL_SCHEMA:
        if (command.objectName() == null || command.auth().form() == dev.iamguard.sql.AuthForm.NONE) {
          return session;
        }
        return session.withExternalCatalog(catalog.afterSchema(command, decision.chain(),
            name -> registry.externalSchema(name, session.cluster()).map(ExternalSchemaConfig::chain)));
      case CREATE_EXTERNAL_TABLE:
      case ALTER_EXTERNAL_TABLE:
        return session.withExternalCatalog(catalog.after(command));
      default:
        return session;
    }
  }

  /**
   * Whether {@code change} may change what {@code user} holds: a change of its own (its name in any
   * ASCII case), a group or role dropped or renamed, one taken from or given to a role (the user may
   * hold that role), or every membership; not a change of another user's.
   */
  private static boolean mayReach(MembershipChange change, String user) {
    if (user == null || change.memberKind() != MembershipChange.Kind.USER) {
      return true;
    }
    return Names.folded(change.member()).equals(Names.folded(user));
  }

  /** {@code session} once {@code statement} changed the memberships it reads ({@link Memberships}). */
  private static Session joined(SqlStatement statement, Session session) {
    Session after = session;
    for (MembershipChange change : Memberships.of(statement)) {
      after = after.with(GrantChanges.Change.of(change));
    }
    return after;
  }

  /**
   * {@code grants} once {@code statement} has run: GRANT and REVOKE ASSUMEROLE made in a
   * transaction wait for its end, and a rollback takes them back (a grant rolled back kept allowing
   * the COPY after it: probe 22a F4).
   */
  private GrantChanges transactionEnd(SqlStatement statement, Session session) {
    GrantChanges grants = session.grants();
    TransactionControl control = TransactionControl.of(statement);
    if (control == TransactionControl.NONE && grants.inTransaction()
        && (externalTableDdl(statement, session) || externalSearchPath(statement, session))) {
      // "You can't run ALTER TABLE on an external table within a transaction block" (probe 23d F7);
      // an external schema in search_path is an error, and an error aborts the transaction (probe 23e F8)
      return grants.abortTransaction();
    }
    return grants.after(control, statement);
  }

  /** {@code session} once the transaction statements of a text without auth-carrying ones have run. */
  private Session transactionEnds(SqlScript script, Session session) {
    Session current = session;
    for (SqlStatement statement : script.statements()) {
      current = current.withGrants(transactionEnd(statement, current));
    }
    return current;
  }

  /**
   * Whether {@code statement} is DROP TABLE or ALTER TABLE of a table in an external schema: one of
   * the registry's, or one created in this session.
   */
  private boolean externalTableDdl(SqlStatement statement, Session session) {
    for (String table : TransactionControl.ddlTables(statement)) {
      String schema = ExternalCatalog.tableSchema(table);
      if (schema != null && externalSchema(schema, session)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code statement} sets a search_path naming an external schema (the registry's, or one created in this session). */
  private boolean externalSearchPath(SqlStatement statement, Session session) {
    for (String schema : TransactionControl.searchPathSchemas(statement)) {
      if (externalSchema(schema, session)) {
        return true;
      }
    }
    return false;
  }

  private boolean externalSchema(String schema, Session session) {
    return registry.externalSchema(schema, null).isPresent() || session.externalCatalog().schema(schema).isPresent();
  }

  private static boolean changesGrants(SqlScript script) {
    List<SqlStatement> statements = script.inspectable();
    for (int at = 0; at < statements.size(); at++) {
      CommandKind kind = statements.get(at).command().kind();
      if (kind == CommandKind.GRANT_ASSUMEROLE || kind == CommandKind.REVOKE_ASSUMEROLE) {
        return true;
      }
    }
    return false;
  }

  private static boolean createsExternalTables(SqlScript script) {
    return creates(script, CommandKind.CREATE_EXTERNAL_TABLE);
  }

  /** Whether an inspectable statement of {@code script} is a {@code kind}. */
  private static boolean creates(SqlScript script, CommandKind kind) {
    List<SqlStatement> statements = script.inspectable();
    for (int at = 0; at < statements.size(); at++) {
      if (statements.get(at).command().kind() == kind) {
        return true;
      }
    }
    return false;
  }

  /**
   * The session once {@code statement} has run: a table created here keeps its locations under a
   * new name, and a renamed schema its role ({@link ExternalCatalog#afterSchemaRename}).
   */
  private static Session renamed(SqlStatement statement, Session session, Registry registry) {
    ExternalCatalog catalog = session.externalCatalog();
    ExternalCatalog after = catalog.afterRename(statement).afterSchemaRename(statement,
        name -> registry.externalSchema(name, session.cluster()).map(ExternalSchemaConfig::chain));
    return after == catalog ? session : session.withExternalCatalog(after);
  }
}
