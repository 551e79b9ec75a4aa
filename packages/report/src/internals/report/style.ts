/** The report's stylesheet: dark text on white, readable on screen and on paper. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #555; --rule: #d6d6d6; --accent: #2f5d8a; --warn: #8a4b00; --bad: #a61b1b; }
* { box-sizing: border-box; }
html { background: #fff; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 1.8rem; margin: 0 0 6px; line-height: 1.2; }
h2 { font-size: 1.3rem; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 22px 0 8px; }
p { margin: 6px 0; }
a { color: var(--accent); }
.lede { color: var(--muted); margin: 0 0 12px; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 10px 0 0; padding: 0; list-style: none; }
.facts li { white-space: nowrap; }
.facts b { font-weight: 600; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; margin: 14px 0 0; list-style: none; font-size: .92rem; }
.verdicts { font-size: 1.08rem; padding-left: 1.4em; }
.verdicts li { margin: 6px 0; }
.alert { border-left: 4px solid var(--warn); background: #fff6e5; padding: 8px 12px; margin: 12px 0; }
.alert.bad { border-color: var(--bad); background: #fdecec; }
figure.chart { margin: 8px 0 18px; break-inside: avoid; page-break-inside: avoid; }
.chart-svg svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: 6px; max-width: 760px; }
.skipped { color: var(--muted); font-style: italic; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: .88rem; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 10px 4px 0; text-align: left; vertical-align: top; }
th { font-weight: 600; border-bottom: 2px solid #999; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; padding-left: 10px; }
td.num { white-space: nowrap; }
.name { white-space: nowrap; }
table.kv > tbody > tr > td:first-child { color: var(--muted); white-space: nowrap; }
table table { margin: 0; font-size: 1em; }
tr.failed td { color: var(--bad); }
.wide { overflow-x: auto; max-width: 100%; }
.wide > table > thead th { vertical-align: bottom; min-width: 4.5em; }
.wide > table > thead th.num { max-width: 8.5em; }
.wide > table > * > tr > :first-child { position: sticky; left: 0; z-index: 1; background: #fff; padding-left: 2px; box-shadow: inset -1px 0 0 var(--rule); }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .82rem; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; max-width: 420px; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.verdict-overfits { color: var(--bad); font-weight: 600; }
.verdict-underfits { color: var(--warn); font-weight: 600; }
.verdict-fits { color: #1d6b2a; font-weight: 600; }
.gallery { display: grid; gap: 18px; }
.gallery-entry { break-inside: avoid; page-break-inside: avoid; }
.gallery-row { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-start; }
.gallery-row figure { margin: 0; text-align: center; font-size: .8rem; color: var(--muted); }
.gallery-row figure.original { padding-right: 12px; border-right: 2px solid var(--rule); }
.gallery-row img { display: block; width: 128px; height: auto; image-rendering: pixelated; border: 1px solid var(--rule); background: #fafafa; }
.missing-image { width: 128px; min-height: 72px; display: flex; align-items: center; justify-content: center; padding: 6px; border: 1px dashed var(--bad); color: var(--bad); font-size: .75rem; }
.note { color: var(--muted); font-size: .88rem; }
footer { margin-top: 40px; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule); padding-top: 10px; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, .gallery-entry { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .wide { overflow: visible; }
  .wide > table > * > tr > :first-child { position: static; box-shadow: none; }
}
@page { margin: 14mm; }
`;
