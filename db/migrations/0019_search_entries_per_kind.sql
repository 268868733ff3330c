-- The search index again, with each kind's entry ids in a range of their own (kind number x 2^40,
-- ADR 054), so a kind's candidates are an FTS5 query with a rowid range. Drops the triggers
-- and tables of 0012 and 0013, creates them again and indexes every existing row (made by
-- `npx tsx scripts/search-index-sql.ts`).
DROP TRIGGER IF EXISTS `search_agenda_items_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_agenda_items_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_agenda_items_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_minutes_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_minutes_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_minutes_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_decisions_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_decisions_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_decisions_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_action_items_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_action_items_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_action_items_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_outcome_documents_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_outcome_documents_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_outcome_documents_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_outcome_translations_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_outcome_translations_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_outcome_translations_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_papers_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_papers_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_papers_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_paper_files_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_paper_files_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `search_paper_files_delete`;
--> statement-breakpoint
DROP TABLE IF EXISTS `search_trigram_instances`;
--> statement-breakpoint
DROP TABLE IF EXISTS `search_trigram_terms`;
--> statement-breakpoint
DROP TABLE IF EXISTS `search_trigrams`;
--> statement-breakpoint
DROP TABLE IF EXISTS `search_words`;
--> statement-breakpoint
DELETE FROM `search_entries`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_trigrams` USING fts5(text, tokenize = 'trigram', content = '', contentless_delete = 1);
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_trigram_terms` USING fts5vocab(search_trigrams, 'row');
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_words` USING fts5(words, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3', content = '', contentless_delete = 1);
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_trigram_instances` USING fts5vocab(search_trigrams, 'instance');
--> statement-breakpoint
CREATE TRIGGER `search_agenda_items_insert` AFTER INSERT ON `agenda_items` BEGIN
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 1099511627776) + 1 FROM search_entries WHERE id >= 1099511627776 AND id < 2199023255552), 'agenda', new.id, 'agenda_items', new.id WHERE new.id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.title || char(10) || new.description || char(10, 10) FROM search_entries WHERE source = 'agenda_items' AND source_id = new.id;
  INSERT INTO search_words (rowid, words) SELECT id, new.title || char(10) || new.description FROM search_entries WHERE source = 'agenda_items' AND source_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_agenda_items_update` AFTER UPDATE OF title, description ON `agenda_items` WHEN old.title IS NOT new.title OR old.description IS NOT new.description BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'agenda_items' AND source_id = old.id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'agenda_items' AND source_id = old.id);
  DELETE FROM search_entries WHERE source = 'agenda_items' AND source_id = old.id;
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 1099511627776) + 1 FROM search_entries WHERE id >= 1099511627776 AND id < 2199023255552), 'agenda', new.id, 'agenda_items', new.id WHERE new.id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.title || char(10) || new.description || char(10, 10) FROM search_entries WHERE source = 'agenda_items' AND source_id = new.id;
  INSERT INTO search_words (rowid, words) SELECT id, new.title || char(10) || new.description FROM search_entries WHERE source = 'agenda_items' AND source_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_agenda_items_delete` AFTER DELETE ON `agenda_items` BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'agenda_items' AND source_id = old.id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'agenda_items' AND source_id = old.id);
  DELETE FROM search_entries WHERE source = 'agenda_items' AND source_id = old.id;
END;
--> statement-breakpoint
INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 1099511627776) + 1 FROM search_entries WHERE id >= 1099511627776 AND id < 2199023255552) - 1 + row_number() OVER (), 'agenda', r.id, 'agenda_items', r.id FROM `agenda_items` AS r WHERE r.id IS NOT NULL;
--> statement-breakpoint
INSERT INTO search_trigrams (rowid, text) SELECT e.id, r.title || char(10) || r.description || char(10, 10) FROM `agenda_items` AS r JOIN search_entries AS e ON e.source = 'agenda_items' AND e.source_id = r.id;
--> statement-breakpoint
INSERT INTO search_words (rowid, words) SELECT e.id, r.title || char(10) || r.description FROM `agenda_items` AS r JOIN search_entries AS e ON e.source = 'agenda_items' AND e.source_id = r.id;
--> statement-breakpoint
CREATE TRIGGER `search_minutes_insert` AFTER INSERT ON `minutes` BEGIN
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 2199023255552) + 1 FROM search_entries WHERE id >= 2199023255552 AND id < 3298534883328), 'minutes', new.meeting_id, 'minutes', new.meeting_id WHERE new.meeting_id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.text || char(10, 10) FROM search_entries WHERE source = 'minutes' AND source_id = new.meeting_id;
  INSERT INTO search_words (rowid, words) SELECT id, new.text FROM search_entries WHERE source = 'minutes' AND source_id = new.meeting_id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_minutes_update` AFTER UPDATE OF text ON `minutes` WHEN old.text IS NOT new.text BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'minutes' AND source_id = old.meeting_id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'minutes' AND source_id = old.meeting_id);
  DELETE FROM search_entries WHERE source = 'minutes' AND source_id = old.meeting_id;
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 2199023255552) + 1 FROM search_entries WHERE id >= 2199023255552 AND id < 3298534883328), 'minutes', new.meeting_id, 'minutes', new.meeting_id WHERE new.meeting_id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.text || char(10, 10) FROM search_entries WHERE source = 'minutes' AND source_id = new.meeting_id;
  INSERT INTO search_words (rowid, words) SELECT id, new.text FROM search_entries WHERE source = 'minutes' AND source_id = new.meeting_id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_minutes_delete` AFTER DELETE ON `minutes` BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'minutes' AND source_id = old.meeting_id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'minutes' AND source_id = old.meeting_id);
  DELETE FROM search_entries WHERE source = 'minutes' AND source_id = old.meeting_id;
END;
--> statement-breakpoint
INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 2199023255552) + 1 FROM search_entries WHERE id >= 2199023255552 AND id < 3298534883328) - 1 + row_number() OVER (), 'minutes', r.meeting_id, 'minutes', r.meeting_id FROM `minutes` AS r WHERE r.meeting_id IS NOT NULL;
--> statement-breakpoint
INSERT INTO search_trigrams (rowid, text) SELECT e.id, r.text || char(10, 10) FROM `minutes` AS r JOIN search_entries AS e ON e.source = 'minutes' AND e.source_id = r.meeting_id;
--> statement-breakpoint
INSERT INTO search_words (rowid, words) SELECT e.id, r.text FROM `minutes` AS r JOIN search_entries AS e ON e.source = 'minutes' AND e.source_id = r.meeting_id;
--> statement-breakpoint
CREATE TRIGGER `search_decisions_insert` AFTER INSERT ON `decisions` BEGIN
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 3298534883328) + 1 FROM search_entries WHERE id >= 3298534883328 AND id < 4398046511104), 'decisions', new.id, 'decisions', new.id WHERE new.id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.text || char(10, 10) FROM search_entries WHERE source = 'decisions' AND source_id = new.id;
  INSERT INTO search_words (rowid, words) SELECT id, new.text FROM search_entries WHERE source = 'decisions' AND source_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_decisions_update` AFTER UPDATE OF text ON `decisions` WHEN old.text IS NOT new.text BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'decisions' AND source_id = old.id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'decisions' AND source_id = old.id);
  DELETE FROM search_entries WHERE source = 'decisions' AND source_id = old.id;
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 3298534883328) + 1 FROM search_entries WHERE id >= 3298534883328 AND id < 4398046511104), 'decisions', new.id, 'decisions', new.id WHERE new.id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.text || char(10, 10) FROM search_entries WHERE source = 'decisions' AND source_id = new.id;
  INSERT INTO search_words (rowid, words) SELECT id, new.text FROM search_entries WHERE source = 'decisions' AND source_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_decisions_delete` AFTER DELETE ON `decisions` BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'decisions' AND source_id = old.id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'decisions' AND source_id = old.id);
  DELETE FROM search_entries WHERE source = 'decisions' AND source_id = old.id;
END;
--> statement-breakpoint
INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 3298534883328) + 1 FROM search_entries WHERE id >= 3298534883328 AND id < 4398046511104) - 1 + row_number() OVER (), 'decisions', r.id, 'decisions', r.id FROM `decisions` AS r WHERE r.id IS NOT NULL;
--> statement-breakpoint
INSERT INTO search_trigrams (rowid, text) SELECT e.id, r.text || char(10, 10) FROM `decisions` AS r JOIN search_entries AS e ON e.source = 'decisions' AND e.source_id = r.id;
--> statement-breakpoint
INSERT INTO search_words (rowid, words) SELECT e.id, r.text FROM `decisions` AS r JOIN search_entries AS e ON e.source = 'decisions' AND e.source_id = r.id;
--> statement-breakpoint
CREATE TRIGGER `search_action_items_insert` AFTER INSERT ON `action_items` BEGIN
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 4398046511104) + 1 FROM search_entries WHERE id >= 4398046511104 AND id < 5497558138880), 'actions', new.id, 'action_items', new.id WHERE new.id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.title || char(10) || new.detail || char(10, 10) FROM search_entries WHERE source = 'action_items' AND source_id = new.id;
  INSERT INTO search_words (rowid, words) SELECT id, new.title || char(10) || new.detail FROM search_entries WHERE source = 'action_items' AND source_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_action_items_update` AFTER UPDATE OF title, detail ON `action_items` WHEN old.title IS NOT new.title OR old.detail IS NOT new.detail BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'action_items' AND source_id = old.id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'action_items' AND source_id = old.id);
  DELETE FROM search_entries WHERE source = 'action_items' AND source_id = old.id;
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 4398046511104) + 1 FROM search_entries WHERE id >= 4398046511104 AND id < 5497558138880), 'actions', new.id, 'action_items', new.id WHERE new.id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.title || char(10) || new.detail || char(10, 10) FROM search_entries WHERE source = 'action_items' AND source_id = new.id;
  INSERT INTO search_words (rowid, words) SELECT id, new.title || char(10) || new.detail FROM search_entries WHERE source = 'action_items' AND source_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_action_items_delete` AFTER DELETE ON `action_items` BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'action_items' AND source_id = old.id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'action_items' AND source_id = old.id);
  DELETE FROM search_entries WHERE source = 'action_items' AND source_id = old.id;
END;
--> statement-breakpoint
INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 4398046511104) + 1 FROM search_entries WHERE id >= 4398046511104 AND id < 5497558138880) - 1 + row_number() OVER (), 'actions', r.id, 'action_items', r.id FROM `action_items` AS r WHERE r.id IS NOT NULL;
--> statement-breakpoint
INSERT INTO search_trigrams (rowid, text) SELECT e.id, r.title || char(10) || r.detail || char(10, 10) FROM `action_items` AS r JOIN search_entries AS e ON e.source = 'action_items' AND e.source_id = r.id;
--> statement-breakpoint
INSERT INTO search_words (rowid, words) SELECT e.id, r.title || char(10) || r.detail FROM `action_items` AS r JOIN search_entries AS e ON e.source = 'action_items' AND e.source_id = r.id;
--> statement-breakpoint
CREATE TRIGGER `search_outcome_documents_insert` AFTER INSERT ON `outcome_documents` BEGIN
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 5497558138880) + 1 FROM search_entries WHERE id >= 5497558138880 AND id < 6597069766656), 'outcomes', new.id, 'outcome_documents', new.id WHERE new.id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.title || char(10) || new.text || char(10, 10) FROM search_entries WHERE source = 'outcome_documents' AND source_id = new.id;
  INSERT INTO search_words (rowid, words) SELECT id, new.title || char(10) || new.text FROM search_entries WHERE source = 'outcome_documents' AND source_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_outcome_documents_update` AFTER UPDATE OF title, text ON `outcome_documents` WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'outcome_documents' AND source_id = old.id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'outcome_documents' AND source_id = old.id);
  DELETE FROM search_entries WHERE source = 'outcome_documents' AND source_id = old.id;
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 5497558138880) + 1 FROM search_entries WHERE id >= 5497558138880 AND id < 6597069766656), 'outcomes', new.id, 'outcome_documents', new.id WHERE new.id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.title || char(10) || new.text || char(10, 10) FROM search_entries WHERE source = 'outcome_documents' AND source_id = new.id;
  INSERT INTO search_words (rowid, words) SELECT id, new.title || char(10) || new.text FROM search_entries WHERE source = 'outcome_documents' AND source_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_outcome_documents_delete` AFTER DELETE ON `outcome_documents` BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'outcome_documents' AND source_id = old.id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'outcome_documents' AND source_id = old.id);
  DELETE FROM search_entries WHERE source = 'outcome_documents' AND source_id = old.id;
END;
--> statement-breakpoint
INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 5497558138880) + 1 FROM search_entries WHERE id >= 5497558138880 AND id < 6597069766656) - 1 + row_number() OVER (), 'outcomes', r.id, 'outcome_documents', r.id FROM `outcome_documents` AS r WHERE r.id IS NOT NULL;
--> statement-breakpoint
INSERT INTO search_trigrams (rowid, text) SELECT e.id, r.title || char(10) || r.text || char(10, 10) FROM `outcome_documents` AS r JOIN search_entries AS e ON e.source = 'outcome_documents' AND e.source_id = r.id;
--> statement-breakpoint
INSERT INTO search_words (rowid, words) SELECT e.id, r.title || char(10) || r.text FROM `outcome_documents` AS r JOIN search_entries AS e ON e.source = 'outcome_documents' AND e.source_id = r.id;
--> statement-breakpoint
CREATE TRIGGER `search_outcome_translations_insert` AFTER INSERT ON `outcome_translations` BEGIN
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 5497558138880) + 1 FROM search_entries WHERE id >= 5497558138880 AND id < 6597069766656), 'outcomes', new.document_id, 'outcome_translations', new.id WHERE new.document_id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.text || char(10, 10) FROM search_entries WHERE source = 'outcome_translations' AND source_id = new.id;
  INSERT INTO search_words (rowid, words) SELECT id, new.text FROM search_entries WHERE source = 'outcome_translations' AND source_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_outcome_translations_update` AFTER UPDATE OF text, document_id ON `outcome_translations` WHEN old.text IS NOT new.text OR old.document_id IS NOT new.document_id BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'outcome_translations' AND source_id = old.id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'outcome_translations' AND source_id = old.id);
  DELETE FROM search_entries WHERE source = 'outcome_translations' AND source_id = old.id;
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 5497558138880) + 1 FROM search_entries WHERE id >= 5497558138880 AND id < 6597069766656), 'outcomes', new.document_id, 'outcome_translations', new.id WHERE new.document_id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.text || char(10, 10) FROM search_entries WHERE source = 'outcome_translations' AND source_id = new.id;
  INSERT INTO search_words (rowid, words) SELECT id, new.text FROM search_entries WHERE source = 'outcome_translations' AND source_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_outcome_translations_delete` AFTER DELETE ON `outcome_translations` BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'outcome_translations' AND source_id = old.id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'outcome_translations' AND source_id = old.id);
  DELETE FROM search_entries WHERE source = 'outcome_translations' AND source_id = old.id;
END;
--> statement-breakpoint
INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 5497558138880) + 1 FROM search_entries WHERE id >= 5497558138880 AND id < 6597069766656) - 1 + row_number() OVER (), 'outcomes', r.document_id, 'outcome_translations', r.id FROM `outcome_translations` AS r WHERE r.document_id IS NOT NULL;
--> statement-breakpoint
INSERT INTO search_trigrams (rowid, text) SELECT e.id, r.text || char(10, 10) FROM `outcome_translations` AS r JOIN search_entries AS e ON e.source = 'outcome_translations' AND e.source_id = r.id;
--> statement-breakpoint
INSERT INTO search_words (rowid, words) SELECT e.id, r.text FROM `outcome_translations` AS r JOIN search_entries AS e ON e.source = 'outcome_translations' AND e.source_id = r.id;
--> statement-breakpoint
CREATE TRIGGER `search_papers_insert` AFTER INSERT ON `papers` BEGIN
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 6597069766656) + 1 FROM search_entries WHERE id >= 6597069766656 AND id < 7696581394432), 'papers', new.id, 'papers', new.id WHERE new.id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.title || char(10, 10) FROM search_entries WHERE source = 'papers' AND source_id = new.id;
  INSERT INTO search_words (rowid, words) SELECT id, new.title FROM search_entries WHERE source = 'papers' AND source_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_papers_update` AFTER UPDATE OF title ON `papers` WHEN old.title IS NOT new.title BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'papers' AND source_id = old.id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'papers' AND source_id = old.id);
  DELETE FROM search_entries WHERE source = 'papers' AND source_id = old.id;
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 6597069766656) + 1 FROM search_entries WHERE id >= 6597069766656 AND id < 7696581394432), 'papers', new.id, 'papers', new.id WHERE new.id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.title || char(10, 10) FROM search_entries WHERE source = 'papers' AND source_id = new.id;
  INSERT INTO search_words (rowid, words) SELECT id, new.title FROM search_entries WHERE source = 'papers' AND source_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_papers_delete` AFTER DELETE ON `papers` BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'papers' AND source_id = old.id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'papers' AND source_id = old.id);
  DELETE FROM search_entries WHERE source = 'papers' AND source_id = old.id;
END;
--> statement-breakpoint
INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 6597069766656) + 1 FROM search_entries WHERE id >= 6597069766656 AND id < 7696581394432) - 1 + row_number() OVER (), 'papers', r.id, 'papers', r.id FROM `papers` AS r WHERE r.id IS NOT NULL;
--> statement-breakpoint
INSERT INTO search_trigrams (rowid, text) SELECT e.id, r.title || char(10, 10) FROM `papers` AS r JOIN search_entries AS e ON e.source = 'papers' AND e.source_id = r.id;
--> statement-breakpoint
INSERT INTO search_words (rowid, words) SELECT e.id, r.title FROM `papers` AS r JOIN search_entries AS e ON e.source = 'papers' AND e.source_id = r.id;
--> statement-breakpoint
CREATE TRIGGER `search_paper_files_insert` AFTER INSERT ON `paper_files` BEGIN
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 6597069766656) + 1 FROM search_entries WHERE id >= 6597069766656 AND id < 7696581394432), 'papers', new.paper_id, 'paper_files', new.id WHERE new.paper_id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.text || char(10, 10) FROM search_entries WHERE source = 'paper_files' AND source_id = new.id;
  INSERT INTO search_words (rowid, words) SELECT id, new.text FROM search_entries WHERE source = 'paper_files' AND source_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_paper_files_update` AFTER UPDATE OF text, paper_id ON `paper_files` WHEN old.text IS NOT new.text OR old.paper_id IS NOT new.paper_id BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'paper_files' AND source_id = old.id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'paper_files' AND source_id = old.id);
  DELETE FROM search_entries WHERE source = 'paper_files' AND source_id = old.id;
  INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 6597069766656) + 1 FROM search_entries WHERE id >= 6597069766656 AND id < 7696581394432), 'papers', new.paper_id, 'paper_files', new.id WHERE new.paper_id IS NOT NULL;
  INSERT INTO search_trigrams (rowid, text) SELECT id, new.text || char(10, 10) FROM search_entries WHERE source = 'paper_files' AND source_id = new.id;
  INSERT INTO search_words (rowid, words) SELECT id, new.text FROM search_entries WHERE source = 'paper_files' AND source_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_paper_files_delete` AFTER DELETE ON `paper_files` BEGIN
  DELETE FROM search_trigrams WHERE rowid = (SELECT id FROM search_entries WHERE source = 'paper_files' AND source_id = old.id);
  DELETE FROM search_words WHERE rowid = (SELECT id FROM search_entries WHERE source = 'paper_files' AND source_id = old.id);
  DELETE FROM search_entries WHERE source = 'paper_files' AND source_id = old.id;
END;
--> statement-breakpoint
INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT (SELECT coalesce(max(id), 6597069766656) + 1 FROM search_entries WHERE id >= 6597069766656 AND id < 7696581394432) - 1 + row_number() OVER (), 'papers', r.paper_id, 'paper_files', r.id FROM `paper_files` AS r WHERE r.paper_id IS NOT NULL;
--> statement-breakpoint
INSERT INTO search_trigrams (rowid, text) SELECT e.id, r.text || char(10, 10) FROM `paper_files` AS r JOIN search_entries AS e ON e.source = 'paper_files' AND e.source_id = r.id;
--> statement-breakpoint
INSERT INTO search_words (rowid, words) SELECT e.id, r.text FROM `paper_files` AS r JOIN search_entries AS e ON e.source = 'paper_files' AND e.source_id = r.id;
