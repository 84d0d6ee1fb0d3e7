package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * What one statement asks Redshift to do with AWS credentials: the immutable result of the grammar.
 *
 * @param kind the command
 * @param auth the authorization clause, {@link AuthClause#NONE} when absent
 * @param catalogRoles CREATE EXTERNAL SCHEMA's {@code CATALOG_ROLE} chain as written, or empty
 * @param resources the AWS resources touched
 * @param targetTable the table COPY loads, as written, or null
 * @param targetColumns COPY's column list, as written (unquoted names folded to lower case), or empty
 * @param objectName the object the statement creates or alters (library, schema, function, model,
 *     database, procedure), as written, or null
 * @param query the embedded query (UNLOAD, CREATE MODEL FROM), or null
 * @param options the remaining options, in order
 * @param grant the body of GRANT/REVOKE ASSUMEROLE, or null
 * @param sessionUser for SET SESSION AUTHORIZATION, the user switched to; null for DEFAULT and RESET
 * @param body for CREATE PROCEDURE, the auth-carrying statements of its body: written literally, or
 *     run by {@code EXECUTE} from a constant text (those are not rewritable)
 * @param bodyInserts for CREATE PROCEDURE, the {@code INSERT INTO} statements of its body (written
 *     literally, or run by {@code EXECUTE} from a constant text), whatever table they name: an INSERT
 *     into an external table writes its S3 location with the external schema's role, and only the
 *     session knows which tables are external
 * @param dynamicAuth for CREATE PROCEDURE, where its body runs dynamic SQL whose text is not
 *     constant ({@code EXECUTE} of anything but literals joined by {@code ||}): unknown until it runs
 * @param problems why part of an auth clause could not be understood; empty when all is clear
 */
public record RedshiftCommand(
    CommandKind kind,
    AuthClause auth,
    List<String> catalogRoles,
    Resources resources,
    String targetTable,
    List<String> targetColumns,
    String objectName,
    EmbeddedQuery query,
    List<CommandOption> options,
    AssumeRoleGrant grant,
    String sessionUser,
    List<SqlStatement> body,
    List<SqlStatement> bodyInserts,
    List<Span> dynamicAuth,
    List<Problem> problems) {

  /** The shared command of every statement that carries no authorization clause. */
  public static final RedshiftCommand OTHER = new RedshiftCommand(CommandKind.OTHER, AuthClause.NONE,
      List.of(), Resources.NONE, null, List.of(), null, null, List.of(), null, null, List.of(), List.of(), List.of(), List.of());

  /**
   * {@code INSERT INTO table} where the caller knows {@code table} is an external table stored at
   * one of {@code locations}: each is written with the external schema's role.
   */
  public static RedshiftCommand externalInsert(String table, List<String> locations) {
    List<S3Location> written = new ArrayList<>(locations.size());
    String other = null;
    for (String location : locations) {
      if (location.regionMatches(true, 0, "s3://", 0, 5)) {
        written.add(new S3Location(location, S3Location.Access.WRITE, S3Location.Purpose.EXTERNAL_TABLE));
      } else if (other == null) {
        other = location;
      }
    }
    Resources resources = new Resources(written, null, null, null, null, null, other, null, null, null);
    return new RedshiftCommand(CommandKind.INSERT_EXTERNAL_TABLE, AuthClause.NONE, List.of(), resources, table,
        List.of(), null, null, List.of(), null, null, List.of(), List.of(), List.of(), List.of());
  }

  /** A command without body INSERTs: the canonical constructor as it stood before {@link #bodyInserts} existed. */
  public RedshiftCommand(CommandKind kind, AuthClause auth, List<String> catalogRoles, Resources resources,
      String targetTable, List<String> targetColumns, String objectName, EmbeddedQuery query,
      List<CommandOption> options, AssumeRoleGrant grant, String sessionUser, List<SqlStatement> body,
      List<Span> dynamicAuth, List<Problem> problems) {
    this(kind, auth, catalogRoles, resources, targetTable, targetColumns, objectName, query, options, grant,
        sessionUser, body, List.of(), dynamicAuth, problems);
  }

  public RedshiftCommand {
    catalogRoles = List.copyOf(catalogRoles);
    targetColumns = List.copyOf(targetColumns);
    options = List.copyOf(options);
    body = List.copyOf(body);
    bodyInserts = List.copyOf(bodyInserts);
    dynamicAuth = List.copyOf(dynamicAuth);
    problems = ListedProblems.of(problems);
  }

  /** True when part of an auth clause could not be understood. */
  public boolean isUnparseable() {
    return !problems.isEmpty();
  }

  /** The first option with this (upper case) name, or null. */
  public CommandOption option(String name) {
    for (int at = 0; at < options.size(); at++) {
      CommandOption option = options.get(at);
      if (option.name().equals(name)) {
        return option;
      }
    }
    return null;
  }

  /**
   * True when {@code location} is the target of an UNLOAD with CLEANPATH, which "removes existing
   * files located in the Amazon S3 path specified in the TO clause before unloading" (with PARTITION
   * BY, those of the partition folders it writes: under the target too): s3:DeleteObject there.
   */
  public boolean deletesUnder(S3Location location) {
    return location.purpose() == S3Location.Purpose.UNLOAD_TARGET && option("CLEANPATH") != null;
  }

  /** True when anything here needs a policy decision (a clause, a problem or nested statements). */
  public boolean needsInspection() {
    return kind != CommandKind.OTHER || !problems.isEmpty();
  }

  /** As a record writes itself, with every secret masked ({@link MaskedText}). */
  @Override
  public String toString() {
    return MaskedText.of(this);
  }
}
