package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds where secret values are written in SQL text: the literals after {@code ACCESS_KEY_ID},
 * {@code SECRET_ACCESS_KEY}, {@code SESSION_TOKEN}, {@code MASTER_SYMMETRIC_KEY} and
 * {@code PASSWORD}, and the values inside a {@code CREDENTIALS} string other than
 * {@code aws_iam_role}. Role ARNs are not secrets and are left alone.
 *
 * <p>It errs towards masking too much: an unterminated literal after such a word is a secret to
 * the end of the text, a single-quoted literal whose text mentions a secret keyword (dynamic SQL)
 * is masked whole, and a dollar-quoted body is searched like top-level SQL.
 */
public final class SecretSpans {
  /** The words of clauses that carry a secret value, lower case ({@code token=} of a CREDENTIALS string). */
  private static final String[] SECRET_CLAUSE_WORDS = {
      "access_key_id", "secret_access_key", "session_token", "master_symmetric_key", "password", "token="};

  private static final String[] CLAUSE_WORDS = {
      "FROM", "WHERE", "AS", "AND", "OR", "IS", "NOT", "IN", "ON", "INTO", "GROUP", "ORDER", "LIMIT", "UNION"};

  private SecretSpans() {}

  /** The spans of secret values in {@code sql}, in order; empty when there are none. */
  public static List<Span> find(String sql) {
    List<Span> spans = new ArrayList<>(0);
    if (mayHoldSecret(sql)) {
      scan(Lexer.tokenize(sql), spans, 0);
    }
    return spans;
  }

  /** Replaces every secret value in {@code sql} with {@code mask}. */
  public static String mask(String sql, String mask) {
    List<Span> spans = find(sql);
    if (spans.isEmpty()) {
      return sql;
    }
    StringBuilder out = new StringBuilder(sql.length());
    int from = 0;
    for (Span span : spans) {
      if (span.start() < from) {
        continue;
      }
      out.append(sql, from, span.start()).append(mask);
      from = span.end();
    }
    return out.append(sql, from, sql.length()).toString();
  }

  /** A text without a secret clause or a CREDENTIALS string holds no secret: it need not be scanned. */
  private static boolean mayHoldSecret(String sql) {
    String lower = sql.toLowerCase(Locale.ROOT);
    return mentionsAny(lower, SECRET_CLAUSE_WORDS) || lower.contains("credentials");
  }

  private static boolean mentionsAny(String lower, String[] words) {
    for (String word : words) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return false;
  }

  private static void scan(Tokens t, List<Span> spans, int depth) {
    for (int i = 0; i < t.count(); i++) {
      TokenKind kind = t.kind(i);
      if (kind == TokenKind.WORD && isSecretKeyword(t, i)) {
        int value = i + 1;
        if (t.isWord(value, "AS") || t.is(value, TokenKind.OPERATOR) && t.text(value).equals("=")) {
          value++;
        }
        if (value < t.count() && (t.kind(value).isLiteral() || t.kind(value).isUnterminated()
            || isBarePassword(t, i, value) || isBareKeyValue(t, i, value))) {
          valueSpan(t, value, t.isWord(i, AuthWords.CREDENTIALS), spans);
          i = value;
        }
      } else if (kind == TokenKind.DOLLAR_STRING || kind == TokenKind.UNTERMINATED_DOLLAR_STRING) {
        if (depth >= ProcedureParser.MAX_DEPTH) {
          spans.add(inner(t, i)); // too deep to read: masked whole, as the guard does not read it either
          continue;
        }
        int from = Literals.valueStart(t.source(), t.start(i), kind);
        int to = kind == TokenKind.DOLLAR_STRING ? t.end(i) - (from - t.start(i)) : t.end(i);
        scan(Lexer.tokenize(t.source(), from, to), spans, depth + 1);
      } else if ((kind == TokenKind.STRING || kind == TokenKind.UNTERMINATED_STRING)
          && mentionsSecretClause(t.literalValue(i))) {
        spans.add(inner(t, i));
      }
    }
  }

