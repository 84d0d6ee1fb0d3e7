package dev.iamguard.policy.suggest;

import java.util.List;

/**
 * A GRANT ASSUMEROLE the scripts need.
 *
 * @param on {@code default} or the chain, its ARNs joined by commas
 * @param to the users
 * @param commands the commands, as SQL writes them ({@code COPY}, {@code EXTERNAL FUNCTION}, ...)
 */
public record SuggestedGrant(String on, List<String> to, List<String> commands) {
  public SuggestedGrant {
    to = List.copyOf(to);
    commands = List.copyOf(commands);
  }

  /** Whether the grant is on the cluster's default role. */
  public boolean onDefault() {
    return on.equals("default");
  }

  /** The statement a superuser runs: {@code GRANT ASSUMEROLE ON '<chain>' TO user, ... FOR COPY, ...;}. */
  public String toSql() {
    return "GRANT ASSUMEROLE ON " + (onDefault() ? "DEFAULT" : "'" + on.replace("'", "''") + "'") + " TO "
        + String.join(", ", to.stream().map(SuggestedGrant::identifier).toList()) + " FOR "
        + String.join(", ", commands) + ";";
  }

  /**
   * Key words Redshift reserves (and PostgreSQL's, which its parser shares), and the words the GRANT ASSUMEROLE
   * grammar reads in its grantee list ({@code ROLE name}, {@code GROUP name}, {@code PUBLIC}): a user named so
   * must be quoted in GRANT, or {@code TO role, bob} grants role {@code bob}. Quoting a word that needs none
   * names the same user, so the list errs wide.
   */
  private static final java.util.Set<String> RESERVED = java.util.Set.of("aes128", "aes256", "all", "allowoverwrite",
      "assumerole", "analyse", "analyze", "and", "any", "array", "as", "asc", "authorization", "az64", "backup",
      "between", "binary", "blanksasnull", "both", "bytedict", "bzip2", "case", "cast", "check", "collate", "column",
      "concurrently", "constraint", "create", "credentials", "cross", "current_catalog", "current_date",
      "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "current_user_id",
      "default", "deferrable", "deflate", "defrag", "delta", "delta32k", "desc", "disable", "distinct", "do", "else",
      "emptyasnull", "enable", "encode", "encrypt", "encryption", "end", "except", "explicit", "false", "fetch",
      "for", "foreign", "freeze", "from", "full", "globaldict256", "globaldict64k", "grant", "group", "gzip",
      "having", "identity", "ignore", "ilike", "in", "initially", "inner", "intersect", "interval", "into", "is",
      "isnull", "join", "language", "lateral", "leading", "left", "like", "limit", "localtime", "localtimestamp",
      "lun", "luns", "lzo", "lzop", "minus", "mostly16", "mostly32", "mostly8", "natural", "new", "not", "notnull",
      "null", "nulls", "off", "offline", "offset", "oid", "old", "on", "only", "open", "or", "order", "outer",
      "overlaps", "parallel", "partition", "percent", "permissions", "pivot", "placing", "primary", "public", "raw",
      "readratio", "recover", "references", "returning", "respect", "rejectlog", "resort", "restore", "revoke",
      "right", "role", "select", "session_user", "similar", "snapshot", "some", "sysdate", "system", "table", "tag",
      "tdes", "text255", "text32k", "then", "timestamp", "to", "top", "trailing", "true", "truncatecolumns", "type",
      "union", "unique", "unnest", "unpivot", "user", "using", "variadic", "verbose", "wallet", "when", "where",
      "window", "with", "without");

  /** A user name as SQL needs it: plain when it is a lower-case identifier and no key word, else double-quoted. */
  private static String identifier(String name) {
    return name.matches("[a-z_][a-z0-9_$]*") && !RESERVED.contains(name) ? name
        : "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
