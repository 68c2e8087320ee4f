-- The words of voters' names are searched in memory (app/src/voters/search_index.rs), built
-- from voters.name_folded. The per-word table cost 3–4 index entries per voter on every
-- import and was read only when that index was missing; the fallback now reads the names.
drop table voter_name_tokens;
