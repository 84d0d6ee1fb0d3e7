package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A password holds characters a URL also uses: for every way a JDBC URL carries one (user info,
 * a query argument, a {@code ;} argument) and every character that does not end the value there
 * for a driver ({@code &} and {@code ;} end a query argument, {@code ;} a {@code ;} argument), no part of the password survives {@link Redactor#redactUrl}, and
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
      new Style("jdbc:redshift://host:5439/dev?user=bob&password=%s&ssl=true", ",}{@:=+/?%!$'()*~"),
      new Style("jdbc:redshift://host:5439/dev?password=%s", ",}{@:=+/?%"),
      new Style("jdbc:redshift://host:5439/dev;UID=bob;PWD=%s;ssl=true", ",&}{@:=+/?%!$'()*~"),
      new Style("jdbc:iamguard:h2:mem:x;USER=sa;PASSWORD=%s", ",&}{@:=+/?%"),
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
    assertThat(checked).isGreaterThan(80);
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
