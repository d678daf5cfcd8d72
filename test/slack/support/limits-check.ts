// Checks a rendered message against Block Kit limits as Slack documents them. The numbers are written out here
// from Slack's reference pages (not imported from src/slack/blocks/limits.ts), so a wrong constant in the code
// under test cannot make a test agree with it.

/** Slack's documented limits, each with the page that states it. */
export const DOCUMENTED = {
  /** https://docs.slack.dev/reference/block-kit/blocks: "up to 50 blocks in each message". */
  blocksPerMessage: 50,
  /** https://docs.slack.dev/reference/views: a view's (modal or Home tab) blocks, "Maximum of 100 blocks". */
  viewBlocks: 100,
  /** https://docs.slack.dev/reference/block-kit/blocks/header-block: text "Maximum length ... is 150 characters". */
  headerText: 150,
  /** https://docs.slack.dev/reference/block-kit/blocks/section-block: text "Maximum length ... is 3000 characters". */
  sectionText: 3000,
  /** https://docs.slack.dev/reference/block-kit/blocks/context-block: elements "Maximum number of items is 10". */
  contextElements: 10,
  /** https://docs.slack.dev/reference/block-kit/composition-objects/text-object: text "maximum length ... 3000 characters". */
  textObject: 3000,
  /** https://docs.slack.dev/reference/block-kit/blocks/actions-block: elements "maximum of 25". */
  actionsElements: 25,
  /** https://docs.slack.dev/reference/block-kit/block-elements/button-element: text "Maximum length ... 75 characters". */
  buttonText: 75,
  /** Same page: value "Maximum length ... 2000 characters". */
  buttonValue: 2000,
  /** https://docs.slack.dev/reference/block-kit/blocks/table-block: rows "Maximum 100 rows", "a max of 20 table cells". */
  tableRows: 100,
  tableCells: 20,
  /** https://docs.slack.dev/reference/block-kit/block-elements/overflow-menu-element: options "Maximum number of options is 5". */
  overflowOptions: 5,
  /** https://docs.slack.dev/reference/block-kit/composition-objects/option-object: text "Maximum length ... 75 characters". */
  optionText: 75,
  /** Same page: value "Maximum length ... 150 characters". */
  optionValue: 150,
  /** https://docs.slack.dev/reference/methods/chat.postMessage: text is truncated past 40,000 characters. */
  messageText: 40_000,
} as const;

/** The app's own promise, stricter than Slack: the whole table stays within 10,000 characters of text and links. */
const TABLE_CHARS_BUDGET = 10_000;

type Loose = Record<string, unknown>;

/** Every limit the message breaks, in words; empty when Slack would accept it. */
export function limitViolations(message: {
  text: string;
  blocks: readonly unknown[];
  attachments?: readonly { blocks?: readonly unknown[] }[];
}): string[] {
  const problems: string[] = [];
  const attachmentBlocks = (message.attachments ?? []).flatMap((a) => a.blocks ?? []);
  const all = [...message.blocks, ...attachmentBlocks] as Loose[];
  if (!message.text) problems.push('no fallback text');
  if (message.text.length > DOCUMENTED.messageText) problems.push(`fallback text ${message.text.length}`);
  if (all.length > DOCUMENTED.blocksPerMessage) problems.push(`${all.length} blocks`);
  const tables = all.filter((b) => b.type === 'table');
  if (tables.length > 1) problems.push('more than one table');
  if ((message.blocks as Loose[]).some((b) => b.type === 'table')) problems.push('table outside attachments');
  const ids = all.flatMap((b) => (typeof b.block_id === 'string' ? [b.block_id] : []));
  if (new Set(ids).size !== ids.length) problems.push('repeated block_id');
  for (const block of all) {
    const text = textOf(block.text);
    if (block.type === 'header' && text.length > DOCUMENTED.headerText) problems.push(`header ${text.length}`);
    if (block.type === 'section' && text.length > DOCUMENTED.sectionText) problems.push(`section ${text.length}`);
    if (block.type === 'section' && block.accessory) problems.push(...accessoryViolations(block.accessory as Loose));
    const elements = (block.elements ?? []) as Loose[];
    if (block.type === 'context') {
      if (elements.length > DOCUMENTED.contextElements) problems.push(`context with ${elements.length} elements`);
      for (const e of elements)
        if (textOf(e).length > DOCUMENTED.textObject) problems.push(`context element ${textOf(e).length}`);
    }
    if (block.type === 'actions') {
      if (elements.length > DOCUMENTED.actionsElements) problems.push(`actions with ${elements.length} elements`);
      for (const b of elements) {
        if (textOf(b.text).length > DOCUMENTED.buttonText) problems.push(`button ${textOf(b.text).length}`);
        if (String(b.value ?? '').length > DOCUMENTED.buttonValue)
          problems.push(`button value ${String(b.value).length}`);
      }
    }
    if (block.type === 'table') {
      const rows = block.rows as unknown[][];
      if (rows.length > DOCUMENTED.tableRows) problems.push(`${rows.length} rows`);
      if (rows.some((r) => r.length > DOCUMENTED.tableCells)) problems.push('too many cells in a row');
      const chars = countTableChars(rows);
      if (chars > TABLE_CHARS_BUDGET) problems.push(`table ${chars} chars`);
    }
  }
  return problems;
}

/** A section's button or "…" menu against its element's limits. */
function accessoryViolations(accessory: Loose): string[] {
  const problems: string[] = [];
  if (accessory.type === 'overflow') {
    const options = (accessory.options ?? []) as Loose[];
    if (options.length > DOCUMENTED.overflowOptions) problems.push(`overflow with ${options.length} options`);
    for (const o of options) {
      if (textOf(o.text).length > DOCUMENTED.optionText) problems.push(`option text ${textOf(o.text).length}`);
      if (String(o.value ?? '').length > DOCUMENTED.optionValue)
        problems.push(`option value ${String(o.value).length}`);
    }
  } else if (textOf(accessory.text).length > DOCUMENTED.buttonText)
    problems.push(`button ${textOf(accessory.text).length}`);
  return problems;
}

/** Characters of cell text and link targets in a table, counted from the JSON as Slack receives it. */
export function countTableChars(rows: readonly (readonly unknown[])[]): number {
  return allStringsWhere(rows, (key) => key === 'text' || key === 'url').reduce((sum, s) => sum + s.length, 0);
}

/** Every string in the message, to scan for unescaped markup or unsafe links. */
export function allStrings(value: unknown): string[] {
  return allStringsWhere(value, () => true);
}

function allStringsWhere(value: unknown, keep: (key: string) => boolean, key = ''): string[] {
  if (typeof value === 'string') return keep(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => allStringsWhere(v, keep, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => allStringsWhere(v, keep, k));
  return [];
}

function textOf(value: unknown): string {
  const text = (value as { text?: unknown } | undefined)?.text;
  return typeof text === 'string' ? text : '';
}
