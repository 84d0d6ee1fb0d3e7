package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;

/** Collects what the grammar finds in one statement, then freezes it into a {@link RedshiftCommand}. */
final class CommandBuilder {
  final Tokens tokens;
  final CommandKind kind;

  // The lists start as the shared empty list, become an immutable list of one with their first
  // element and an ArrayList only with their second (see with): a statement fills only a few of
  // them, most with one element, which build() then keeps as it is instead of copying an ArrayList.
  // The role chains, which the auth parser fills, become ArrayLists at once (see growable). Add
  // through the methods below, never to a field's list directly.

  // auth clause, merged over every auth keyword of the statement
  AuthForm authForm = AuthForm.NONE;
  boolean isDefault;
  List<String> roles = List.of();
  String roleText;
  List<String> authKeywords = List.of();
  List<String> credentialKeys = List.of();
  int roleLiterals;
  int authStart = -1;
  int authEnd = -1;
  Span valueSpan;

  List<String> catalogRoles = List.of();
  /** Where CATALOG_ROLE is written, or -1. */
  int catalogRoleAt = -1;

  List<S3Location> s3 = List.of();
  String lambda;
  String sagemaker;
  String catalogDatabase;
  String secretArn;
  String region;
  String otherSource;
  SchemaSource schemaSource;
  String catalogId;
  String catalogArn;

  String targetTable;
  List<String> targetColumns = List.of();
  String objectName;
  EmbeddedQuery query;
  List<CommandOption> options = List.of();
  AssumeRoleGrant grant;
  String sessionUser;
  List<SqlStatement> body = List.of();
  List<SqlStatement> bodyInserts = List.of();
  List<Span> dynamicAuth = List.of();
  List<Problem> problems = List.of();
  /** The clauses that name one resource or role and were read once already (see {@link #once}). */
  private List<String> onceClauses = List.of();

  /** Token indices of the auth keywords the grammar consumed, so the shape scan skips them. */
  private int[] consumed;
  private int consumedCount;
  /**
   * Past {@link #LISTED_CONSUMED} of them, a bit per token index instead: searched through for each
   * auth word the scan meets, a COPY of 355,000 repeated {@code IAM_ROLE} words took 10 s to parse.
   */
  private java.util.BitSet consumedSet;
  private static final int LISTED_CONSUMED = 8;

  /** Where the statement starts: {line, column, offset} (procedure bodies count lines from it). */
  private int[] origin = TEXT_START;
  /** Line 1, column 1, offset 0: shared, as nothing writes into an origin. */
  private static final int[] TEXT_START = {1, 1, 0};

  CommandBuilder(Tokens tokens, CommandKind kind) {
    this.tokens = tokens;
    this.kind = kind;
  }

  void origin(int line, int column, int offset) {
    origin = new int[] {line, column, offset};
  }

  /** {line, column, offset} of the statement's first token. */
  int[] origin() {
    return origin.clone();
  }

  /** {line, column} of an offset inside the statement, counted from its first token. */
  int[] position(int offset) {
    return new Positions(tokens.source(), origin).at(offset);
  }

  void consumedAuthWord(int tokenIndex) {
    if (consumedSet != null) {
      consumedSet.set(tokenIndex);
      return;
    }
    if (consumed == null) {
      consumed = new int[4];
    } else if (consumedCount == consumed.length) {
      consumed = java.util.Arrays.copyOf(consumed, consumedCount * 2);
    }
    consumed[consumedCount++] = tokenIndex;
    if (consumedCount > LISTED_CONSUMED) {
      consumedSet = new java.util.BitSet();
      for (int k = 0; k < consumedCount; k++) {
        consumedSet.set(consumed[k]);
      }
    }
  }

  boolean wasConsumed(int tokenIndex) {
    if (consumedSet != null) {
      return consumedSet.get(tokenIndex);
    }
    for (int k = 0; k < consumedCount; k++) {
      if (consumed[k] == tokenIndex) {
        return true;
      }
    }
    return false;
  }

  /** Whether offset {@code at} lies inside the auth clause (roles, keys and CREDENTIALS name no location). */
  boolean inAuthClause(int at) {
    return authStart >= 0 && at >= authStart && at < authEnd;
  }

  void authCovers(int start, int end) {
    authStart = authStart < 0 ? start : Math.min(authStart, start);
    authEnd = Math.max(authEnd, end);
  }

  void problem(Problem.Kind problemKind, int offset, String reason) {
    addProblem(new Problem(problemKind, offset, reason));
  }

  /**
   * Records clause {@code clause} (a REGION, a schema's DATABASE, a function's LAMBDA...), read at
   * {@code offset}; a second one is a problem. Such a clause names the one resource (or chain) the
   * role is judged against, and the builder keeps one value: with two, the guard would judge one
   * while Redshift, which refuses most repeated clauses, might read the other. Which one it reads is
   * not documented, so the statement is not judged at all.
   */
  void once(String clause, int offset) {
    if (onceClauses.contains(clause)) {
      problem(Problem.Kind.UNPARSEABLE, offset, clause + " is given twice; which one Redshift would use is "
          + "not known, so the statement cannot be judged: write it once");
    } else {
      (onceClauses = growable(onceClauses)).add(clause);
    }
  }

