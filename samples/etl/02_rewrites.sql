-- Registry aliases and chain names are rewritten to ARNs before the statement is sent.
copy sales
from 's3://acmedata/redshift/sales/'
iam_role 'copy-unload'
delimiter '|' gzip;

unload ('select * from sales where saletime > ''2026-01-01''')
to 's3://companyb/redshift/sales_'
iam_role 'companyb'
parallel off;

-- DEFAULT resolves to the cluster's default role (RedshiftCopyUnload); sent as written.
copy category
from 's3://acmedata/redshift/category/'
iam_role default
csv;
