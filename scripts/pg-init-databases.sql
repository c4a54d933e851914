-- Run once by the postgres image on an empty volume (docker-compose.yml): one database
-- per service, as each service owns its store.
CREATE DATABASE bookings;
CREATE DATABASE loans;
CREATE DATABASE events;
CREATE DATABASE finance;
CREATE DATABASE notify;
CREATE DATABASE directory;
CREATE DATABASE gateway;
