-- an ordinary migration: no auth clause
CREATE TABLE venue (venueid INT, venuename VARCHAR(100));
