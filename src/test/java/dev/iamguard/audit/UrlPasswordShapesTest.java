package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A password holds characters a URL also uses: for every way a JDBC URL carries one (user info,
 * a query argument, a {@code ;} argument) and every character that does not end the value there
 * for a driver ({@code &} ends a query argument: pgjdbc and the Redshift driver read {@code #} and
 * {@code ;} into it; {@code ;} ends a {@code ;} argument, which the Redshift driver reads with its
 * spaces), no part of the password survives {@link Redactor#redactUrl}, and
 * {@link Redactor#secretsOf(String, java.util.Properties)} knows the whole value (so a driver
 * quoting it elsewhere is masked too).
 */
class UrlPasswordShapesTest {
  private static final String BEFORE = "Pw7";
  private static final String AFTER = "Sx9";

  /** A URL style with {@code %s} where the password stands, and the characters a password may hold there. */
  private record Style(String url, String inside) {}

  private static final List<Style> STYLES = List.of(
      new Style("jdbc:postgresql://bob:%s@host:5432/dev?ssl=true", "@:;,&=}{+%!$'()*~"),
      new Style("jdbc:mysql://bob:%s@host/dev", "@:;,&=}{+%"),
      new Style("jdbc:redshift://host:5439/dev?user=bob&password=%s&ssl=true", ",}{@:=+/?%!$'()*~#;"),
      new Style("jdbc:redshift://host:5439/dev?password=%s", ",}{@:=+/?%#;"),
      new Style("jdbc:postgresql://host:5432/dev?password=%s&ssl=false", "#;,@:"),
      new Style("jdbc:redshift://host:5439/dev;UID=bob;PWD=%s;ssl=true", ",&}{@:=+/?%!$'()*~# "),
      new Style("jdbc:redshift://host:5439/dev;UID=bob;PWD=%s", " #&"),
      new Style("jdbc:iamguard:h2:mem:x;USER=sa;PASSWORD=%s", ",&}{@:=+/?% "),
      new Style("no driver accepts jdbc:redshift://h:5439/d?user=bob&SecretAccessKey=%s today", ",}{@:=+/?%"));

  @Test
  void noPartOfAPasswordSurvives() {
    int checked = 0;
    for (Style style : STYLES) {
      for (char c : style.inside().toCharArray()) {
        String password = BEFORE + c + AFTER;
        String url = String.format(style.url(), password);
        String masked = Redactor.redactUrl(url);
        assertThat(masked).as(url).doesNotContain(BEFORE).doesNotContain(AFTER).contains(Redactor.MASK);
        assertThat(Redactor.redactMessage("cannot connect to " + url + ": refused")).as(url)
            .doesNotContain(BEFORE).doesNotContain(AFTER);
        assertThat(Redactor.secretsOf(url, null)).as(url).contains(password);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(90);
  }

  /**
   * The names are found in linear time: a name around the secret word was read greedily and
   * backtracked over every occurrence of the word (a failing statement of 60 KB holding a long
   * {@code pwdpwd...} took 24 s on its error path, 300 KB would take minutes).
   */
  @Test
  void aLongRunOfSecretWordsIsReadOnce() {
    for (String word : List.of("pwd", "password", "token", "secret_", "access_key")) {
      String run = word.repeat(300_000 / word.length());
      for (String text : List.of("a=b " + run, "x?" + run, "x;" + run + " y", "{" + run + "}", run + "@")) {
        assertThat(Redactor.redactMessage(text)).isEqualTo(text);
      }
      assertThat(Redactor.redactUrl("jdbc:x://h/d;" + run + "=v")).isEqualTo("jdbc:x://h/d;" + run + "=***");
    }
  }

  @Test
  void whatFollowsTheSecretIsKept() {
    assertThat(Redactor.redactUrl("jdbc:postgresql://bob:p@ss@host:5432/dev?x=1"))
        .isEqualTo("jdbc:postgresql://bob:***@host:5432/dev?x=1");
    assertThat(Redactor.redactUrl("jdbc:redshift://h:5439/dev?password=a,b}c&ssl=true"))
        .isEqualTo("jdbc:redshift://h:5439/dev?password=***&ssl=true");
    assertThat(Redactor.redactUrl("jdbc:redshift://h:5439/dev;PWD=a,b&c;ssl=true"))
        .isEqualTo("jdbc:redshift://h:5439/dev;PWD=***;ssl=true");
    assertThat(Redactor.redactUrl("{user=bob, password=pw, ssl=true}")).isEqualTo("{user=bob, password=***, ssl=true}");
  }
}
