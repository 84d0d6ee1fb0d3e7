--liquibase formatted sql

--changeset iamguard:1
CREATE TABLE venue (venueid INT, venuename VARCHAR(100));

--changeset iamguard:2
COPY venue FROM 's3://lake/in/venue/' IAM_ROLE 'arn:aws:iam::123456789012:role/Nobody';
