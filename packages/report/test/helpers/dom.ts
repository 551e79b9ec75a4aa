// The few DOM types the browser tests use inside `page.evaluate` callbacks. The repository
// compiles for Node (no `dom` lib), and adding the lib would leak browser globals into every
// package's type checking; these callbacks run in Chromium and take the globals from there.

export interface DomElement {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement> & { readonly length: number };
  getBoundingClientRect(): { readonly width: number; readonly height: number };
  matches(selector: string): boolean;
}

export interface DomImage extends DomElement {
  readonly complete: boolean;
  readonly naturalWidth: number;
  readonly naturalHeight: number;
}

export interface BrowserGlobals {
  document: DomElement & {
    readonly documentElement: DomElement & { readonly lang: string };
    readonly body: DomElement;
    getElementById(id: string): DomElement | null;
  };
  getComputedStyle(element: DomElement): { readonly color: string; readonly backgroundColor: string };
}
