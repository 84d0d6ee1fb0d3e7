package dev.iamguard.audit;

import dev.iamguard.sql.QuotedSecrets;
import dev.iamguard.sql.SecretSpans;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that makes text safe to print: every exception, log line and report that shows
 * SQL or a connection URL passes it through here first. In SQL, access key ids, secret keys,
 * session tokens, CREDENTIALS key values, master symmetric keys and passwords become
 * {@value #MASK}, whatever literal form holds them; role ARNs, which are not secrets, stay
 * readable. In URLs and messages, the password of {@code user:password@host} and the value of
 * every argument whose name holds {@code password}, {@code pwd}, {@code secret}, {@code token} or
 * {@code accesskey} (any case, after {@code ?}, {@code &} or {@code ;}) become {@value #MASK}.
 */
public final class Redactor {
  /** What a secret value is replaced with. */
  public static final String MASK = "***";
  /** The longest password of a URL's user info masked (see USERINFO). */
  private static final int MAX_PASSWORD = 256;

  /**
   * {@code scheme://user:}, the user info's start; its password runs to an {@code @} found by
   * {@link #passwordEnd}. People write user info that no URL syntax allows, and drivers print it
   * back: a password or user name holding a space, a no-break space or a {@code /}
   * ({@code //bob:pa ss@host}, {@code //bob:p/q@host}) was printed whole. The user runs to the first
   * {@code :} (no line break, {@code /}, {@code ?}, {@code #}, {@code @} or {@code ;} in it).
   */
  private static final Pattern USERINFO = Pattern.compile("//[^/?#@\\r\\n:;]*+:");
  /**
   * The names of secret arguments, with what may stand around them in the name. The name is read
   * once (possessive), after a look ahead for the secret word in it: a greedy name around the word
   * backtracked over every occurrence of it, quadratic in a long run of them ({@code pwdpwd...}).
   */
  private static final String SECRET_KEY =
      "(?=[\\w.-]*?(?:password|pwd|secret|token|accesskey|access_key))[\\w.-]*+\\s*+=";
  /**
   * {@code ?pwd=x}, {@code &SecretAccessKey=x}: a query argument's value ends only at {@code &} (or
   * the line's end): pgjdbc and the Redshift driver read {@code #}, (pgjdbc) {@code ;} and white space
   * as part of it ({@code password= Hunter09} is the password {@code " Hunter09"}). In a message the
   * rest of the line after such a URL is masked with it: no end the driver does not see is guessed.
   */
  private static final Pattern SECRET_QUERY_ARGUMENT = Pattern.compile("([?&]" + SECRET_KEY + ")([^&\\r\\n]*+)",
      Pattern.CASE_INSENSITIVE);
  /**
   * {@code ;Password=x}: a {@code ;}-separated argument's value ends only at {@code ;} (or the line's
   * end): the Redshift driver reads {@code ;PWD=a b} as {@code a b}.
   */
  private static final Pattern SECRET_SEMICOLON_ARGUMENT = Pattern.compile("(;" + SECRET_KEY + ")([^;\\r\\n]*+)",
      Pattern.CASE_INSENSITIVE);
  /**
   * {@code {user=bob, password=x}}, how {@link Properties} print: the value ends only at {@code ,} or
   * {@code }} (or the line's end), as it may hold white space ({@code password= a b}).
   */
  private static final Pattern SECRET_PROPERTY = Pattern.compile("([{,][ \\t]*+" + SECRET_KEY + ")([^,}\\r\\n]*+)",
      Pattern.CASE_INSENSITIVE);
  /**
   * Free text: the value ends at any separator, after the spaces that may start it ({@code password= x}
   * is the password {@code " x"}).
   */
  private static final Pattern SECRET_ARGUMENT = Pattern.compile("((?:^|[,{\\s])" + SECRET_KEY
      + ")([ \\t]*+[^&;,}\\s]*+)", Pattern.CASE_INSENSITIVE);
  /** Every pattern of a secret in a URL, its value as group 2. */
  private static final Pattern[] URL_SECRETS =
      {SECRET_QUERY_ARGUMENT, SECRET_SEMICOLON_ARGUMENT, SECRET_PROPERTY, SECRET_ARGUMENT};

  /** Argument and property names whose values are secrets. */
  private static final Pattern SECRET_NAME = Pattern.compile("password|pwd|secret|token|accesskey|access_key",
      Pattern.CASE_INSENSITIVE);
  /** The shortest secret value searched for in free text. */
  private static final int MIN_QUOTED_SECRET = QuotedSecrets.MIN_LENGTH;
  /** Stands for whichever secret keyword a statement before may have ended with: each takes the same value forms. */
  private static final String ANY_SECRET_KEYWORD = "password";

  private Redactor() {}

  /** True when a URL argument or connection property of this name holds a secret ({@code password}, {@code secret_key}...). */
  public static boolean isSecretName(String name) {
    return name != null && SECRET_NAME.matcher(name).find();
  }

  /** {@code sql} with every secret value masked; the same string when there is none. */
  public static String redact(String sql) {
    return sql == null ? null : SecretSpans.mask(sql, MASK);
  }

  /**
   * {@link #redact} of a statement that follows one ending with the secret keyword {@code carried}
   * ({@link SecretSpans#keywordAwaitingValue}; null when it does not): a value split from its keyword
   * by a semicolon ({@code password;\n'x';}) is masked in the statement printed on its own too.
   */
  public static String redactAfter(String carried, String sql) {
    return sql == null ? null : SecretSpans.maskAfter(carried, sql, MASK);
  }

  /**
   * {@link #redact} of a statement printed on its own, without the statement, batch entry or
   * execution before it: a literal value it starts with is masked as the value of a secret keyword
   * the one before may have ended with ({@code alter user bob password}, then {@code 'x' ...}:
   * red-team review, the audit trail printed {@code 'x'}). No statement starts with a literal,
   * so nothing else is masked.
   */
  public static String redactAlone(String sql) {
    return sql == null ? null : SecretSpans.maskAfter(ANY_SECRET_KEYWORD, sql, MASK);
  }

  /**
   * A JDBC URL (or any text holding one) with its password and secret arguments masked; the same
   * string when there is none.
   */
  public static String redactUrl(String url) {
    if (url == null || url.indexOf('=') < 0 && url.indexOf('@') < 0) {
      return url;
    }
    String masked = maskedPasswords(url);
    for (Pattern pattern : URL_SECRETS) {
      masked = replace(pattern, masked);
    }
    return masked;
  }

  /**
   * A message for people (an exception's text, a driver's error) that may quote both SQL and
   * connection URLs: both are masked.
   */
  public static String redactMessage(String message) {
    return redactUrl(redactedFields(message));
  }

  /**
   * The line pgjdbc and the Redshift driver add to a server error for where the server stopped
   * ({@code ERROR: syntax error at or near "password"\n  Position: 40}); they write only a number
   * after it.
   */
  private static final Pattern POSITION_FIELD = Pattern.compile("\n  (?:Internal )?Position: \\d++(?=\r?\n|$)");

  /**
   * {@link #redact} of a message, the text on each side of a driver's {@link #POSITION_FIELD} read
   * apart: read as one text, a secret keyword the server quoted as the place of its error took the
   * field's name for its value ({@code "password"\n  ****** 40}). The field's number holds no secret,
   * and a value the statement sent is still masked by its value ({@link #redactMessage(String, List)}).
   */
  private static String redactedFields(String message) {
    if (message == null || message.indexOf('\n') < 0) {
      return redact(message);
    }
    Matcher field = POSITION_FIELD.matcher(message);
    if (!field.find()) {
      return redact(message);
    }
    StringBuilder out = new StringBuilder(message.length());
    int from = 0;
    do {
      out.append(redact(message.substring(from, field.start()))).append(field.group());
      from = field.end();
    } while (field.find());
    return out.append(redact(message.substring(from))).toString();
  }

  /**
   * The secret values a URL and connection properties hold: the password of user info and the
   * value of every secret argument or property (see {@link #redactUrl}).
   */
  public static List<String> secretsOf(String url, Properties properties) {
    List<String> secrets = new ArrayList<>();
    if (url != null) {
      Matcher user = USERINFO.matcher(url);
      while (user.find()) {
        int end = passwordEnd(url, user.end());
        if (end >= 0) {
          secrets.add(url.substring(user.end(), end));
          addFirstWord(url.substring(user.end(), end), secrets);
        }
      }
      for (Pattern pattern : URL_SECRETS) {
        Matcher matcher = pattern.matcher(url);
        while (matcher.find()) {
          secrets.add(matcher.group(2));
          addFirstWord(matcher.group(2), secrets);
        }
      }
    }
    if (properties != null) {
      for (String key : properties.stringPropertyNames()) {
        if (SECRET_NAME.matcher(key).find()) {
          secrets.add(properties.getProperty(key));
        }
      }
    }
    secrets.removeIf(secret -> secret == null || secret.length() < MIN_QUOTED_SECRET);
    // drivers URL-decode URL arguments (the Redshift driver does), and may quote the decoded value
    // and java.net.URI's percent-decoding of user info keeps a '+' as written
    for (String secret : List.copyOf(secrets)) {
      for (String decoded : List.of(decoded(secret), decoded(secret.replace("+", "%2B")))) {
        if (!decoded.equals(secret) && decoded.length() >= MIN_QUOTED_SECRET) {
          secrets.add(decoded);
        }
      }
    }
    return secrets;
  }

  /**
   * A value read to {@code &} holds white space: in a message the text after the URL is read into
   * it, so the value up to its first white space (after the spaces that may start it) is a secret too.
   */
  private static void addFirstWord(String value, List<String> secrets) {
    String stripped = value.stripLeading();
    for (int i = 0; i < stripped.length(); i++) {
      if (Character.isWhitespace(stripped.charAt(i))) {
        secrets.add(stripped.substring(0, i));
        return;
      }
    }
  }

  private static String decoded(String value) {
    if (value.indexOf('%') < 0 && value.indexOf('+') < 0) {
      return value;
    }
    try {
      return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return value; // not %-encoded after all: searched for as written
    }
  }

  /**
   * The secret values {@code sql} holds (see {@link #redact}), each as written between its quotes
   * and in the pieces a database may quote instead: a database that refuses the text may quote it in
   * its error ({@code syntax error in "... password 'x'"}, {@code invalid value "x"}). Values
   * shorter than {@value #MIN_QUOTED_SECRET} characters are left out, as in {@link #redactMessage(String, List)}.
   */
  public static List<String> secretsOf(String sql) {
    return secretsAfter(null, sql);
  }

  /**
   * {@link #secretsOf(String)} of a statement sent on its own after one ending with the secret
   * keyword {@code carried} (see {@link #redactAfter}); null {@code carried}: as that.
   */
  public static List<String> secretsAfter(String carried, String sql) {
    return QuotedSecrets.after(carried, sql); // MIN_QUOTED_SECRET long at least, as here
  }

  /**
   * {@link #redactMessage} that also masks every occurrence of the given secret values: a driver
   * may quote part of a URL in a shape no pattern knows ({@code "pw@host:1"}). Values shorter than
   * {@value #MIN_QUOTED_SECRET} characters are not searched for (they would mask ordinary words).
   */
  public static String redactMessage(String message, List<String> secrets) {
    return redactMessage(message, secretValues(secrets));
  }

  /** {@link #redactMessage(String, List)} with the values prepared once, for the many messages of one error. */
  public static String redactMessage(String message, SecretValues secrets) {
    String masked = redactMessage(message);
    if (masked == null) {
      return null;
    }
    return masked.contains(H2_MARK) ? unmarked(masked, secrets) : secrets.mask(masked);
  }

  /** Where H2 marks the place of its error in the text it quotes. */
  private static final String H2_MARK = "[*]";

  /**
   * {@code text} masked, and without H2's marks when a secret value stands across one: H2 marks
   * the place of its error inside a value too ({@code String format error: "Pa\\ss[*]word"}), where
   * no value is found whole (the pieces around the mark were, with the mark and a character of the
   * value left between them). The marks are dropped only then: when the text masked without them is
   * not the text masked with them, less the marks.
   */
  private static String unmarked(String text, SecretValues secrets) {
    String marked = secrets.mask(text);
    String unmarked = secrets.mask(text.replace(H2_MARK, ""));
    return marked.replace(H2_MARK, "").equals(unmarked) ? marked : unmarked;
  }

  /** {@code secrets} prepared for {@link #redactMessage(String, SecretValues)}: the values too short to search for left out. */
  public static SecretValues secretValues(List<String> secrets) {
    return SecretValues.of(secrets, MIN_QUOTED_SECRET);
  }

  private static String replace(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    if (!matcher.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    do {
      matcher.appendReplacement(out, "");
      out.append(matcher.group(1)).append(MASK);
    } while (matcher.find());
    matcher.appendTail(out);
    return out.toString();
  }

  /** {@code text} with the password of every user info masked ({@link #USERINFO}, {@link #passwordEnd}). */
  private static String maskedPasswords(String text) {
    if (text.indexOf('@') < 0) {
      return text;
    }
    Matcher user = USERINFO.matcher(text);
    StringBuilder out = null;
    int from = 0;
    while (user.find(from)) {
      int end = passwordEnd(text, user.end());
      if (end < 0) {
        from = user.end();
        continue;
      }
      out = out == null ? new StringBuilder(text.length()) : out;
      out.append(text, from, user.end()).append(MASK);
      from = end;
    }
    return out == null ? text : out.append(text, from, text.length()).toString();
  }

  /**
   * Where the password starting at {@code from} ends: the {@code @} furthest on of three readings,
   * or -1 when none has one. The last {@code @} before white space or a {@code /} (a password may
   * hold {@code @} and {@code ;}: {@code //bob:p@s;s@host}); before a query ({@code ?}), a fragment
   * ({@code #}), a {@code ;} argument or the line's end, blanks and {@code /} included; before a
   * {@code /} or the line's end, blanks, {@code ;}, {@code ?} and {@code #} included (drivers print back
   * a password such as {@code pa?ss} or {@code p#a s} too). So {@code //host:5439/dev;UID=bob@corp} and
   * {@code //host:5439/dev?user=bob@corp} hold no password, while a query written without a path,
   * {@code //host:5439?user=bob@corp}, and in a message {@code //host:5439/db failed for bob@corp} on one
   * line, mask more than a password (fail closed). The last two read at most {@value #MAX_PASSWORD}
   * characters, so a line of many {@code //a:} is read in linear time.
   */
  private static int passwordEnd(String text, int from) {
    int end = -1;
    for (int reading = 0; reading < 3; reading++) {
      int limit = reading == 0 ? text.length() : Math.min(text.length(), from + MAX_PASSWORD);
      for (int i = from; i < limit; i++) {
        char c = text.charAt(i);
        boolean ends = c == '\r' || c == '\n' || switch (reading) {
          case 0 -> c == '?' || c == '#' || c == '/' || Character.isWhitespace(c);
          case 1 -> c == '?' || c == '#' || c == ';';
          default -> c == '/';
        };
        if (ends) {
          break;
        }
        if (c == '@' && i > end) {
          end = i;
        }
      }
    }
    return end;
  }
}
