/**
 * The few DOM APIs the report page uses, typed here: the project is type-checked as one
 * program without the DOM library (adding it would change Deno's own types everywhere).
 *
 * @module
 */

/** An element, as far as the page uses it. */
export interface El {
  /** Text content. */
  textContent: string | null;
  /** Element id. */
  id: string;
  /** class attribute. */
  className: string;
  /** Hidden flag. */
  hidden: boolean;
  /** data-* attributes. */
  dataset: Record<string, string | undefined>;
  /** Inline style. */
  style: Record<string, string>;
  /** Class list. */
  classList: { toggle(name: string, on?: boolean): void };
  /** Width of the content box. */
  clientWidth: number;
  /** The parent element. */
  parentElement: El | null;
  /** Appends children. */
  append(...nodes: (El | string)[]): void;
  /** Replaces the children. */
  replaceChildren(...nodes: (El | string)[]): void;
  /** Listens. */
  addEventListener(type: string, listener: () => void): void;
  /** An attribute's value. */
  getAttribute(name: string): string | null;
  /** The closest ancestor (or itself) matching a selector. */
  closest(selector: string): El | null;
}

/** A mouse event, as far as the page uses it. */
export interface Pointer {
  /** Where it happened. */
  target: El;
  /** Page coordinates. */
  pageX: number;
  /** Page coordinates. */
  pageY: number;
  /** Keeps the event from the background. */
  stopPropagation(): void;
}

/** The document. */
export interface Doc {
  /** The body. */
  body: El;
  /** An element by id. */
  getElementById(id: string): El | null;
  /** A new element. */
  createElement(tag: string): El;
  /** The first match. */
  querySelector(selector: string): El | null;
  /** All matches. */
  querySelectorAll(selector: string): Iterable<El>;
}

/** The page's document. */
export const doc: Doc = (globalThis as unknown as { document: Doc }).document;

/** performance.now(). */
export function now(): number {
  return performance.now();
}
