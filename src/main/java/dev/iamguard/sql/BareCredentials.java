package dev.iamguard.sql;

/**
 * Values shaped like AWS credentials written without a keyword where a role, a function, a region
 * or a database belongs ({@code IAM_ROLE 'AKIAIOSFODNN7EXAMPLE'}, {@code LAMBDA 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'}):
 * no role, function, region or database is named so, and a report that quotes the value would print
 * a key. The shapes, from AWS's documentation and examples (IAM User Guide, "IAM identifiers",
 * unique ID prefixes; the examples {@code AKIAIOSFODNN7EXAMPLE} and {@code wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY}):
 * <ul>
 *   <li>an access key id: {@code AKIA} (long-term), {@code ASIA} (temporary), {@code ABIA} (STS
 *       bearer token) or {@code ACCA} (context-specific credential), then 16 or more upper-case
 *       letters and digits;</li>
 *   <li>a secret access key: 40 characters of letters, digits, {@code /} and {@code +}, with
 *       upper-case and lower-case letters and digits (a quarter of keys hold no {@code /} or
 *       {@code +}, so a name of 40 such characters, a Lambda function's or an alias, is refused too:
 *       write the function's ARN);</li>
 *   <li>a session token: 80 or more characters of the base64 alphabet ({@code =} too) with
 *       upper-case, lower-case letters and digits (STS tokens run to hundreds).</li>
 * </ul>
 * The shapes are a heuristic: a value that matches is masked and its statement refused, which errs
 * on the side of refusing; ARNs ({@code :}), S3 locations, KMS key ids (hyphens) never match.
 */
final class BareCredentials {
  /** What a masked value reads as. */
  static final String MASK = "***";
  private static final int KEY_ID_DIGITS = 16;
  private static final int MAX_KEY_ID = 128;
  private static final int SECRET_KEY = 40;
  private static final int MIN_TOKEN = 80;
  /** The longest joiner of a key pair pasted as one value ({@code ::}, {@code ->}, {@code :=:}). */
  private static final int MAX_JOINER = 3;

  private BareCredentials() {}

  /**
   * {@code text} with every piece (what lies between {@code ,}, {@code ;}, {@code &} and white
   * space; for {@code scheme://rest} other than {@code s3://}, also {@code rest} and its part before
   * the first {@code /}) that looks like
   * a credential replaced by {@value #MASK}; the same instance when none does.
   */
  static String masked(String text) {
    if (text == null || !mayHoldOne(text)) {
      return text; // most values: one pass over the text, nothing allocated
    }
    java.util.List<Span> found = find(text, 0);
    return found.isEmpty() ? text : Span.masked(text, found, MASK);
  }

  /** The pieces of {@code text} that look like credentials (see {@link #masked}), shifted by {@code offset}, in order. */
  static java.util.List<Span> find(String text, int offset) {
    if (!mayHoldOne(text)) {
      return java.util.List.of();
    }
    java.util.List<Span> found = new java.util.ArrayList<>(1);
    int start = 0;
    for (int at = 0; at <= text.length(); at++) {
      if (at < text.length() && !separates(text.charAt(at))) {
        continue;
      }
      Span credential = credentialIn(text, start, at);
      if (credential != null) {
        found.add(new Span(offset + credential.start(), offset + credential.end()));
      }
      start = at + 1;
    }
    return found;
  }

  /**
   * The credential in the piece {@code from..to} (the piece, what follows its {@code ://}, or a key
   * pair joined by one character); null when none.
   */
  private static Span credentialIn(String text, int from, int to) {
    if (looksLike(text, from, to)) {
      return new Span(from, to);
    }
    Span pair = joinedPair(text, from, to);
    if (pair != null) {
      return pair;
    }
    int scheme = BoundedSearch.indexOf(text, "://", from, to);
    // a location's bucket and key are names, a quote before it or not ('s3://...' in a message)
    if (scheme > from && !s3Scheme(text, scheme)) {
      int host = scheme + 3;
      if (looksLike(text, host, to)) {
        return new Span(host, to); // dynamodb://<key>
      }
      Span hostPair = joinedPair(text, host, to);
      if (hostPair != null) {
        return hostPair; // dynamodb://<secret>:<key id>
      }
      // emr://<key>/path: a key or token may hold '/' itself, so every '/' may end it; the longest is masked
      int end = keyBeforeSlash(text, host, to);
      if (end > 0) {
        return new Span(host, end);
      }
    }
    return null;
  }

