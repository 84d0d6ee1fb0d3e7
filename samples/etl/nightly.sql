-- Nightly job: load venues from our bucket and the day's sales from Company B's bucket (through
-- the seed's role chain), summarise, and export the summary. Run it locally on H2 with
--   java -jar target/iamguard-cli.jar run --url jdbc:iamguard:h2:mem:etl --registry samples/registry.yaml \
--     --user user1 --local-s3 samples/local-s3 samples/etl/nightly.sql
-- The last statement exports outside the role's least-privilege prefix: iamguard denies it before
-- it leaves the application, and the run stops there (exit 1).

create table venue (venueid int, venuename varchar(100), venuecity varchar(30), venuestate char(2), venueseats int);
create table sales (salesid int, venueid int, saletime timestamp, qtysold int, pricepaid decimal(8,2));
create table venue_sales (venueid int, venuename varchar(100), tickets int, revenue decimal(12,2));

-- REWRITE: the registry alias 'copy-unload' is sent as the role's ARN
copy venue
from 's3://acmedata/redshift/venue/'
iam_role 'copy-unload'
delimiter '|';

-- ALLOW: RoleA (attached to my-cluster) assumes RoleB, which may read Company B's prefix
copy sales
from 's3://companyb/redshift/sales/'
iam_role 'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB'
csv ignoreheader 1 timeformat 'YYYY-MM-DD HH:MI:SS';

insert into venue_sales
select v.venueid, v.venuename, sum(s.qtysold), sum(s.pricepaid)
from venue v join sales s on s.venueid = v.venueid
group by v.venueid, v.venuename;

-- ALLOW: the cluster's default role (RedshiftCopyUnload) may write under s3://acmedata/redshift/unload/
unload ('select * from venue_sales order by revenue desc')
to 's3://acmedata/redshift/unload/venue_sales_'
iam_role default
csv header parallel off allowoverwrite;

-- DENY (S3_NOT_PERMITTED): s3://acmedata/exports/ is outside RedshiftCopyUnload's s3_write prefixes
unload ('select * from venue_sales')
to 's3://acmedata/exports/venue_sales_'
iam_role default
csv header parallel off;
