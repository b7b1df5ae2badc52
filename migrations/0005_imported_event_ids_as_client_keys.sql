-- `hybridrank import` stored a row's own event_id as the event key as it was, while the API stores
-- it as 'client:' || event_id, so one event sent live and later imported was stored twice. Import
-- now writes 'client:' keys too (`Interaction.eventKey(clientEventID:)`); this renames the keys
-- earlier imports wrote from an event_id. Keys of other origins stay: 'client:…' and 'srv:…'
-- (the API) and 'h' + 32 hex digits (an import row's content hash). Where the API already stored
-- the same event, the imported copy is the duplicate and goes.
DELETE FROM interactions i
WHERE i.event_key IS NOT NULL AND i.event_key NOT LIKE 'client:%' AND i.event_key NOT LIKE 'srv:%'
  AND i.event_key !~ '^h[0-9a-f]{32}$'
  AND EXISTS (SELECT 1 FROM interactions c WHERE c.event_key = 'client:' || i.event_key);

UPDATE interactions SET event_key = 'client:' || event_key
WHERE event_key IS NOT NULL AND event_key NOT LIKE 'client:%' AND event_key NOT LIKE 'srv:%'
  AND event_key !~ '^h[0-9a-f]{32}$';
