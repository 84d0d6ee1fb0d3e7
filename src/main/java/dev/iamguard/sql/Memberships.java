package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the statements that change who belongs to a group or a Redshift role: a user's groups and
 * roles say which ASSUMEROLE grants it holds, and a script that runs {@code ALTER GROUP etl DROP USER
 * etl_bot} and then a COPY as etl_bot runs that COPY without the group's grant.
 *
 * <p>Read: {@code ALTER GROUP g {ADD | DROP} USER u [, ...]}, {@code ALTER GROUP g RENAME TO h} (every
 * member leaves g), {@code CREATE GROUP g [WITH] [USER u [, ...]]}, {@code DROP GROUP} and {@code DROP
 * ROLE} (of a group or role of that name, either: PostgreSQL's groups are roles), {@code GRANT ROLE r
 * [, ...] TO {u [WITH ADMIN OPTION] | ROLE x} [, ...]}, {@code REVOKE ROLE r [, ...] FROM {u | ROLE x}
 * [, ...]} ({@code ADMIN OPTION FOR} changes no membership), {@code ALTER ROLE r RENAME TO}, and {@code
 * ALTER USER u ... NOCREATEUSER} (PostgreSQL's {@code NOSUPERUSER} too), which takes u's superuser flag;
 * {@code CREATE USER u ... IN GROUP g [, ...]} and {@code CREATEUSER} ({@code SUPERUSER}) in {@code CREATE USER}
 * or {@code ALTER USER}, which give them, only when every option of the statement reads as one. A
 * {@code DROP USER u} and {@code ALTER USER u RENAME TO v} take every membership and the flag of u
 * (what the server moves to v the guard does not give it). A
 * REVOKE without {@code ON} that is none of these (PostgreSQL's {@code REVOKE g FROM u}) counts as
 * taking every membership ({@link MembershipChange#EVERY}); a GRANT the guard does not read adds
 * nothing. Either way the guard reads fewer memberships than the server may hold, never more.
 */
public final class Memberships {
  private Memberships() {}

  /**
   * The {@link SessionEffects#MEMBERSHIP} bit of a statement whose first word, token {@code from}, is
   * {@code ALTER} or {@code DROP} ({@link CommandParser#sessionEffects} knows which): set when the
   * second word is GROUP, ROLE or USER.
   */
  static int ofAlterOrDrop(Tokens t, int from) {
    return t.isWord(from + 1, "GROUP") || t.isWord(from + 1, "ROLE") || t.isWord(from + 1, "USER")
        ? SessionEffects.MEMBERSHIP : SessionEffects.NONE;
  }

  /**
   * Whether {@code statement} changes a membership or a superuser flag ({@link #of} reads one):
   * narrower than the {@link SessionEffects#MEMBERSHIP} bit, which a GRANT of a table's privileges
   * sets too.
   */
  public static boolean mayChange(SqlStatement statement) {
    return !of(statement).isEmpty();
  }

  /** {@link #of(SqlStatement)} of the statement {@code s[start, end)}, which the scan let go (OTHER). */
  static List<MembershipChange> of(String s, int start, int end) {
    if (!firstWordMayChange(s, start) || grantOfNoRole(s, start, end)) {
      return List.of();
    }
    Tokens t = Lexer.tokenize(s, start, end);
    return read(new Cursor(t, 0, t.count()));
  }

  /**
   * Whether the statement is a GRANT whose second word, read without lexing, is not ROLE: it grants
   * no membership the guard reads (ETL scripts grant tables' privileges often, and are not lexed again
   * for it). Blanks then a letter only: a comment or a quote there leaves it to the lexer.
   */
  private static boolean grantOfNoRole(String s, int at, int end) {
    if (end - at < 6 || !s.regionMatches(true, at, "GRANT", 0, 5) || !Lexer.isWhitespace(s.charAt(at + 5))) {
      return false;
    }
    int word = at + 5;
    while (word < end && Lexer.isWhitespace(s.charAt(word))) {
      word++;
    }
    int after = word;
    while (after < end && (s.charAt(after) | 0x20) >= 'a' && (s.charAt(after) | 0x20) <= 'z') {
      after++;
    }
    if (after == word) {
      return false;
    }
    boolean wordEnds = after == end || !Lexer.continuesWord(s.charAt(after));
    return wordEnds && !(after - word == 4 && s.regionMatches(true, word, "ROLE", 0, 4));
  }

  /**
   * The membership changes {@code statement} makes, in order; empty for any other statement (a
   * change of a user's other attributes, {@code ALTER USER u CONNECTION LIMIT 3}, is none).
   */
  public static List<MembershipChange> of(SqlStatement statement) {
    if (statement.command().kind() != CommandKind.OTHER || !firstWordMayChange(statement.source(), statement.start())
        || grantOfNoRole(statement.source(), statement.start(), statement.end())) {
      return List.of();
    }
    return statement.readHead(Memberships::read);
  }

  private static boolean firstWordMayChange(String s, int at) {
    for (String word : new String[] {"ALTER", "CREATE", "DROP", "GRANT", "REVOKE"}) {
      if (s.regionMatches(true, at, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }

  private static List<MembershipChange> read(Cursor c) {
    if (c.acceptWord("ALTER")) {
      return alter(c);
    }
    if (c.acceptWord("CREATE")) {
      return c.acceptWord("GROUP") ? createGroup(c) : c.acceptWord("USER") ? createUser(c) : List.of();
    }
    if (c.acceptWord("DROP")) {
      return c.acceptWord("GROUP") || c.acceptWord("ROLE") ? dropped(c) : c.acceptWord("USER") ? droppedUsers(c) : List.of();
    }
    if (c.acceptWord("GRANT")) {
      return c.acceptWord("ROLE") ? roles(c, true) : List.of();
    }
    if (c.acceptWord("REVOKE")) {
      return revoke(c);
    }
    return List.of();
  }

  private static List<MembershipChange> alter(Cursor c) {
    boolean group = c.acceptWord("GROUP");
    if (!group && (c.isWord("USER") || c.isWord("ROLE")) && c.pos + 1 < c.limit) {
      String user = AssumeRoleParser.identifier(new Cursor(c.tokens, c.pos + 1, c.limit));
      for (int k = c.pos + 2; user != null && k < c.limit; k++) {
        if (c.tokens.isWord(k, "NOCREATEUSER") || c.tokens.isWord(k, "NOSUPERUSER")) {
          return List.of(MembershipChange.superuser(false, user));
        }
      }
      if (user != null) {
        Cursor options = new Cursor(c.tokens, c.pos + 2, c.limit);
        options.acceptWord("WITH");
        if (c.isWord("USER") && options.isWord("RENAME")) {
          return leavesEverything(user); // the name holds nothing now (the server moves what it held to the new one)
        }
        List<MembershipChange> gained = options(options, user);
        if (gained != null) {
          return gained; // the flag taken is read above, anywhere: here only what every option reads as
        }
      }
    }
    if (!group && !c.acceptWord("ROLE")) {
      return List.of();
    }
    MembershipChange.Kind kind = group ? MembershipChange.Kind.GROUP : MembershipChange.Kind.ROLE;
    String name = AssumeRoleParser.identifier(c);
    if (name == null) {
      return List.of();
    }
    if (c.isWord("RENAME")) { // its members now hold another name's grants: read as leaving this one
      return List.of(MembershipChange.emptied(kind, name));
    }
    boolean add = group && c.acceptWord("ADD");
    if (!group || !add && !c.acceptWord("DROP")) {
      return List.of();
    }
    c.acceptWord("USER");
    List<MembershipChange> changes = new ArrayList<>(1);
    for (String user : names(c)) {
      changes.add(new MembershipChange(add, kind, name, MembershipChange.Kind.USER, user));
    }
    return changes;
  }

  private static List<MembershipChange> createGroup(Cursor c) {
    String name = AssumeRoleParser.identifier(c);
    if (name == null) {
      return List.of();
    }
    c.acceptWord("WITH");
    if (!c.acceptWord("USER")) {
      return List.of();
    }
    List<MembershipChange> changes = new ArrayList<>(1);
    for (String user : names(c)) {
      changes.add(new MembershipChange(true, MembershipChange.Kind.GROUP, name, MembershipChange.Kind.USER, user));
    }
    return changes;
  }

  /**
   * {@code CREATE USER u [WITH] PASSWORD ... option ...}: its {@code IN GROUP g [, ...]} joins u to each
   * group, {@code CREATEUSER} (PostgreSQL's {@code SUPERUSER}) gives it the flag; none when an option
   * does not read as one of Redshift's, or the password does not come first, as Redshift's grammar
   * has it (PostgreSQL takes any order, and none).
   */
  private static List<MembershipChange> createUser(Cursor c) {
    String user = AssumeRoleParser.identifier(c);
    if (user == null) {
      return List.of();
    }
    c.acceptWord("WITH");
    if (!c.isWord("PASSWORD")) {
      return List.of();
    }
    List<MembershipChange> changes = options(c, user);
    return changes == null ? List.of() : changes;
  }

  /**
   * The changes the options of {@code CREATE USER} or {@code ALTER USER} {@code user} make, read to
   * the statement's end: {@code IN GROUP} joins, {@code [NO]CREATEUSER} or {@code [NO]SUPERUSER} the
   * flag; null when a token does not read as an option (the statement may be another, or fail: what
   * it gives is then not read, as the server may not give it). An option given twice (PostgreSQL
   * refuses the statement: conflicting or redundant options) leaves only a flag taken.
   */
  private static List<MembershipChange> options(Cursor c, String user) {
    List<MembershipChange> changes = new ArrayList<>(1);
    List<String> seen = new ArrayList<>(4);
    boolean repeated = false;
    while (!c.atEnd()) {
      String option = AsciiCase.toUpperCase(c.tokens.text(c.pos));
      String family = option.equals("CREATEUSER") || option.equals("NOCREATEUSER") || option.equals("NOSUPERUSER")
          ? "SUPERUSER" : option.startsWith("NO") ? option.substring(2) : option.equals("ENCRYPTED") ? "PASSWORD" : option;
      repeated |= seen.contains(family);
      seen.add(family);
      if (c.acceptWord("CREATEUSER") || c.acceptWord("SUPERUSER")) {
        changes.add(MembershipChange.superuser(true, user));
      } else if (c.acceptWord("NOCREATEUSER") || c.acceptWord("NOSUPERUSER")) {
        changes.add(MembershipChange.superuser(false, user));
      } else if (c.acceptWords("IN", "GROUP")) {
        List<String> groups = names(c);
        if (groups.isEmpty()) {
          return null;
        }
        for (String group : groups) {
          changes.add(new MembershipChange(true, MembershipChange.Kind.GROUP, group, MembershipChange.Kind.USER, user));
        }
      } else if (!skipOption(c)) {
        return null;
      }
    }
    if (repeated) {
      changes.removeIf(MembershipChange::added);
    }
    return changes;
  }

  /** Flags that change no membership, as Redshift's and PostgreSQL's CREATE and ALTER USER take them. */
  private static final String[] FLAGS = {"CREATEDB", "NOCREATEDB", "CREATEROLE", "NOCREATEROLE", "INHERIT", "NOINHERIT",
      "LOGIN", "NOLOGIN"};

  /** Moves past one option that changes no membership (a flag, or its words and value); false when none reads so. */
  private static boolean skipOption(Cursor c) {
    for (String flag : FLAGS) {
      if (c.acceptWord(flag)) {
        return true;
      }
    }
    c.acceptWord("ENCRYPTED");
    if (c.acceptWord("PASSWORD") || c.acceptWords("VALID", "UNTIL") || c.acceptWords("CONNECTION", "LIMIT")
        || c.acceptWords("SYSLOG", "ACCESS") || c.acceptWords("SESSION", "TIMEOUT") || c.acceptWord("EXTERNALID")) {
      if (c.atEnd()) {
        return false;
      }
      c.pos++; // the value: a literal, a number, DISABLE, UNLIMITED, RESTRICTED, ...
      return true;
    }
    return false;
  }

  /**
   * DROP USER: each user leaves every group and role and loses its flag (a user created again under
   * the name holds none of them).
   */
  private static List<MembershipChange> droppedUsers(Cursor c) {
    c.acceptWords("IF", "EXISTS");
    List<MembershipChange> changes = new ArrayList<>(2);
    for (String user : names(c)) {
      changes.addAll(leavesEverything(user));
    }
    return changes;
  }

  /** {@code user} leaves every group and role and loses its flag. */
  private static List<MembershipChange> leavesEverything(String user) {
    return List.of(new MembershipChange(false, MembershipChange.Kind.ANY, null, MembershipChange.Kind.USER, user),
        MembershipChange.superuser(false, user));
  }

  /** DROP GROUP or DROP ROLE: on PostgreSQL either drops a role, and a group is one. */
  private static List<MembershipChange> dropped(Cursor c) {
    c.acceptWords("IF", "EXISTS");
    List<MembershipChange> changes = new ArrayList<>(2);
    for (String name : names(c)) {
      changes.add(MembershipChange.emptied(MembershipChange.Kind.GROUP, name));
      changes.add(MembershipChange.emptied(MembershipChange.Kind.ROLE, name));
    }
    return changes;
  }

  private static List<MembershipChange> revoke(Cursor c) {
    if (c.acceptWords("ADMIN", "OPTION", "FOR")) {
      return List.of(); // the member keeps the role
    }
    int start = c.pos;
    if (c.acceptWord("ROLE")) {
      List<MembershipChange> changes = roles(c, false);
      if (!changes.isEmpty()) {
        return changes;
      }
      c.pos = start;
    }
    // an object's privileges (ON ...) or a Redshift permission of several words (CREATE MODEL, EXPLAIN
    // RLS) before FROM change no membership; a list of single names is PostgreSQL's roles
    boolean names = true;
    for (boolean nameNext = true; !c.atEnd() && !c.isWord("FROM"); c.pos++) {
      if (c.isWord("ON")) {
        return List.of();
      }
      names &= nameNext ? c.is(TokenKind.WORD) || c.is(TokenKind.QUOTED_IDENTIFIER) : c.is(TokenKind.COMMA);
      nameNext = !nameNext;
    }
    return names && c.isWord("FROM") && c.pos > start ? List.of(MembershipChange.EVERY) : List.of();
  }

  /**
   * After GRANT ROLE or REVOKE ROLE: {@code r [, ROLE r2 ...] {TO | FROM} member [WITH ADMIN OPTION] [,
   * ROLE x ...]}, one change per role and member; empty when it does not read so.
   */
  private static List<MembershipChange> roles(Cursor c, boolean add) {
    List<String> roles = new ArrayList<>(1);
    do {
      String role = AssumeRoleParser.identifier(c);
      if (role == null) {
        return List.of();
      }
      roles.add(role);
    } while (c.accept(TokenKind.COMMA) && c.acceptWord("ROLE"));
    if (!c.acceptWord(add ? "TO" : "FROM")) {
      return List.of();
    }
    List<MembershipChange> changes = new ArrayList<>(roles.size());
    do {
      MembershipChange.Kind memberKind = c.acceptWord("ROLE") ? MembershipChange.Kind.ROLE : MembershipChange.Kind.USER;
      String member = AssumeRoleParser.identifier(c);
      if (member == null) {
        return add ? List.of() : List.of(MembershipChange.EVERY);
      }
      for (String role : roles) {
        changes.add(new MembershipChange(add, MembershipChange.Kind.ROLE, role, memberKind, member));
      }
      c.acceptWords("WITH", "ADMIN", "OPTION");
    } while (c.accept(TokenKind.COMMA));
    return changes;
  }

  /** A list of names, {@code a, "B", c}, up to the first token that is not one. */
  private static List<String> names(Cursor c) {
    List<String> names = new ArrayList<>(1);
    do {
      String name = AssumeRoleParser.identifier(c);
      if (name == null) {
        break;
      }
      names.add(name);
    } while (c.accept(TokenKind.COMMA));
    return names;
  }
}
