// Block Kit limits in one place: every builder truncates or degrades against these, never against literals.

/** Slack rejects a message (invalid_blocks, msg_too_long) when any of these is exceeded. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  contextElementText: 2000,
  contextElements: 10,
  tableRows: 100,
  tableColumns: 20,
  tableChars: 10_000,
  modalTitle: 24,
  modalSubmit: 24,
  privateMetadata: 3000,
  overflowOptions: 5,
  optionText: 75,
  optionValue: 150,
  /** A Home tab holds up to 100 blocks. */
  homeBlocks: 100,
  /** chat.postMessage truncates `text` past 40,000; we keep the fallback short enough to read. */
  fallbackText: 3000,
} as const;

/** Longest link target we render; longer web addresses are shown as plain names. */
export const MAX_LINK_URL = 500;
