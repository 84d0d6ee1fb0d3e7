package dev.iamguard.policy;

import dev.iamguard.policy.registry.Names;
import dev.iamguard.sql.ProcedureChanges;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The procedures a script (or the scripts before it in the same run) created, as far as a guard
 * without a catalog can tell from the text: for each, every body it may run, whether it may run as
 * its caller or as its owner, and every user that may own it. What the text leaves open is kept as
 * every reading at once (an {@code ALTER PROCEDURE p} without a schema may change a namesake
 * created as {@code sa.p}: that one may then be owned by either user), so a CALL judged against
 * them is judged at least for whoever really runs each body. Immutable.
 */
public final class ScriptProcedures {
  /** No procedure created. */
  public static final ScriptProcedures NONE = new ScriptProcedures(List.of(), null);

  /**
   * One procedure as created, and as changed since.
   *
   * @param name its name's parts as written
   * @param arguments its argument list as written, blanks removed
   * @param definition the CREATE PROCEDURE statement (its body is judged again at every CALL)
   * @param body the body's text (what it calls is looked up in turn)
   * @param invoker whether it may run as its caller
   * @param definer whether it may run as its owner
   * @param owners the users that may own it; a null element: an owner the text does not name
   * @param identitySetting the SET clause (of its definition or of an ALTER since) that sets who runs
   *     its body, as a message names it, or null
   */
  public record Procedure(List<String> name, String arguments, SqlStatement definition, String body, boolean invoker,
      boolean definer, List<String> owners, String identitySetting) {
    /** Copies the lists (the owners may hold null: an owner the text does not name). */
    public Procedure {
      name = List.copyOf(name);
      owners = java.util.Collections.unmodifiableList(new ArrayList<>(owners));
    }

    /** Its name without the schema: what a CALL of any schema's namesake may run. */
    public String simpleName() {
      return name.get(name.size() - 1);
    }

    /** Equal when created by the same text at the same place (the statements parsed apart are other objects). */
    @Override
    public boolean equals(Object other) {
      return other instanceof Procedure that && name.equals(that.name) && arguments.equals(that.arguments)
          && body.equals(that.body) && invoker == that.invoker && definer == that.definer && owners.equals(that.owners)
          && Objects.equals(identitySetting, that.identitySetting)
          && definition.index() == that.definition.index() && definition.text().equals(that.definition.text());
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, arguments, body, invoker, definer, owners, identitySetting, definition.index());
    }