  /**
   * The largest offset of a {@code /} in {@code host..to} before which the text from {@code host}
   * looks like a credential ({@link #looksLike}), or -1; none when {@code host} itself is a {@code /}.
   * Each shape ends at one {@code /} only, so three are tried, not every one: an access key id at the
   * first (no {@code /} is in one), a secret access key 40 chars on, a session token at the last before
   * the first char no token holds (its letters, digits and length only grow with its end).
   */
  private static int keyBeforeSlash(String text, int host, int to) {
    if (host >= to || text.charAt(host) == '/') {
      return -1;
    }
    int tokenEnd = host;
    int lastSlash = -1;
    while (tokenEnd < to && isCredentialChar(text.charAt(tokenEnd))) {
      if (text.charAt(tokenEnd) == '/') {
        lastSlash = tokenEnd;
      }
      tokenEnd++;
    }
    if (lastSlash > 0 && looksLike(text, host, lastSlash)) {
      return lastSlash;
    }
    int secretEnd = host + SECRET_KEY;
    if (secretEnd < to && text.charAt(secretEnd) == '/' && looksLike(text, host, secretEnd)) {
      return secretEnd;
    }
    int firstSlash = BoundedSearch.indexOf(text, '/', host, to);
    return firstSlash > 0 && looksLike(text, host, firstSlash) ? firstSlash : -1;
  }

  /**
   * An access key id joined to a secret access key by one character, in either order
   * ({@code AKIA...:wJalr...}, {@code wJalr.../AKIA...}), or with none ({@code AKIA...\wJalr...},
   * which Redshift reads without the backslash): the usual paste of a key pair, which no separator
   * splits into pieces (probe 22c F1; probe 22d F1: a secret holding {@code //}, a joiner that is a
   * letter, a digit or {@code /}). Both are masked, with the joiner; null when the piece holds none.
   * A location's path ({@code s3://bucket/AKIA.../...}) names objects, not keys; other schemes are
   * read after their {@code ://}.
   */
  private static Span joinedPair(String text, int from, int to) {
    int scheme = -2; // looked for at the first key id prefix
    // every prefix in one run shares the run and, up to where it ends, the key id's end: found once
    // per run, not once per prefix ("AKIAAKIA..." has a prefix every 4 chars)
    int start = -1;
    int end = -1;
    int id = -1;
    int afterEnd = -1;
    boolean afterLooks = false;
    for (int k = from; k + 4 + KEY_ID_DIGITS <= to; k++) {
      if (!isKeyIdPrefix(text, k)) {
        continue;
      }
      if (scheme == -2) {
        scheme = BoundedSearch.indexOf(text, "://", from, to);
      }
      if (scheme >= 0 && scheme < k) {
        return null;
      }
      if (k >= end) {
        start = k;
        while (start > from && isCredentialChar(text.charAt(start - 1))) {
          start--;
        }
        end = k;
        while (end < to && isCredentialChar(text.charAt(end))) {
          end++;
        }
      }
      if (k + 4 >= id) {
        id = k + 4;
        while (id < to && isKeyIdChar(text.charAt(id))) {
          id++;
        }
        afterEnd = -1;
      }
      if (end == id && id + 1 < to && afterEnd < 0) {
        afterEnd = id + 1;
        while (afterEnd < to && isCredentialChar(text.charAt(afterEnd))) {
          afterEnd++;
        }
        afterLooks = looksLike(text, id + 1, afterEnd);
      }
      Span pair = pairAt(text, from, k, id, start, end, afterLooks && end == id && id + 1 < to ? afterEnd : -1);
      if (pair != null) {
        return pair;
      }
    }
    return null;
  }

