package dev.iamguard.policy.rules;

import dev.iamguard.policy.ExternalCatalog;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.ChainConfig;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.ExternalSchemaConfig;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.policy.rules.Resolution.Chain;
import dev.iamguard.policy.rules.Resolution.Reason;
import dev.iamguard.policy.rules.Resolution.Unresolved;
import dev.iamguard.sql.AuthClause;
import dev.iamguard.sql.AuthForm;
import dev.iamguard.sql.CommandKind;
import dev.iamguard.sql.RedshiftCommand;
import dev.iamguard.sql.S3Location;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a statement's auth clause into its {@link Resolution}: the session's cluster, the chain
 * format, DEFAULT, ARNs, aliases and chain names (with the rewrite they call for), 'SESSION',
 * CATALOG_ROLE, the roles a GRANT names, an external table's schema role, and each role's registry
 * entry. It records what it cannot resolve and stops where nothing further can be read (no
 * cluster, an unreadable chain); it never judges: the rules do.
 */
final class Resolver {
  private final SqlStatement statement;
  private final RedshiftCommand command;
  private final Session session;
  private final Registry registry;
  private final ClusterConfig cluster;
  /** Chains resolved for earlier statements under the same registry; null: none kept. */
  private final ChainMemo memo;
  // what the resolution found, filled by one of the branches below
  private boolean keys;
  private boolean clusterMissing;
  private String formatProblem;
  private boolean usedDefault;
  private boolean defaultMissing;
  private boolean sessionIdentity;
  private boolean catalogSession;
  private List<Unresolved> unresolved = List.of();
  private List<RoleArn> chain = List.of();
  private List<RoleArn> catalog = List.of();
  private List<RoleArn> granted = List.of();
  private String rewrite;
  private Grantee grantee;
  private Resolution.UnknownSchema unknownSchema;
  /** The IAM_ROLE chain as {@link #memo} had it or keeps it (then {@link #chain} is not looked up again), or null. */
  private Chain known;
  /** The IAM_ROLE text whose chain, once looked up, {@link #memo} may keep; null when it may not. */
  private String memorable;

  private Resolver(SqlStatement statement, Session session, Registry registry, ChainMemo memo) {
    this.statement = statement;
    this.command = statement.command();
    this.session = session;
    this.registry = registry;
    this.cluster = cluster(session, registry);
    this.memo = memo;
  }

  /**
   * The resolution of {@code statement}'s auth clause for {@code session}, with the chains
   * {@code memo} (of the same registry; null for none) kept.
   */
  static Resolution resolve(SqlStatement statement, Session session, Registry registry, ChainMemo memo) {
    return new Resolver(statement, session, registry, memo).resolve();
  }

  private Resolution resolve() {
    switch (command.kind()) {
      case GRANT_ASSUMEROLE, REVOKE_ASSUMEROLE -> grantedRoles();
      case CREATE_EXTERNAL_TABLE, ALTER_EXTERNAL_TABLE, INSERT_EXTERNAL_TABLE -> schemaRole();
      default -> {
        if (Commands.AUTH_CARRYING.contains(command.kind())) {
          authClause();
        }
      }
    }
    Chain main = known != null ? known : lookUp(chain);
    if (memorable != null) {
      memo.chain(memorable, main, rewrite);
    }
    if (grantee == null && main.last() != null) {
      grantee = Grantee.role(main.last(), RequestScope.of(cluster, session.user(), command));
    }
    return new Resolution(cluster, keys, clusterMissing, formatProblem, usedDefault, defaultMissing, sessionIdentity,
        catalogSession, unresolved, main, lookUp(catalog), lookUp(granted), rewrite, grantee, unknownSchema,
        known != null || memorable != null);
  }

  private static ClusterConfig cluster(Session session, Registry registry) {
    if (session.cluster() != null) {
      return registry.cluster(session.cluster()).orElse(null);
    }
    return registry.clusters().size() == 1 ? registry.clusters().get(0) : null;
  }

