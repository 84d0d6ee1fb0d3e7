package dev.iamguard.policy.rules;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.sql.AuthClause;
import dev.iamguard.sql.AuthForm;
import dev.iamguard.sql.Span;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * The post-condition of every rewrite: the statement with its role value replaced, read again by the
 * guard's own lexer and parser, must be as many statements as before and name exactly the decided roles in
 * one IAM_ROLE literal; and the bytes replaced must be the value's own ({@code DEFAULT} or one plain
 * {@code '...'} literal). A rewrite is what is sent, so a text that reads as another role (a literal after
 * DEFAULT joining the ARN, an ARN holding {@code ,arn:}) or that drops bytes of the statement (a literal
 * continued across lines with a comment between, an {@code E}/{@code N} prefix Redshift does not know)
 * would send a statement nobody decided: it is refused instead.
 */
final class RewriteReadBack {
  private RewriteReadBack() {}

  /**
   * Null when replacing {@code statement}'s role value with {@code replacement} sends exactly
   * {@code arns}; else why not, to be shown (it quotes no value of the statement: only its roles).
   */
  static String problem(SqlStatement statement, List<RoleArn> arns, String replacement) {
    Span value = statement.command().auth().valueSpan();
    if (value == null) {
      return "the role value has no place in the text to rewrite";
    }
    String source = statement.source();
    String own = ownBytes(source, value.start(), value.end());
    if (own != null) {
      return own;
    }
    String rewritten = source.substring(statement.start(), value.start()) + replacement
        + source.substring(value.end(), statement.end());
    List<SqlStatement> again = SqlScript.parse(rewritten).statements();
    // the statement alone is counted, not parsed: a second parse of every rewritten COPY cost a tenth of a script's inspection
    if (again.size() != SqlScript.countStatements(statement.text())) {
      return "the rewritten text would split into other statements";
    }
    for (SqlStatement read : again) {
      AuthClause auth = read.command().auth();
      if (auth.form() != AuthForm.NONE) {
        return sameRoles(auth, statement.command().auth(), arns) ? null
            : "the rewritten text would read as another role value than the " + arns.size() + " role(s) decided (a literal written right after it joins it, or an ARN holds ,arn:)";
      }
    }
    return "the rewritten text would hold no auth clause";
  }

  /**
   * Why the bytes {@code source[start, end)} a rewrite replaces are more than the role value's own, or
   * null when they are not. Read in place: a copy of the value, lower-cased, cost a twentieth of a
   * script's inspection.
   */
  private static String ownBytes(String source, int start, int end) {
    if (end - start == 7 && source.regionMatches(true, start, "default", 0, 7)) {
      return null;
    }
    if (start == end || source.charAt(start) != '\'') {
      // Redshift has no E'' (nor, as the guard reads them, N''): the prefix would be dropped and a statement it
      // refuses would become one it runs
      return "the role literal has a prefix (" + (start == end ? "" : source.charAt(start))
          + "'...'), which Redshift does not read as the guard does; rewriting would drop it";
    }
    // a role value holds no line end, so one in the literal's text means the literal continues on another line
    for (int i = start; i < end; i++) {
      char c = source.charAt(i);
      if (c == '\n' || c == '\r') {
        return "the role literal is continued across lines; rewriting it would drop what stands between its parts";
      }
    }
    return null;
  }

  private static boolean sameRoles(AuthClause auth, AuthClause before, List<RoleArn> arns) {
    if (auth.form() != AuthForm.IAM_ROLE || auth.isDefault() || auth.roleLiterals() != 1
        || !auth.keywords().equals(before.keywords())) {
      return false;
    }
    List<String> expected = new ArrayList<>(arns.size());
    for (RoleArn arn : arns) {
      expected.add(arn.toString());
    }
    return auth.roles().equals(expected);
  }
}