  private static boolean isSecretKeyword(Tokens t, int i) {
    return t.isWord(i, AuthWords.ACCESS_KEY_ID) || t.isWord(i, AuthWords.SECRET_ACCESS_KEY)
        || t.isWord(i, AuthWords.SESSION_TOKEN) || t.isWord(i, AuthWords.MASTER_SYMMETRIC_KEY)
        || t.isWord(i, "PASSWORD") || t.isWord(i, AuthWords.CREDENTIALS);
  }

  /**
   * An unquoted value after a key or token keyword ({@code ACCESS_KEY_ID AKIA...}): Redshift
   * refuses the statement, but the value is still a secret. Another auth keyword there is not one.
   */
  private static boolean isBareKeyValue(Tokens t, int keyword, int value) {
    TokenKind kind = t.kind(value);
    return (kind == TokenKind.WORD || kind == TokenKind.NUMBER || kind == TokenKind.QUOTED_IDENTIFIER)
        && !t.isWord(keyword, "PASSWORD") && !t.isWord(keyword, AuthWords.CREDENTIALS)
        && !AuthWords.isAuthWord(t, value) && !isSecretKeyword(t, value) && !isClauseWord(t, value);
  }

  /** {@code PASSWORD md5abc}: a bare word after PASSWORD, unless DISABLE or a clause word (a column named password). */
  private static boolean isBarePassword(Tokens t, int keyword, int value) {
    return t.kind(value) == TokenKind.WORD && t.isWord(keyword, "PASSWORD") && !t.isWord(value, "DISABLE")
        && !isClauseWord(t, value);
  }

  /** Words that follow a column named like a keyword ({@code select session_token from t}). */
  private static boolean isClauseWord(Tokens t, int i) {
    for (String word : CLAUSE_WORDS) {
      if (t.isWord(i, word)) {
        return true;
      }
    }
    return false;
  }

  /** Dynamic SQL in a literal: mask it whole when it holds a secret-bearing clause. */
  private static boolean mentionsSecretClause(String text) {
    return mentionsAny(text.toLowerCase(Locale.ROOT), SECRET_CLAUSE_WORDS);
  }

  private static void valueSpan(Tokens t, int value, boolean credentials, List<Span> spans) {
    TokenKind kind = t.kind(value);
    if (credentials && kind == TokenKind.STRING) {
      String text = t.source().substring(t.start(value) + 1, t.end(value) - 1);
      if (text.indexOf('\'') < 0 && text.indexOf('\\') < 0) {
        credentialValues(text, t.start(value) + 1, spans);
        return;
      }
    }
    spans.add(inner(t, value));
  }

  /** Masks each value of {@code key=value;...} except aws_iam_role's (a role ARN is not secret). */
  private static void credentialValues(String text, int offset, List<Span> spans) {
    int from = 0;
    while (from <= text.length()) {
      int end = text.indexOf(';', from);
      end = end < 0 ? text.length() : end;
      int equals = text.indexOf('=', from);
      if (equals >= 0 && equals < end) {
        if (!text.substring(from, equals).equals("aws_iam_role")) {
          spans.add(new Span(offset + equals + 1, offset + end));
        }
      } else if (end > from) {
        spans.add(new Span(offset + from, offset + end));
      }
      from = end + 1;
    }
  }

  /** The value inside a literal token (its quotes or tags kept), to the end for unterminated ones. */
  private static Span inner(Tokens t, int i) {
    TokenKind kind = t.kind(i);
    int start = Literals.valueStart(t.source(), t.start(i), kind);
    int end;
    if (kind == TokenKind.STRING) {
      end = t.end(i) - 1;
    } else if (kind == TokenKind.DOLLAR_STRING) {
      end = t.end(i) - (start - t.start(i));
    } else if (kind == TokenKind.WORD || kind == TokenKind.NUMBER || kind == TokenKind.QUOTED_IDENTIFIER) {
      return new Span(t.start(i), t.end(i));
    } else {
      end = t.end(i);
    }
    return new Span(Math.min(start, end), end);
  }
}
