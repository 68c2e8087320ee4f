-- Election-day staff (role 'station') work only at the polling areas assigned to them.
create table user_polling_areas (
    user_id bigint not null references users (id),
    polling_area_id bigint not null references polling_areas (id),
    primary key (user_id, polling_area_id)
);