  /**
   * The key pair around the key id prefix at {@code k} within {@code from..}, or null: the key id
   * ends at {@code id}, the run of credential characters it stands in is {@code start..end}, and
   * {@code afterSecret} is where a secret or token after a joiner outside them ends (-1: none).
   */
  private static Span pairAt(String text, int from, int k, int id, int start, int end, int afterSecret) {
    if (id - k < 4 + KEY_ID_DIGITS) {
      return null;
    }
    // key id first, one run: the key id, a joiner of up to MAX_JOINER credential characters (or none), a secret
    int keyEnd = end - SECRET_KEY;
    if (start == k && keyEnd - k >= 4 + KEY_ID_DIGITS && keyEnd - k <= MAX_KEY_ID + MAX_JOINER
        && looksLike(text, keyEnd, end) && keyIdThenJoiner(text, k + 4, keyEnd)) {
      return new Span(k, end);
    }
    if (afterSecret > 0) { // a joiner outside the credential characters, then a secret or token
      return new Span(k, afterSecret);
    }
    // a secret first: one run ending with the key id (a joiner among the credential characters, or none) ...
    if (end == id && k - start >= SECRET_KEY && k - start <= SECRET_KEY + MAX_JOINER
        && looksLike(text, start, start + SECRET_KEY)) {
      return new Span(start, id);
    }
    // ... or a secret or token, a joiner outside them, the key id
    if (start == k && k - 1 > from) {
      int before = k - 1;
      while (before > from && isCredentialChar(text.charAt(before - 1))) {
        before--;
      }
      if (end == id && looksLike(text, before, k - 1)) {
        return new Span(before, id);
      }
    }
    return null;
  }

  /**
   * What {@link #maskedShapes} has read of the name it is in (the text since the last char that ends
   * a name), kept as it reads on so that asking whether a run names an object costs the same for the
   * thousandth run of a name as for the first: searched again from the name's start for each run,
   * a long name of many short runs ({@code x-x-x-...}, {@code ://://...}) made masking quadratic.
   */
  private static final class NameSoFar {
    private int start;
    /** The first {@code ://} of the name, -1 before one. */
    private int scheme = -1;
    /** Whether an {@code @} follows {@link #scheme}. */
    private boolean userInfo;
    /** Where the name's part after its last {@code =} starts ({@link #start} when it holds none). */
    private int afterEquals;
    /** The colons from {@link #afterEquals} on. */
    private int colons;
    /** The offset after the first colon past {@code arn:} at {@link #afterEquals}; -1 before it is looked for. */
    private int service = -1;

    /** The char {@code c} at {@code i}, no credential char, was read. */
    void passed(String text, int i, char c) {
      if (endsAName(c)) {
        start = i + 1;
        afterEquals = i + 1;
        scheme = -1;
        userInfo = false;
        colons = 0;
        service = -1;
      } else if (c == ':') {
        colons++;
        if (scheme < 0 && text.startsWith("//", i + 1)) {
          scheme = i;
        }
      } else if (c == '@' && scheme >= 0 && i >= scheme + 3) {
        userInfo = true;
      }
    }

    /** The run {@code from..to} of credential chars was read. */
    void passedRun(String text, int from, int to) {
      for (int i = to - 1; i >= from; i--) {
        if (text.charAt(i) == '=') {
          afterEquals = i + 1;
          colons = 0;
          service = -1;
          return;
        }
      }
    }

    /**
     * Whether the run at {@code at} is part of an S3 location's bucket or key ({@code
     * s3://acme-data/year=2024/...}, a run after a {@code -}), or is the resource of an ARN ({@code
     * arn:aws:iam::123456789012:role/<name>}): names, not keys (probe 23e F1: such runs of 40
     * characters were masked in messages, and rewrite refused the script). What follows the resource
     * after another {@code :} is read as before (a secret pasted after a role's ARN).
     */
    boolean namesAnObject(String text, int at) {
      if (scheme > start && s3Scheme(text, scheme)) {
        return !userInfo; // user info is masked on its own
      }
      int from = afterEquals; // roles=arn:... in a report's line
      if (!text.regionMatches(true, from, "arn:", 0, 4) || colons < 5) {
        return false;
      }
      if (service < 0) {
        service = text.indexOf(':', from + 4) + 1; // after the partition
      }
      if (text.regionMatches(true, service, "s3:", 0, 3)) {
        return true; // arn:aws:s3:::bucket/key: every run of the resource names an object
      }
      // the resource's type and name (role/<name>, user/<name>), right after the fifth colon
      if (colons != 5 || text.charAt(at - 1) != ':') {
        return false;
      }
      int i = at;
      while (i < text.length() && text.charAt(i) >= 'a' && text.charAt(i) <= 'z') {
        i++;
      }
      return i > at && i < text.length() && text.charAt(i) == '/';
    }
  }

