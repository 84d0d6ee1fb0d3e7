package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SVV_IAM_PRIVILEGES export read as RFC 4180 says, with line numbers that point at the row, and grants in order. */
class PrivilegesCsvFormatTest {
  private static final String HEADER = "iam_arn,command_type,identity_name,identity_type";
  private static final String A = "arn:aws:iam::123456789012:role/A";
  private static final String B = "arn:aws:iam::123456789012:role/B";

  private final List<String> problems = new ArrayList<>();

  private List<ImportedGrant> read(String csv) {
    return PrivilegesCsv.read(csv, "p.csv", problems);
  }

  @Test
  void quotedFieldsHoldCommasDoubledQuotesAndLineEndsAndLinesAreCountedThroughThem() {
    List<ImportedGrant> grants = read(HEADER + "\n"
        + A + ",COPY,\"o\"\"brien, jr\",user\n"
        + A + ",COPY,\"two\nlines\",user\n"
        + A + ",COPY,u,nobody\n"
        + A + ",COPY,\"q\"\n");
    assertThat(grants).singleElement().satisfies(g -> assertThat(g.to()).containsExactly("o\"brien, jr", "two\nlines"));
    assertThat(problems).containsExactly(
        "p.csv: line 5: identity_type \"nobody\" is not user, group, role or public",
        "p.csv: line 6: has 3 fields, the header 4");
  }

  @Test
  void crLfAndBareCrEndLinesAndTheLastLineNeedsNoEnd() {
    read(HEADER + "\r\n" + A + ",COPY,u,x\r" + A + ",COPY,v,y\r\n" + A + ",COPY,w,z");
    assertThat(problems).containsExactly(
        "p.csv: line 2: identity_type \"x\" is not user, group, role or public",
        "p.csv: line 3: identity_type \"y\" is not user, group, role or public",
        "p.csv: line 4: identity_type \"z\" is not user, group, role or public");
  }

  @Test
  void aByteOrderMarkIsNoPartOfTheHeaderAndAQuoteThatEndsTheTextClosesItsField() {
    assertThat(read("\uFEFF" + HEADER + "\n" + A + ",COPY,u,\"user\"")).singleElement()
        .satisfies(g -> assertThat(g.to()).containsExactly("u"));
    assertThat(problems).isEmpty();
    assertThat(read(HEADER + "\n" + A + ",COPY,u,\"user")).isEmpty();
    assertThat(problems).containsExactly("p.csv: line 2: a quoted field does not end");
  }

  @Test
  void grantsComeDefaultFirstThenAllThenChainsAndByCommandsWithGranteesSortedIgnoringCase() {
    List<ImportedGrant> grants = read(HEADER + "\n"
        + B + ",COPY,zed,user\n"
        + A + ",UNLOAD,carl,user\n"
        + A + ",COPY,bob,user\n"
        + A + ",UNLOAD,bob,user\n"
        + A + ",COPY,Alice,user\n"
        + A + ",COPY,dora,user\n"
        + A + ",CREATE MODEL,dora,user\n"
        + "ALL,COPY,etl,group\n"
        + "default-aws-iam-role,UNLOAD,loader,role\n");
    assertThat(problems).isEmpty();
    assertThat(grants).extracting(ImportedGrant::on, ImportedGrant::to, ImportedGrant::commands).containsExactly(
        org.assertj.core.groups.Tuple.tuple("default", List.of("role:loader"), List.of("UNLOAD")),
        org.assertj.core.groups.Tuple.tuple("ALL", List.of("group:etl"), List.of("COPY")),
        org.assertj.core.groups.Tuple.tuple(A, List.of("Alice"), List.of("COPY")),
        org.assertj.core.groups.Tuple.tuple(A, List.of("bob"), List.of("COPY", "UNLOAD")),
        org.assertj.core.groups.Tuple.tuple(A, List.of("dora"), List.of("COPY", "CREATE MODEL")),
        org.assertj.core.groups.Tuple.tuple(A, List.of("carl"), List.of("UNLOAD")),
        org.assertj.core.groups.Tuple.tuple(B, List.of("zed"), List.of("COPY")));
  }
}