  private void authClause() {
    AuthClause auth = command.auth();
    if (auth.usesKeys()) {
      // keys name no role, so policy.keys bounds what they touch
      keys = true;
      grantee = Grantee.keys(registry.settings().keys());
      return;
    }
    if (auth.form() == AuthForm.NONE) {
      return;
    }
    if (cluster == null) {
      clusterMissing = true;
      return;
    }
    // one IAM_ROLE literal resolved before: its text read well and named these roles (ARNs, aliases, a chain
    // name). Only for a statement with no other auth clause: a second one's roles join auth.roles() while
    // auth.roleText() is the last clause's alone (CLI probe F1: remembered as that text's chain, it decided
    // later statements naming the text)
    boolean memoizable = memo != null && auth.form() == AuthForm.IAM_ROLE && auth.keywords().size() == 1
        && auth.roleLiterals() == 1 && auth.roleText() != null && !auth.isDefault() && !auth.isSession();
    ChainMemo.Resolved remembered = memoizable ? memo.chain(auth.roleText()) : null;
    if (remembered != null) {
      // an alias is rewritten (or refused) where this statement stands, as when it was first resolved
      if (remembered.rewrite() == null
          || rewrite(remembered.chain().arns(), true, auth.roleText(), remembered.rewrite())) {
        known = remembered.chain();
        chain = known.arns();
      }
      catalogRole();
      return;
    }
    formatProblem = formatProblem(auth);
    if (formatProblem != null) {
      return;
    }
    if (auth.isDefault()) {
      defaultRole(auth);
    } else if (auth.isSession() && auth.form() == AuthForm.IAM_ROLE) {
      sessionRole();
    } else if (!auth.roles().isEmpty()) {
      int before = unresolved.size();
      List<RoleArn> arns = resolve(auth.roles(), true);
      chain = arns != null ? arns : chain;
      // every element a role, an alias or a chain name, and nothing left unresolved: rewritten or not
      memorable = memoizable && arns != null && unresolved.size() == before ? auth.roleText() : null;
    }
    catalogRole();
  }

  /** IAM_ROLE 'SESSION': the caller's own identity, where Redshift accepts it. */
  private void sessionRole() {
    CommandKind kind = command.kind();
    if (kind == CommandKind.CREATE_EXTERNAL_SCHEMA || kind == CommandKind.ALTER_EXTERNAL_SCHEMA
        || kind == CommandKind.CREATE_DATABASE) {
      sessionIdentity = true;
    } else {
      unresolved(new Unresolved("SESSION", Reason.SESSION_NOT_ACCEPTED, kind.toString()));
    }
  }

  /** CATALOG_ROLE: 'SESSION', or a chain of its own (never rewritten). */
  private void catalogRole() {
    List<String> catalogWritten = command.catalogRoles();
    catalogSession = catalogWritten.size() == 1 && AuthClause.isSessionWord(catalogWritten.get(0));
    if (!catalogWritten.isEmpty() && !catalogSession) {
      List<RoleArn> arns = resolve(catalogWritten, false);
      catalog = arns != null ? arns : catalog;
    }
  }

  /**
   * "The entire role chain is enclosed in single quotes and must not contain spaces"; nor may it
   * have an empty element ({@code ,,} or a comma at either end). Null when the chain reads well.
   */
  private static String formatProblem(AuthClause auth) {
    String text = auth.roleText();
    if (text == null) {
      return null;
    }
    if (auth.roleLiterals() > 1) {
      return "the role chain is split over " + auth.roleLiterals() + " literals";
    } else if (hasWhitespace(text)) {
      return "the role chain '" + text + "' contains spaces";
    } else if (text.startsWith(",") || text.endsWith(",") || text.contains(",,")) {
      return "the role chain '" + text + "' has an empty element";
    }
    return null;
  }

