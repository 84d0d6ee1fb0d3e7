/**
 * Local Redshift on H2: COPY and UNLOAD emulated against a local folder standing in for S3
 * ({@code s3://bucket/key} is {@code root/bucket/key}), and the AWS-only DDL recorded instead of
 * run. {@link dev.iamguard.local.LocalS3} is the entry point; the driver hands it only statements
 * the guard has allowed.
 *
 * <p>Fails as Redshift would, with a standard SQLSTATE ({@code SqlStates}): a row that cannot be
 * loaded names file, line, column, value and reason, and an option that is not emulated is
 * refused, never ignored. Reads and writes stay inside the folder.
 *
 * <p>Uses {@code sql} only.
 */
package dev.iamguard.local;