  /** What ends a name in a message or statement: white space, quotes, brackets and list separators. */
  private static boolean endsAName(char c) {
    return Character.isWhitespace(c) || c == '\'' || c == '"' || c == ',' || c == ';' || c == '(' || c == ')'
        || c == '[' || c == ']' || c == '{' || c == '}' || c == '<' || c == '>' || c == '`';
  }

  /** Whether the scheme ending at the {@code :} at {@code colon} is s3, s3a or s3n (any case). */
  private static boolean s3Scheme(String text, int colon) {
    return colon >= 2 && text.regionMatches(true, colon - 2, "s3", 0, 2) && (colon == 2 || !isSchemeChar(text.charAt(colon - 3)))
        || colon >= 3 && (text.regionMatches(true, colon - 3, "s3a", 0, 3) || text.regionMatches(true, colon - 3, "s3n", 0, 3))
            && (colon == 3 || !isSchemeChar(text.charAt(colon - 4)));
  }

  private static boolean isSchemeChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.';
  }

  /**
   * Adds to {@code found} the credential the run {@code from..to} is or holds: a key's shape, one
   * with a few characters glued to it, or a key pair joined inside it; whether it found one.
   */
  private static boolean shapeIn(String text, int from, int to, java.util.List<Span> found) {
    if (looksLike(text, from, to) || gluedSecret(text, from, to) || gluedKeyId(text, from, to)) {
      found.add(new Span(from, to));
      return true;
    }
    Span pair = joinedPair(text, from, to); // a pair joined by a letter, a digit, / or nothing
    if (pair != null) {
      found.add(pair);
      return true;
    }
    return false;
  }

  /**
   * Adds to {@code found} each secret access key and access key id that stands between {@code /}s of
   * the run {@code from..to} (or at its ends): a key glued to a folder of a path ({@code
   * iam/wJalr...KEY.json}, {@code ab/AKIA...}, {@code AKIA.../trust}), which no shape matches whole
   * and which the separators do not cut out, as a secret holds {@code /} itself (probe 24c F2: a
   * policy file name or an alias quoted such a key in registry problems). The folders are kept: they
   * say which value it was. Where two such stretches overlap ({@code a/b/<secret with a '/'>} may read
   * as a key from {@code a} or from the secret's start), both are masked, as one: which one is the key
   * is not known. A session token needs no such search: a run of 80 characters holding one has a
   * token's shape whole.
   */
  private static void betweenSlashes(String text, int from, int to, java.util.List<Span> found) {
    int maskFrom = -1;
    int maskTo = -1;
    for (int start = from; start < to; ) {
      int end = keyBetweenSlashes(text, start, to);
      if (end > 0 && start <= maskTo) {
        maskTo = Math.max(maskTo, end);
      } else if (end > 0) {
        if (maskFrom >= 0) {
          found.add(new Span(maskFrom, maskTo));
        }
        maskFrom = start;
        maskTo = end;
      }
      int slash = BoundedSearch.indexOf(text, '/', start, to);
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
    if (maskFrom >= 0) {
      found.add(new Span(maskFrom, maskTo));
    }
  }

  /** The end of the secret access key or access key id at {@code start} that a {@code /} or {@code to} ends; -1 when none. */
  private static int keyBetweenSlashes(String text, int start, int to) {
    int secretEnd = start + SECRET_KEY;
    if (secretEnd <= to && (secretEnd == to || text.charAt(secretEnd) == '/') && looksLike(text, start, secretEnd)) {
      return secretEnd;
    }
    if (!isKeyIdPrefix(text, start)) {
      return -1;
    }
    int idEnd = start + 4;
    while (idEnd < to && isKeyIdChar(text.charAt(idEnd))) {
      idEnd++;
    }
    boolean ended = idEnd == to || text.charAt(idEnd) == '/';
    return ended && idEnd - start >= 4 + KEY_ID_DIGITS && idEnd - start <= MAX_KEY_ID ? idEnd : -1;
  }

  /** Whether {@code from..to} is the rest of a key id, then a joiner of at most {@link #MAX_JOINER} characters. */
  private static boolean keyIdThenJoiner(String text, int from, int to) {
    for (int joiner = 0; joiner <= MAX_JOINER && to - joiner >= from; joiner++) {
      if (allKeyIdChars(text, from, to - joiner)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A secret access key with up to {@link #MAX_JOINER} of {@code / + =} glued to its ends
   * ({@code wJalr...KEY=}, {@code /wJalr...}, the rest of a joiner such as {@code "=>"}): one run of
   * 41 to 43 characters, which no shape matches whole (probe 23d F4). A letter or a digit more makes
   * another word ({@code alias/RedshiftUnloadKey2024ForProdCluster} is a name).
   */
  private static boolean gluedSecret(String text, int from, int to) {
    int length = to - from;
    if (length <= SECRET_KEY || length > SECRET_KEY + MAX_JOINER) {
      return false;
    }
    for (int before = 0; before <= length - SECRET_KEY; before++) { // glued before, after or both
      int start = from + before;
      if (allPunctuation(text, from, start) && allPunctuation(text, start + SECRET_KEY, to)
          && looksLike(text, start, start + SECRET_KEY)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code from..to} holds only the credential characters that are no letter or digit. */
  private static boolean allPunctuation(String text, int from, int to) {
    for (int k = from; k < to; k++) {
      char c = text.charAt(k);
      if (c != '/' && c != '+' && c != '=') {
        return false;
      }
    }
    return true;
  }

  /**
   * An access key id with up to {@link #MAX_JOINER} credential characters glued before or after it
   * ({@code DAKIA...}, {@code AKIA...m}): the rest of a joiner such as {@code "(D"} or {@code "m,"}.
   */
  private static boolean gluedKeyId(String text, int from, int to) {
    for (int k = from; k <= from + MAX_JOINER && k + 4 + KEY_ID_DIGITS <= to; k++) {
      if (isKeyIdPrefix(text, k) && to - k <= MAX_KEY_ID + MAX_JOINER) {
        for (int joiner = 0; joiner <= MAX_JOINER && to - joiner - k >= 4 + KEY_ID_DIGITS; joiner++) {
          if (allKeyIdChars(text, k + 4, to - joiner)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean isKeyIdChar(char c) {
    return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }

  /** Whether {@code text} may hold a location with user info ({@link #userInfo}). */
  static boolean mayHoldUserInfo(String text) {
    return text.indexOf('@') >= 0 && text.contains("://");
  }

  /**
   * {@code text} with every maximal run of credential characters that has a key's shape masked,
   * wherever it stands (a word, a literal's part, a comment): the last mask of a reported statement,
   * whose text may be read apart from what surrounded it. The same instance when none.
   */
  static String maskedShapes(String text) {
    if (!mayHoldOne(text)) {
      return text;
    }
    java.util.List<Span> found = new java.util.ArrayList<>(0);
    int n = text.length();
    NameSoFar name = new NameSoFar();
    for (int at = 0; at < n; ) {
      char c = text.charAt(at);
      if (!isCredentialChar(c)) {
        name.passed(text, at, c);
        at++;
        continue;
      }
      int end = at;
      while (end < n && isCredentialChar(text.charAt(end))) {
        end++;
      }
      boolean location = at >= 1 && text.charAt(at - 1) == ':' && text.startsWith("//", at);
      // an S3 location's path names objects, no key; another scheme's authority may be a pasted key
      // (dynamodb://AKIA...::wJalr...)
      int from = location && !s3Scheme(text, at - 1) ? at + 2 : at;
      if ((!location || from > at) && !name.namesAnObject(text, at) && !shapeIn(text, from, end, found)) {
        // name=value inside the run (aws_iam_role=AKIA...): a '=' followed by more than padding
        // parts it, as base64 pads only at its end
        int part = from;
        for (int eq = from; eq < end; eq++) {
          if (text.charAt(eq) == '=' && eq + 1 < end && text.charAt(eq + 1) != '=') {
            shapeIn(text, part, eq, found);
            part = eq + 1;
          }
        }
        if (part > from) {
          shapeIn(text, part, end, found);
        } else {
          betweenSlashes(text, from, end, found);
        }
      }
      name.passedRun(text, at, end);
      at = end;
    }
    return found.isEmpty() ? text : Span.masked(text, found, MASK);
  }

  /** {@code text} with the user info of every location in it masked; the same instance when none. */
  static String maskedUserInfo(String text) {
    if (!mayHoldUserInfo(text)) {
      return text;
    }
    java.util.List<Span> found = new java.util.ArrayList<>(0);
    int end = -1;
    int[] nextAt = {-2};
    for (int scheme = text.indexOf("://"); scheme >= 0; scheme = text.indexOf("://", scheme + 3)) {
      if (scheme + 3 >= end) { // else the same stretch as the scheme before: it ends where that one does
        nextAt[0] = -2;
        end = scheme + 3;
        while (end < text.length() && !separates(text.charAt(end)) && text.charAt(end) != '\'') {
          end++;
        }
      }
      for (Span span : userInfo(text, scheme + 3, end, nextAt)) {
        if (found.isEmpty() || span.start() >= found.get(found.size() - 1).end()) {
          found.add(span);
        }
      }
    }
    return found.isEmpty() ? text : Span.masked(text, found, MASK);
  }

  /**
   * {@code text} with the password of every {@code user:password@host} written without a scheme
   * masked (a registry problem quoting a bucket name {@code "user:pw@bucket"}); the same instance
   * when none. The run before the {@code @} ends at white space, a quote, {@code /} or {@code ,}, so
   * ARNs ({@code role/a@b}) and addresses ({@code bob@example.com}) stay as written.
   */
  static String maskedBareUserInfo(String text) {
    java.util.List<Span> found = new java.util.ArrayList<>(0);
    for (int at = text.indexOf('@'); at > 0; at = text.indexOf('@', at + 1)) {
      int from = at;
      while (from > 0 && !separates(text.charAt(from - 1)) && text.charAt(from - 1) != '\'' && text.charAt(from - 1) != '/'
          && text.charAt(from - 1) != '@') {
        from--;
      }
      int colon = BoundedSearch.lastIndexOf(text, ':', from, at);
      if (colon >= 0 && colon + 1 < at && (found.isEmpty() || colon + 1 >= found.get(found.size() - 1).end())) {
        found.add(new Span(colon + 1, at));
      }
    }
    return found.isEmpty() ? text : Span.masked(text, found, MASK);
  }

  /**
   * The credentials in a location's user info ({@code s3://KEY:SECRET@bucket/}, the old Hadoop form;
   * {@code https://user:password@host/}), up to the last {@code @} before the path: the password, and
   * the user of an S3 location (an access key id) or one with a key's shape. Another user alone
   * ({@code https://bob@host/}) is a name, kept.
   * Masked in every report ({@link SecretText}); the guard's decisions see the location as written
   * (such a bucket is refused). {@code nextAt[0]} remembers the first {@code @} before {@code to} a
   * search found (-2 before any, -1 when there is none): the authorities that end at one {@code to}
   * are read in order, so that stretch is searched for {@code @} once, not once per location; a caller
   * passing another {@code to} sets it back to -2.
   */
  static java.util.List<Span> userInfo(String text, int authority, int to, int[] nextAt) {
    int slash = BoundedSearch.indexOf(text, '/', authority, to);
    int end = slash < 0 ? to : slash;
    boolean s3 = authority >= 5 && (text.regionMatches(true, authority - 5, "s3://", 0, 5)
        || authority >= 6 && (text.regionMatches(true, authority - 6, "s3a://", 0, 6)
        || text.regionMatches(true, authority - 6, "s3n://", 0, 6)));
    int colon = BoundedSearch.indexOf(text, ':', authority, end);
    if (s3 && colon >= 0 && end < to) {
      // no bucket name holds a ':', so KEY:SECRET@bucket runs to the '@' past any '/' of the secret
      // (probe 24c F1: a secret key with a '/' was printed whole)
      if (nextAt[0] == -2 || nextAt[0] >= 0 && nextAt[0] < colon) {
        nextAt[0] = BoundedSearch.indexOf(text, '@', colon, to);
      }
      int after = nextAt[0];
      if (after > 0 && after < to) {
        end = after + 1;
      }
    }
    int at = BoundedSearch.lastIndexOf(text, '@', authority + 1, end);
    if (at < 0) {
      return java.util.List.of();
    }
    java.util.List<Span> spans = new java.util.ArrayList<>(2);
    int userEnd = colon >= 0 && colon < at ? colon : at;
    if (s3 && userEnd > authority || looksLike(text, authority, userEnd)) { // S3's user is an access key id
      spans.add(new Span(authority, userEnd));
    }
    if (userEnd < at - 1) {
      spans.add(new Span(userEnd + 1, at));
    }
    return spans;
  }

  /** Whether {@code value} as a whole looks like an access key id, a secret access key or a session token. */
  static boolean looksLike(String value) {
    return value != null && looksLike(value, 0, value.length());
  }

  static boolean looksLike(String s, int from, int to) {
    int length = to - from;
    if (length < 4 + KEY_ID_DIGITS) {
      return false;
    }
    if (isKeyIdPrefix(s, from) && length <= MAX_KEY_ID && allKeyIdChars(s, from + 4, to)) {
      return true;
    }
    if (length != SECRET_KEY && length < MIN_TOKEN) {
      return false;
    }
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c >= 'A' && c <= 'Z') {
        upper = true;
      } else if (c >= 'a' && c <= 'z') {
        lower = true;
      } else if (c >= '0' && c <= '9') {
        digit = true;
      } else if (!(c == '/' || c == '+' || c == '=' && length >= MIN_TOKEN)) {
        return false;
      }
    }
    return upper && lower && digit;
  }

  /**
   * A quick test that lets most texts skip the search: {@code text} has a run of credential
   * characters long enough to be one (an access key id's prefix and length, or 40 characters).
   * Such a run is at least {@value #SHORTEST_RUN} long, so it holds one of every {@value #SHORTEST_RUN}
   * consecutive positions: the test looks at every {@value #SHORTEST_RUN}th char and measures only
   * the runs those fall in (most of a role chain or an S3 path is never read).
   */
  static boolean mayHoldOne(String text) {
    int n = text.length();
    for (int probe = SHORTEST_RUN - 1; probe < n; ) {
      if (!isCredentialChar(text.charAt(probe))) {
        probe += SHORTEST_RUN; // no run of SHORTEST_RUN starting before it reaches past it
        continue;
      }
      int start = probe;
      while (start > 0 && isCredentialChar(text.charAt(start - 1))) {
        start--;
      }
      int end = probe + 1;
      while (end < n && isCredentialChar(text.charAt(end))) {
        end++;
      }
      int run = end - start;
      if (run >= SECRET_KEY || run >= SHORTEST_RUN && hasKeyIdPrefix(text, start, end)) {
        return true;
      }
      probe = end + SHORTEST_RUN; // the next run starts after end
    }
    return false;
  }

  /** The shortest credential: an access key id's prefix and its 16 characters. */
  private static final int SHORTEST_RUN = 4 + KEY_ID_DIGITS;

  private static boolean hasKeyIdPrefix(String text, int from, int to) {
    for (int k = from; k + 4 + KEY_ID_DIGITS <= to; k++) {
      if (isKeyIdPrefix(text, k)) {
        return true;
      }
    }
    return false;
  }

  /** AKIA, ASIA, ABIA or ACCA at {@code at}. */
  private static boolean isKeyIdPrefix(String s, int at) {
    if (at + 4 > s.length() || s.charAt(at) != 'A' || s.charAt(at + 3) != 'A') {
      return false;
    }
    char second = s.charAt(at + 1);
    char third = s.charAt(at + 2);
    return third == 'I' && (second == 'K' || second == 'S' || second == 'B') || second == 'C' && third == 'C';
  }

  private static boolean allKeyIdChars(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  /** The base64 alphabet and {@code =}: one table lookup per char in {@link #mayHoldOne}, which reads every value the parser keeps. */
  private static final boolean[] CREDENTIAL_CHARS = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      CREDENTIAL_CHARS[c] = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '/' || c == '+'
          || c == '=';
    }
  }

  private static boolean isCredentialChar(char c) {
    return c < 128 && CREDENTIAL_CHARS[c];
  }

  /**
   * What ends a piece: the separators of CREDENTIALS and query strings, white space, and JSON's
   * punctuation but {@code :} ({@code {"AccessKeyId":"ASIA..."}, what {@code aws sts} prints, pasted
   * whole; no role name or ARN holds a quote or a brace).
   */
  private static boolean separates(char c) {
    return c == ',' || c == ';' || c == '&' || c == '"' || c == '{' || c == '}' || Character.isWhitespace(c);
  }
}
