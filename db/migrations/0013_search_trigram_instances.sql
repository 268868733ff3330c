-- Where each trigram occurs (entry, position) in the trigram index: answers whether a short
-- punctuation term (`%`, `_`, `'`) ever stands at a word's beginning, without reading the
-- texts (ADR 035, addendum). Nothing is stored: fts5vocab reads the FTS5 index itself.
CREATE VIRTUAL TABLE IF NOT EXISTS `search_trigram_instances` USING fts5vocab(search_trigrams, 'instance');
