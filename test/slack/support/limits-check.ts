// Checks a rendered message against every Block Kit limit we know, so tests can assert "Slack would accept this".
import { SLACK_LIMITS } from '../../../src/slack/blocks/limits.js';
import { tableChars } from '../../../src/slack/blocks/leads-table.js';
import type { Block, SlackMessage, TableBlock } from '../../../src/slack/blocks/types.js';

export function limitViolations(message: SlackMessage): string[] {
  const problems: string[] = [];
  const attachmentBlocks = (message.attachments ?? []).flatMap((a) => a.blocks);
  const all: Block[] = [...message.blocks, ...attachmentBlocks];
  if (!message.text) problems.push('no fallback text');
  if (message.text.length > SLACK_LIMITS.fallbackText) problems.push(`fallback text ${message.text.length}`);
  if (all.length > SLACK_LIMITS.blocksPerMessage) problems.push(`${all.length} blocks`);
  const tables = all.filter((b): b is TableBlock => b.type === 'table');
  if (tables.length > 1) problems.push('more than one table');
  if (message.blocks.some((b) => b.type === 'table')) problems.push('table outside attachments');
  const ids = all.flatMap((b) => ('block_id' in b && b.block_id ? [b.block_id] : []));
  if (new Set(ids).size !== ids.length) problems.push('repeated block_id');
  for (const block of all) {
    if (block.type === 'section' && block.accessory) {
      const accessory = block.accessory;
      if (accessory.type === 'overflow') {
        if (accessory.options.length > SLACK_LIMITS.overflowOptions) problems.push(`overflow with ${accessory.options.length} options`);
        for (const o of accessory.options) {
          if (o.text.text.length > SLACK_LIMITS.optionText) problems.push(`option text ${o.text.text.length}`);
          if (o.value.length > SLACK_LIMITS.optionValue) problems.push(`option value ${o.value.length}`);
        }
      } else if (accessory.text.text.length > SLACK_LIMITS.buttonText) problems.push(`button ${accessory.text.text.length}`);
    }
    if (block.type === 'header' && block.text.text.length > SLACK_LIMITS.headerText) problems.push(`header ${block.text.text.length}`);
    if (block.type === 'section' && block.text.text.length > SLACK_LIMITS.sectionText) problems.push(`section ${block.text.text.length}`);
    if (block.type === 'context') {
      if (block.elements.length > SLACK_LIMITS.contextElements) problems.push(`context with ${block.elements.length} elements`);
      for (const e of block.elements) if (e.text.length > SLACK_LIMITS.contextElementText) problems.push(`context element ${e.text.length}`);
    }
    if (block.type === 'actions') for (const b of block.elements) if (b.text.text.length > SLACK_LIMITS.buttonText) problems.push(`button ${b.text.text.length}`);
    if (block.type === 'table') {
      if (block.rows.length > SLACK_LIMITS.tableRows) problems.push(`${block.rows.length} rows`);
      if (block.rows.some((r) => r.length > SLACK_LIMITS.tableColumns)) problems.push('too many columns');
      if (tableChars(block) > SLACK_LIMITS.tableChars) problems.push(`table ${tableChars(block)} chars`);
    }
  }
  return problems;
}

/** Every string in the message, to scan for unescaped markup or unsafe links. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}
