package dev.iamguard.policy.awscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SVV_IAM_PRIVILEGES export read into the registry's grants. */
class PrivilegesCsvTest {
  private static final String CHAIN = "arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB";

  @Test
  void rowsBecomeGrantsGroupedByScopeAndCommands() {
    String csv = "\uFEFFidentity_type,identity_name,iam_arn,command_type,identity_id,extra\r\n"
        + "user,u1,\"" + CHAIN + "\",COPY,101,x\r\n"
        + "group,etl,\"" + CHAIN + "\",COPY,201,x\r\n"
        + "user,u1,\"" + CHAIN + "\",EXFUNC,101,x\r\n"
        + "group,etl,\"" + CHAIN + "\",external  function,201,x\r\n"
        + "public,public,default-aws-iam-role,UNLOAD,0,x\r\n"
        + "role,Loader,arn:aws:iam::123456789012:role/R,CREATE MODEL,9,x\r\n"
        + "\r\n";
    List<String> problems = new ArrayList<>();
    List<ImportedGrant> grants = PrivilegesCsv.read(csv, "p.csv", problems);
    assertThat(problems).isEmpty();
    assertThat(grants).containsExactly(
        new ImportedGrant("default", List.of("PUBLIC"), List.of("UNLOAD")),
        // scopes alphabetically after default: role/R sorts before role/RoleA,... (a prefix of it)
        new ImportedGrant("arn:aws:iam::123456789012:role/R", List.of("role:Loader"), List.of("CREATE MODEL")),
        new ImportedGrant(CHAIN, List.of("group:etl", "u1"), List.of("COPY", "EXTERNAL FUNCTION")));
  }

  @Test
  void aHeaderOnlyExportIsNoGrantAtAll() {
    List<String> problems = new ArrayList<>();
    assertThat(PrivilegesCsv.read("iam_arn,command_type,identity_id,identity_name,identity_type\n", "p.csv", problems))
        .isEmpty();
    assertThat(problems).isEmpty();
  }

  @Test
  void problemsNameTheLine() {
    List<String> problems = new ArrayList<>();
    PrivilegesCsv.read("iam_arn,command_type,identity_name,identity_type\n"
        + "not-an-arn,COPY,u,user\n"
        + "arn:aws:iam::123456789012:role/R,DELETE,u,user\n"
        + "arn:aws:iam::123456789012:role/R,COPY,u,alien\n"
        + "arn:aws:iam::123456789012:role/R,COPY\n", "p.csv", problems);
    assertThat(problems).containsExactly(
        "p.csv: line 2: iam_arn \"not-an-arn\" is not a role ARN, a chain of them or default-aws-iam-role",
        "p.csv: line 3: command_type \"DELETE\" is not COPY, UNLOAD, CREATE MODEL or EXFUNC",
        "p.csv: line 4: identity_type \"alien\" is not user, group, role or public",
        "p.csv: line 5: has 2 fields, the header 4");
    problems.clear();
    PrivilegesCsv.read("arn,command\n", "q.csv", problems);
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("q.csv: line 1: no column iam_arn"));
    problems.clear();
    PrivilegesCsv.read("iam_arn,command_type,identity_name,identity_type\n\"open,COPY,u,user\n", "r.csv", problems);
    assertThat(problems).containsExactly("r.csv: line 2: a quoted field does not end");
  }

  /** Grantees sort ignoring case; a last row without a line end, an empty last field and a lone CR still count. */
  @Test
  void granteesSortIgnoringCaseAndTheLastRowNeedsNoLineEnd() {
    String role = "arn:aws:iam::123456789012:role/R";
    String csv = "iam_arn,command_type,identity_name,identity_type,extra\r"
        + role + ",COPY,B1,user,x\r"
        + role + ",COPY,a2,user,";
    List<String> problems = new ArrayList<>();
    assertThat(PrivilegesCsv.read(csv, "p.csv", problems))
        .containsExactly(new ImportedGrant(role, List.of("a2", "B1"), List.of("COPY")));
    assertThat(problems).isEmpty();
    // a CR as the very last character ends the last row
    assertThat(PrivilegesCsv.read(csv.replace(",a2,user,", ",a2,user,y\r"), "p.csv", problems))
        .containsExactly(new ImportedGrant(role, List.of("a2", "B1"), List.of("COPY")));
    assertThat(problems).isEmpty();
  }
}