  /** {@code list} itself once it holds an element, else a new list to add to. */
  private static <T> List<T> growable(List<T> list) {
    return list instanceof ArrayList ? list : new ArrayList<>(4);
  }

  /** {@code list} with {@code element} added: an immutable list of one, or an ArrayList from the second. */
  private static <T> List<T> with(List<T> list, T element) {
    if (list.isEmpty()) {
      return List.of(element);
    }
    List<T> grown = list instanceof ArrayList ? list : new ArrayList<>(list);
    grown.add(element);
    return grown;
  }

  /** Replaces the S3 location at {@code index} (a COPY source read as a manifest, a location read as written). */
  void setS3(int index, S3Location location) {
    if (s3.size() == 1 && index == 0) {
      s3 = List.of(location);
    } else {
      s3.set(index, location); // two or more: an ArrayList
    }
  }

  /** The role chain, to add to. */
  List<String> rolesToFill() {
    return roles = growable(roles);
  }

  /** The CATALOG_ROLE chain, to add to. */
  List<String> catalogRolesToFill() {
    return catalogRoles = growable(catalogRoles);
  }

  void addAuthKeyword(String keyword) {
    authKeywords = with(authKeywords, keyword);
  }

  void addCredentialKey(String key) {
    credentialKeys = with(credentialKeys, key);
  }

  void addS3(S3Location location) {
    s3 = with(s3, location);
  }

  void addTargetColumn(String column) {
    targetColumns = with(targetColumns, column);
  }

  void addBody(SqlStatement statement) {
    body = with(body, statement);
  }

  void addBodyInsert(SqlStatement statement) {
    bodyInserts = with(bodyInserts, statement);
  }

  void addDynamicAuth(Span span) {
    dynamicAuth = with(dynamicAuth, span);
  }

  void addProblem(Problem problem) {
    problems = with(problems, problem);
  }

  /**
   * The value of literal token {@code i} as Redshift reads it, for a value the guard decides on
   * ({@code what} names it); a value Redshift may read otherwise or refuse (see
   * {@link Literals.Value#doubt}) is a problem, as the guard cannot know what it names.
   */
  String decisionValue(int i, String what) {
    Literals.Value value = tokens.literal(i);
    if (value.doubt() != null) {
      problem(Problem.Kind.UNPARSEABLE, tokens.start(i), what + " uses " + value.doubt()
          + ", so what it names cannot be known; write the characters themselves");
    }
    return value.text();
  }

  /**
   * {@code value} with what looks like an AWS access key id, secret key or session token written
   * bare masked ({@link BareCredentials}), recording that such a value ({@code what}) names nothing
   * the guard could judge; {@code value} itself when it holds none. What the command keeps, and so
   * every finding, report and message quoting it, never holds the key.
   */
  String withoutBareCredentials(int offset, String what, String value) {
    String masked = BareCredentials.masked(value);
    if (masked != value) {
      bareCredentials(offset, what);
    }
    return masked;
  }

  /** Records that value {@code what} at {@code offset} held what {@link BareCredentials} masked (see {@link #withoutBareCredentials}). */
  void bareCredentials(int offset, String what) {
    problem(Problem.Kind.UNPARSEABLE, offset, what + " holds what looks like an AWS access key id, secret access"
        + " key or session token, which names no role, function, region or database; name the resource, and pass"
        + " keys, if at all, with ACCESS_KEY_ID and SECRET_ACCESS_KEY");
  }

  void option(String name, List<String> values, int start, int end) {
    options = with(options, new CommandOption(name, values, new Span(start, end)));
  }

  RedshiftCommand build() {
    if (catalogRoleAt >= 0 && !authKeywords.contains(AuthWords.IAM_ROLE)) {
      // the grammar writes CATALOG_ROLE beside IAM_ROLE (CREATE EXTERNAL SCHEMA); alone, or beside keys, which
      // role reads the catalog is not documented, and the rules judge a catalog role only beside an IAM_ROLE
      problem(Problem.Kind.UNPARSEABLE, catalogRoleAt, "CATALOG_ROLE is written without IAM_ROLE; Redshift's grammar"
          + " takes it only beside IAM_ROLE (CREATE EXTERNAL SCHEMA ... IAM_ROLE ... CATALOG_ROLE), so which role reads"
          + " the catalog cannot be known: write the IAM_ROLE clause");
    }
    AuthClause auth = authKeywords.isEmpty()
        ? AuthClause.NONE
        : new AuthClause(authForm, isDefault, Frozen.copy(roles), roleText, Frozen.copy(authKeywords),
            Frozen.copy(credentialKeys), roleLiterals, new Span(authStart, authEnd), valueSpan);
    Resources resources = s3.isEmpty() && lambda == null && sagemaker == null
        && catalogDatabase == null && secretArn == null && region == null && otherSource == null
        && schemaSource == null && catalogId == null && catalogArn == null
        ? Resources.NONE
        : new Resources(Frozen.copy(s3), lambda, sagemaker, catalogDatabase, secretArn, region, otherSource,
            schemaSource, catalogId, catalogArn);
    return new RedshiftCommand(kind, auth, Frozen.copy(catalogRoles), resources, targetTable,
        Frozen.copy(targetColumns), objectName, query, Frozen.copy(options), grant, sessionUser, Frozen.copy(body),
        Frozen.copy(bodyInserts), Frozen.copy(dynamicAuth), Frozen.copy(problems));
  }
}
