package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.Redactor;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The text report's rewrite lines are masked as {@link Redactor#redact} masks them, however often
 * a line repeats and whatever came before it: the report keeps the lines it found clean, and a line
 * holding a secret, seen once or many times, beside clean lines that share all but the secret, is
 * masked every time.
 */
class RewriteLineMaskingProperties {
  private static final String[] KEYWORDS = {"IAM_ROLE ", "CREDENTIALS ", ""};
  private static final String[] WRITTEN = {"'copy-unload'", "'arn:aws:iam::123456789012:role/A'", "default",
      "'aws_iam_role=copy-unload'", "'aws_iam_role=copy-unload;token=FwoGZXIvYXdzEBYaDBvsecrettoken'",
      "'aws_access_key_id=AKIAIOSFODNN7EXAMPLE;aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'",
      "'AKIAIOSFODNN7EXAMPLE'", "'copy-unload;master_symmetric_key=c2VjcmV0a2V5c2VjcmV0a2V5'"};
  private static final String[] SENT = {"'arn:aws:iam::123456789012:role/RedshiftCopyUnload'",
      "'arn:aws:iam::123456789012:role/A,arn:aws:iam::210987654321:role/B'",
      "'aws_iam_role=arn:aws:iam::123456789012:role/R;token=FwoGZXIvYXdzEBYaDBvsecrettoken'"};

  @Provide
  Arbitrary<List<String>> lines() {
    Arbitrary<String> line = Arbitraries.of(KEYWORDS).flatMap(keyword -> Arbitraries.of(WRITTEN)
        .flatMap(written -> Arbitraries.of(SENT).map(sent -> keyword + written + " -> " + sent)));
    return line.list().ofMinSize(1).ofMaxSize(12).flatMap(distinct -> Arbitraries.of(distinct).list().ofMinSize(1).ofMaxSize(40));
  }

  @Property(tries = 300)
  void everyLineIsMaskedAsTheRedactorMasksIt(@ForAll("lines") List<String> lines) {
    List<String> masked = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (String line : lines) {
      masked.add(TextCheckReport.masked(line));
      expected.add(Redactor.redact(line));
    }

    assertThat(masked).isEqualTo(expected);
    assertThat(String.join("\n", masked)).doesNotContain("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "FwoGZXIvYXdz",
        "c2VjcmV0a2V5");
  }
}
