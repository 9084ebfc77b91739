-- 0007: trips can contain several routes (multi-day hikes).
CREATE TABLE trip_routes (
    trip_id   UUID NOT NULL REFERENCES trips (id),
    route_id  UUID NOT NULL REFERENCES routes (id),
    day       SMALLINT NOT NULL DEFAULT 1,
    PRIMARY KEY (trip_id, route_id)
);
-- TODO(BL-33): index on route_id; "who else saved this route" scans the table
-- FIXME: should deleting a route cascade to trips that contain it?
