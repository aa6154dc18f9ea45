-- The comparable reference for `kiosk import` (bench/run.sh): sqlite3 alone
-- doing the storage work an import of the bench export does, after
-- `.import` of the file into the staging table t. As the kiosk's first
-- import, whose new file nobody else sees until it is renamed into place:
-- the rollback journal in memory, then WAL mode; 64 MiB cache, one
-- transaction; the guest table with its
-- indexes, uuids in time order (version 7 in the kiosk) and a match key
-- only for rows with neither code nor id (none in the bench export);
-- guest_rev kept during the inserts, the other indexes built after them;
-- four search words per guest (the kiosk makes about 4.2), sorted once and
-- inserted in word order. Not done here: checking each field, ticket codes
-- from the OS, folding names for search (lower() instead), which are the
-- kiosk's own work.
PRAGMA journal_mode = MEMORY;
BEGIN;
CREATE TABLE guest (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, code TEXT NOT NULL UNIQUE,
  ext_id TEXT, first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT NOT NULL,
  company TEXT NOT NULL, ticket_type TEXT NOT NULL, handle TEXT NOT NULL DEFAULT '',
  extra TEXT NOT NULL, source TEXT NOT NULL, cancelled INTEGER NOT NULL, match_key TEXT,
  sort_key TEXT NOT NULL, words TEXT NOT NULL, created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL, rev INTEGER NOT NULL,
  dirty INTEGER NOT NULL, language TEXT NOT NULL DEFAULT '');
CREATE INDEX guest_rev ON guest(rev);
CREATE TABLE guest_word (word TEXT NOT NULL, guest_id INTEGER NOT NULL,
  PRIMARY KEY (word, guest_id)) WITHOUT ROWID;
INSERT INTO guest (id, uuid, code, ext_id, first_name, last_name, email, company, ticket_type,
  extra, source, cancelled, match_key, sort_key, words, created_at, updated_at, updated_by,
  rev, dirty)
  SELECT rowid, printf('%012x', rowid) || lower(hex(randomblob(10))),
    coalesce(nullif("Barcode #", ''), hex(randomblob(10))),
    nullif("Attendee #", ''), "First Name", "Last Name", "Email", "Company", "Ticket Type",
    json_object('Order #', "Order #", 'Order Date', "Order Date", 'Quantity', "Quantity",
      'Job Title', "Job Title"),
    'import', "Attendee Status" = 'Not Attending',
    CASE WHEN "Barcode #" = '' AND "Attendee #" = '' THEN lower("Email") END,
    lower("Last Name" || ' ' || "First Name"),
    lower("First Name" || ' ' || "Last Name" || ' ' || "Email"), 0, 0, 'bench', rowid, 1
  FROM t;
INSERT OR IGNORE INTO guest_word
  SELECT w, id FROM (SELECT lower(first_name) AS w, id FROM guest
    UNION ALL SELECT lower(last_name), id FROM guest
    UNION ALL SELECT lower(email), id FROM guest
    UNION ALL SELECT lower(first_name || last_name), id FROM guest)
  ORDER BY w, id;
CREATE INDEX guest_dirty ON guest(rev) WHERE dirty = 1;
CREATE INDEX guest_ext_id ON guest(ext_id) WHERE ext_id IS NOT NULL;
CREATE INDEX guest_match_key ON guest(match_key) WHERE match_key IS NOT NULL;
CREATE INDEX guest_sort ON guest(sort_key);
COMMIT;
PRAGMA journal_mode = WAL;