  /** Whether {@code text} holds a space of any kind (package-private for its exhaustive test). */
  static boolean hasWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c > 127 && (Character.isWhitespace(c) || Character.isSpaceChar(c))) {
        return true;
      }
    }
    return false;
  }

  /** IAM_ROLE DEFAULT: the cluster's default role, rewritten to its ARN when the registry asks. */
  private void defaultRole(AuthClause auth) {
    usedDefault = true;
    if (cluster.defaultRole().isEmpty()) {
      defaultMissing = true;
      return;
    }
    ChainMemo.Default entry = memo != null ? memo.defaultChain(cluster) : null;
    if (entry == null) {
      RoleArn role = cluster.defaultRole().get();
      entry = new ChainMemo.Default(cluster, lookUp(List.of(role)), "'" + role + "'");
      if (memo != null) {
        memo.defaultChain(entry);
      }
    }
    known = entry.chain();
    chain = known.arns();
    if (registry.settings().rewriteDefaultRole() && auth.valueSpan() != null && statement.rewritable()) {
      RoleArn unsafe = unsafeForRewrite(chain);
      if (unsafe != null) {
        unresolved(new Unresolved("DEFAULT", Reason.REWRITE_UNSAFE, unsafe.toString()));
        return;
      }
      rewrite = readsBack("DEFAULT", chain, entry.rewrite()) ? entry.rewrite() : null;
    }
  }

  /**
   * Whether {@code text}, put in place of the clause's value, reads back as exactly {@code arns}
   * ({@link RewriteReadBack}); when it does not, records why under {@code subject}.
   */
  private boolean readsBack(String subject, List<RoleArn> arns, String text) {
    String problem = RewriteReadBack.problem(statement, arns, text);
    if (problem != null) {
      unresolved(new Unresolved(subject, Reason.REWRITE_UNREADABLE, problem));
    }
    return problem == null;
  }

  /**
   * The first ARN whose text holds {@code '}, {@code \}, {@code $} or {@code ,} (an IAM path may hold any
   * printable ASCII, a name commas), or null: the rewrite writes ARNs raw between single quotes, where such a
   * character could end the literal, be read as an escape, or end a procedure body's dollar quote; and
   * Redshift splits a chain at its commas, so {@code role/x,arn:...:role/Evil} or {@code role/R,} would be
   * sent as another chain than the one decided.
   */
  private static RoleArn unsafeForRewrite(List<RoleArn> arns) {
    for (int i = 0; i < arns.size(); i++) {
      String text = arns.get(i).toString();
      if (text.indexOf('\'') >= 0 || text.indexOf('\\') >= 0 || text.indexOf('$') >= 0 || text.indexOf(',') >= 0) {
        return arns.get(i);
      }
    }
    return null;
  }

  /** The chain as ARNs, or null (with what is unresolved recorded) when an element is neither an ARN nor a name. */
  private List<RoleArn> resolve(List<String> written, boolean rewritable) {
    boolean aliases = registry.settings().rewriteAliases();
    List<RoleArn> arns = new ArrayList<>(written.size());
    boolean renamed = false;
    boolean ok = true;
    for (int at = 0; at < written.size(); at++) {
      String element = written.get(at);
      RoleArn.Parsed parsed = RoleArn.parse(element);
      if (parsed.arn().isPresent()) {
        arns.add(parsed.arn().get());
        continue;
      }
      List<RoleArn> named = aliases ? byName(element, written.size()) : null;
      if (named != null) {
        arns.addAll(named);
        renamed = true;
      } else {
        ok = false;
        unresolved(new Unresolved(element, Reason.NOT_A_ROLE, parsed.problem().orElse("malformed")));
      }
    }
    if (ok && renamed) {
      ok = rewrite(arns, rewritable, String.join(",", written), null);
    }
    return ok ? arns : null;
  }

  private List<RoleArn> byName(String name, int elements) {
    Optional<ChainConfig> named = elements == 1 ? registry.chain(name) : Optional.empty();
    if (named.isPresent()) {
      return named.get().roles();
    }
    return registry.roleByAlias(name).map(role -> List.of(role.arn())).orElse(null);
  }

  /**
   * Aliases can be rewritten only in an IAM_ROLE literal the guard can replace in place; {@code text}
   * is the rewrite as worked out before (null: written from {@code arns}).
   */
  private boolean rewrite(List<RoleArn> arns, boolean authClause, String subject, String text) {
    String why = !authClause ? "aliases are not rewritten in CATALOG_ROLE"
        : command.auth().form() != AuthForm.IAM_ROLE ? "aliases are rewritten only in IAM_ROLE clauses, not in CREDENTIALS"
        : !statement.rewritable() ? "it stands in a single-quoted procedure body or in the text of EXECUTE, "
            + "which cannot be rewritten in place"
        : null;
    if (why != null) {
      unresolved(new Unresolved(subject, Reason.ALIAS_NOT_REWRITTEN, why));
      return false;
    }
    RoleArn unsafe = unsafeForRewrite(arns);
    if (unsafe != null) {
      unresolved(new Unresolved(subject, Reason.REWRITE_UNSAFE, unsafe.toString()));
      return false;
    }
    String quoted = text != null ? text : quoted(arns);
    if (!readsBack(subject, arns, quoted)) {
      return false;
    }
    rewrite = quoted;
    return true;
  }

  private static String quoted(List<RoleArn> arns) {
    StringBuilder quoted = new StringBuilder(2 + 64 * arns.size()).append('\'');
    for (int i = 0; i < arns.size(); i++) {
      quoted.append(i == 0 ? "" : ",").append(arns.get(i));
    }
    return quoted.append('\'').toString();
  }

  /** GRANT/REVOKE ASSUMEROLE: every role it names must be a role ARN, or the grant would cover nothing. */
  private void grantedRoles() {
    List<RoleArn> arns = new ArrayList<>();
    for (String written : command.grant().roles()) {
      for (String element : RoleArn.splitChain(written)) {
        RoleArn.Parsed parsed = RoleArn.parse(element);
        if (parsed.arn().isPresent()) {
          arns.add(parsed.arn().get());
        } else {
          unresolved(new Unresolved(element, Reason.NOT_AN_ARN, parsed.problem().orElse("malformed")));
        }
      }
    }
    granted = arns;
  }

  /**
   * External tables: their locations are read or written with the external schema's role, as
   * created through the guard in this session, else as the registry's external_schemas lists it.
   */
  private void schemaRole() {
    List<S3Location> locations = command.resources().s3();
    String other = command.resources().otherSource();
    if (locations.isEmpty() && other == null) {
      return;
    }
    String table = command.targetTable();
    String schema = table == null ? null : ExternalCatalog.schemaOf(table);
    List<RoleArn> schemaChain = schema == null ? null : session.externalCatalog().schema(schema)
        .or(() -> registry.externalSchema(schema, cluster == null ? null : cluster.id())
            .map(ExternalSchemaConfig::chain))
        .orElse(null);
    RoleConfig role = schemaChain == null || schemaChain.isEmpty() ? null
        : registry.role(schemaChain.get(schemaChain.size() - 1)).orElse(null);
    if (role != null) {
      grantee = Grantee.role(role, RequestScope.of(cluster, session.user(), command));
    } else {
      unknownSchema = new Resolution.UnknownSchema(table, schema, schemaChain != null && schemaChain.isEmpty(),
          other != null ? other : locations.get(0).uri());
    }
  }

  private void unresolved(Unresolved element) {
    if (unresolved.isEmpty()) {
      unresolved = new ArrayList<>(2);
    }
    unresolved.add(element);
  }

  /** The chain with each role's registry entry; {@code arns} is this resolver's own list, handed over. */
  private Chain lookUp(List<RoleArn> arns) {
    if (arns.isEmpty()) {
      return Chain.EMPTY;
    }
    RoleConfig[] roles = new RoleConfig[arns.size()];
    for (int i = 0; i < roles.length; i++) {
      roles[i] = registry.role(arns.get(i)).orElse(null);
    }
    return new Chain(arns, roles);
  }
}
