/**
 * How much a show may know. A fact is one spoken statement (it is said whole, inside an
 * answer line), and the index is rebuilt on every PUT and kept in the show's snapshot.
 */
export const KNOWLEDGE_LIMITS = {
  maxFacts: 200,
  /** Code points of one fact. */
  maxFactChars: 300,
} as const;