    private String schema() {
      return name.size() > 1 ? name.get(name.size() - 2) : null;
    }
  }

  private final List<Procedure> procedures;
  private final String changedByCall;

  private ScriptProcedures(List<Procedure> procedures, String changedByCall) {
    this.procedures = List.copyOf(procedures);
    this.changedByCall = changedByCall;
  }

  /** True when no procedure was created and no CALL may have created or changed one ({@link #changedByCall}). */
  public boolean isEmpty() {
    return procedures.isEmpty() && changedByCall == null;
  }

  /**
   * The CALL or DO block (as a message names it) that ran a body which may create or change
   * procedures with SQL the script does not write as statements (an EXECUTE of CREATE or ALTER
   * PROCEDURE): what a later CALL runs may then be a procedure no statement of the script wrote, or
   * one changed since. Null when none did.
   */
  public String changedByCall() {
    return changedByCall;
  }

  /** The same procedures, once {@code call} ran a body that may create or change procedures (the first one kept). */
  public ScriptProcedures changedBy(String call) {
    return changedByCall != null ? this : new ScriptProcedures(procedures, call);
  }

  /**
   * The procedures a CALL of {@code name} may run: every one of that name in any schema and with any
   * arguments (a search path or a routine's own SET search_path may find any of them; argument
   * types are not compared).
   */
  public List<Procedure> named(List<String> name) {
    String simple = name.get(name.size() - 1);
    List<Procedure> found = new ArrayList<>(1);
    for (Procedure procedure : procedures) {
      if (sameName(procedure.simpleName(), simple)) {
        found.add(procedure);
      }
    }
    return found;
  }

  /**
   * Once {@code statement} (a CREATE PROCEDURE, ALTER PROCEDURE or ALTER ROUTINE) has run as
   * {@code user} (null: a user the text does not name).
   */
  public ScriptProcedures after(SqlStatement statement, String user) {
    ProcedureChanges.Definition definition = ProcedureChanges.definition(statement);
    if (definition != null) {
      return defined(statement, definition, user);
    }
    ProcedureChanges.Alteration alteration = ProcedureChanges.alteration(statement);
    return alteration == null || isEmpty() ? this : altered(alteration, user);
  }

  private ScriptProcedures defined(SqlStatement statement, ProcedureChanges.Definition definition, String user) {
    List<String> defined = definition.name();
    String simple = defined.get(defined.size() - 1);
    String schema = defined.size() > 1 ? defined.get(defined.size() - 2) : null;
    List<Procedure> next = new ArrayList<>(procedures.size() + 1);
    List<String> owners = new ArrayList<>(1);
    boolean exact = false;
    for (Procedure procedure : procedures) {
      Boolean sameArguments = ProcedureChanges.sameArguments(procedure.arguments(), definition.arguments());
      if (!sameName(procedure.simpleName(), simple) || Boolean.FALSE.equals(sameArguments)) {
        next.add(procedure); // another procedure, or another overload
      } else if (procedure.name().equals(defined) && Boolean.TRUE.equals(sameArguments)) {
        // the same procedure, written the same way: replaced (CREATE OR REPLACE keeps its owner;
        // a plain CREATE of it succeeds only after a DROP, and then the creator owns it)
        exact = true;
        if (definition.replace()) {
          addAll(owners, procedure.owners());
        }
      } else {
        next.add(procedure);
        if (definition.replace() && (schema == null || procedure.schema() == null
            || sameName(schema, procedure.schema()))) {
          // perhaps the same procedure, written another way (a search path finds it, its name in another
          // case, or arguments of a type the guard does not read): then it keeps that owner
          addAll(owners, procedure.owners());
        }
      }
    }
    if (!exact || !definition.replace()) {
      addAll(owners, java.util.Collections.singletonList(user)); // a new procedure: its creator owns it
    }
    next.add(new Procedure(definition.name(), definition.arguments(), statement, definition.body(),
        !definition.definer(), definition.definer(), owners, definition.identitySetting()));
    return new ScriptProcedures(next, changedByCall);
  }

  private static void addAll(List<String> owners, List<String> more) {
    for (String owner : more) {
      if (!owners.contains(owner)) {
        owners.add(owner);
      }
    }
  }

  private ScriptProcedures altered(ProcedureChanges.Alteration alteration, String user) {
    List<Procedure> next = new ArrayList<>(procedures.size());
    List<String> name = alteration.name();
    String simple = name.get(name.size() - 1);
    String schema = name.size() > 1 ? name.get(name.size() - 2) : null;
    String owner = Objects.equals(alteration.owner(), ProcedureChanges.CURRENT_USER) ? user : alteration.owner();
    for (Procedure procedure : procedures) {
      Boolean sameArguments = alteration.arguments() == null ? null
          : ProcedureChanges.sameArguments(alteration.arguments(), procedure.arguments());
      if (!sameName(procedure.simpleName(), simple) || Boolean.FALSE.equals(sameArguments)) {
        next.add(procedure); // another procedure, or another overload
        continue;
      }
      // written as it was created (p(integer) is p(n int)): that procedure, changed; else perhaps that
      // one (another schema's namesake found by a search path the guard does not follow, its name in
      // another case, arguments of a type the guard does not read): every reading is kept
      boolean certain = procedure.simpleName().equals(simple) && Objects.equals(schema, procedure.schema())
          && Boolean.TRUE.equals(sameArguments);
      if (!certain && schema != null && procedure.schema() != null && !sameName(schema, procedure.schema())) {
        next.add(procedure); // another schema named on both sides: another procedure
        continue;
      }
      List<String> owners = new ArrayList<>(procedure.owners());
      if (alteration.owner() != null) {
        if (certain) {
          owners.clear();
        }
        owners.add(owner);
      }
      boolean invoker = procedure.invoker();
      boolean definer = procedure.definer();
      if (alteration.security() != null) {
        invoker = certain ? !alteration.security() : invoker || !alteration.security();
        definer = certain ? alteration.security() : definer || alteration.security();
      }
      // a SET of who runs the body stays once written (a later RESET is not read: judged for an unknown user)
      String setting = alteration.identitySetting() != null ? alteration.identitySetting() : procedure.identitySetting();
      Procedure changed = new Procedure(procedure.name(), procedure.arguments(), procedure.definition(),
          procedure.body(), invoker, definer, owners, setting);
      if (alteration.renamedTo() != null) {
        List<String> renamed = new ArrayList<>(procedure.name());
        renamed.set(renamed.size() - 1, alteration.renamedTo());
        changed = new Procedure(renamed, changed.arguments(), changed.definition(), changed.body(), invoker, definer,
            owners, setting);
        if (!certain) {
          next.add(procedure); // perhaps not renamed: a CALL of the old name may still run it
        }
      }
      next.add(changed);
    }
    return new ScriptProcedures(next, changedByCall);
  }

  /**
   * Whether two names (as written, a quoted one in its case) may name the same object: Redshift
   * folds a quoted name to lower case too unless {@code enable_case_sensitive_identifier} is on
   * (red-team review: {@code create procedure "Pq"()}, then {@code call PQ()} as user3, passed
   * check, and Redshift ran the body as user3). ASCII letters only, as Redshift folds.
   */
  private static boolean sameName(String a, String b) {
    return a.equals(b) || Names.folded(a).equals(Names.folded(b));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ScriptProcedures that && procedures.equals(that.procedures)
        && Objects.equals(changedByCall, that.changedByCall);
  }

  @Override
  public int hashCode() {
    return Objects.hash(procedures, changedByCall);
  }

  @Override
  public String toString() {
    return "ScriptProcedures" + procedures + (changedByCall == null ? "" : ", changed by " + changedByCall);
  }
}
